// The environment after schema defaults are applied: every field the builders read is present.
// Mirrors schemas/environment.schema.json; keep the two in step (test/env-load.test.ts checks dev.yaml round-trips).

export type FlexMode = 'local' | 'connected';
export type TrafficDirection = 'north-south' | 'east-west';
export type LogLevel = 'INFO' | 'WARN' | 'ERROR' | 'DEBUG';

export interface Credential {
  name: string;
  secretName: string;
  usernameKey: string;
  passwordKey: string;
  insecureDemoUser?: { username: string; password: string };
}

export interface BasicAuthPolicy { type: 'basic-auth'; order?: number; credentials: string }

export interface MessageLoggingItem {
  name: string;
  message: string;
  level: LogLevel;
  conditional?: string;
  category?: string;
  firstSection: boolean;
  secondSection: boolean;
}
export interface MessageLoggingPolicy { type: 'message-logging'; order?: number; items: MessageLoggingItem[] }

export interface RateLimit { maximumRequests: number; timePeriodInMilliseconds: number }
export interface RateLimitingPolicy {
  type: 'rate-limiting';
  order?: number;
  rateLimits: RateLimit[];
  exposeHeaders: boolean;
  keySelector?: string;
  clusterizable?: boolean;
}

export type Policy = BasicAuthPolicy | MessageLoggingPolicy | RateLimitingPolicy;

export interface Api {
  name: string;
  basePath: string;
  traffic: TrafficDirection;
  /** namespace: absent means namespaces.bookinfo (resolved in generator/model). */
  upstream: { service: string; namespace?: string; port: number };
  policies: Policy[];
  smoke?: Smoke;
  /** Connected Mode: overrides anypoint.apiAsset. */
  apiAsset?: ExchangeAsset;
}

export interface ExchangeAsset { groupId?: string; assetId: string; version: string }

/** Connected Mode: where and as whom the reconcile Job writes API Manager (see schemas/environment.schema.json). */
export interface Anypoint {
  host: string;
  organizationId: string;
  environment: { id: string; name?: undefined } | { name: string; id?: undefined };
  connectedApp: { secretName: string; clientIdKey: string; clientSecretKey: string };
  targetId?: string;
  apiAsset: ExchangeAsset;
  instanceLabelPrefix?: string;
  prune: boolean;
  policyAssets: Partial<Record<Policy['type'], ExchangeAsset>>;
  driftCheck: { schedule: string; suspend: boolean };
  reconcileImage: string;
}

export interface Smoke { path: string; expectStatus: number; expectBodyPattern?: string }

/** Exactly one of the two (the schema's minProperties/maxProperties). */
export type ClusterRef = { server: string; name?: undefined } | { name: string; server?: undefined };

export interface Environment {
  /** From the file name: environments/<name>.yaml. */
  name: string;
  apiVersion: 'flexmesh/v1alpha1';
  kind: 'Environment';
  /** path absent: out/<name>; project absent: flexmesh-<name> (resolved in generator/model). */
  gitops: { repoURL: string; targetRevision: string; path?: string };
  argocd: { version: string; namespace: string; project?: string; cluster: ClusterRef; destination: ClusterRef };
  kubernetes: { version: string };
  istio: {
    version: string;
    chartRepository: string;
    namespace: string;
    ingressGateway: { releaseName: string; serviceType: 'LoadBalancer' | 'NodePort' | 'ClusterIP'; port: number };
  };
  flex: {
    version: string;
    chartRepository: string;
    releaseName: string;
    namespace: string;
    mode: FlexMode;
    port: number;
    /** Flex pods; unset leaves the chart's default (one). */
    replicas?: number;
    registrationSecret: string;
  };
  anypoint?: Anypoint;
  namespaces: { bookinfo: string; test: string; preExisting: string[] };
  credentials: Credential[];
  apis: Api[];
  lockdown: { enabled: boolean; allowFromNamespaces?: string[] };
  samples: {
    bookinfo: { source: 'vendored'; excludeVersions: Array<'v1' | 'v2' | 'v3'> };
    sleep: { source: 'vendored' };
  };
  verification: {
    enabled: boolean;
    argoWorkflowsVersion: string;
    namespace: string;
    probeImage: string;
    credentialsSecret?: string;
  };
}
