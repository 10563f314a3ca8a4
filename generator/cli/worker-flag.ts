/** The argument that makes the bundled CLI serve schema checks instead of running a command (validate/schema-worker.ts). */
export const SCHEMA_WORKER_FLAG = '--flexmesh-schema-worker';
