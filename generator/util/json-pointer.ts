// JSON pointers (RFC 6901) as paths of keys and indexes; apart from env/source-positions.ts, which needs the yaml
// library, so that the schema worker's bundle does not carry it.
export type PathSegment = string | number;

/** JSON pointer (`/apis/0/name`) to path segments, numbers for array indexes. */
export function pointerToPath(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}
