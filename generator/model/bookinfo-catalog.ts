// What flexmesh knows of Istio's Bookinfo and sleep samples at the pinned version: their Services, Deployments and
// the calls the tutorial makes to them. test/bookinfo.test.ts checks the names, ports and labels against the vendored
// sample files, so this table cannot drift from what Argo CD actually applies.
import type { Smoke } from '../env/types.ts';

export const BOOKINFO_PORT = 9080;
export type BookinfoService = 'details' | 'productpage' | 'ratings' | 'reviews';
export const BOOKINFO_SERVICES: readonly BookinfoService[] = ['details', 'productpage', 'ratings', 'reviews'];
export type ReviewsVersion = 'v1' | 'v2' | 'v3';

/** Deployments of bookinfo.yaml with their pod labels (app, version). */
export const BOOKINFO_DEPLOYMENTS: ReadonlyArray<{ name: string; app: BookinfoService; version: ReviewsVersion }> = [
  { name: 'details-v1', app: 'details', version: 'v1' },
  { name: 'ratings-v1', app: 'ratings', version: 'v1' },
  { name: 'reviews-v1', app: 'reviews', version: 'v1' },
  { name: 'reviews-v2', app: 'reviews', version: 'v2' },
  { name: 'reviews-v3', app: 'reviews', version: 'v3' },
  { name: 'productpage-v1', app: 'productpage', version: 'v1' },
];

/** The one Bookinfo app with several versions; excludeVersions only ever applies to it. */
export const VERSIONED_APP: BookinfoService = 'reviews';

/** Bookinfo's own calls between its services (without credentials): callee → the Deployments that call it. */
export const BOOKINFO_CALLERS: Readonly<Record<BookinfoService, readonly string[]>> = {
  details: ['productpage-v1'],
  reviews: ['productpage-v1'],
  ratings: ['reviews-v2', 'reviews-v3'],
  productpage: [],
};

/**
 * A JSON body whose top-level "id" is `id`. Bookinfo echoes the product id it was asked for, as a number (details,
 * ratings, productpage's products API) or a string (reviews); UNVERIFIED exact spacing, hence the tolerant pattern.
 */
export function jsonIdPattern(id: string): string {
  return `"id"[[:space:]]*:[[:space:]]*"?${id}"?[[:space:]]*[,}]`;
}

/** The tutorial's requests, used as the default smoke request of an API whose upstream is a Bookinfo Service. */
export const BOOKINFO_SMOKE: Readonly<Record<BookinfoService, Smoke>> = {
  productpage: { path: '/api/v1/products/1', expectStatus: 200, expectBodyPattern: jsonIdPattern('1') },
  details: { path: '/details/0', expectStatus: 200, expectBodyPattern: jsonIdPattern('0') },
  reviews: { path: '/reviews/0', expectStatus: 200, expectBodyPattern: jsonIdPattern('0') },
  ratings: { path: '/ratings/0', expectStatus: 200, expectBodyPattern: jsonIdPattern('0') },
};

/** The request the lockdown and flexctl probes make to Bookinfo (the tutorial's `details/0`). */
export const LOCKDOWN_TARGET = { service: 'details' as BookinfoService, path: '/details/0' };

/** samples/sleep/sleep.yaml: Service and Deployment `sleep`, pod label app=sleep, container `sleep`, port 80. */
export const SLEEP = { service: 'sleep', deployment: 'sleep', port: 80, podLabels: { app: 'sleep' }, container: 'sleep' } as const;
