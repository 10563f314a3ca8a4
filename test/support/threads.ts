// FLEXMESH_THREADS set for the length of `body`, then put back as it was. It is one variable of the process, so
// callers set it one run at a time, never for runs at once.
export async function withThreads<T>(count: string, body: () => Promise<T>): Promise<T> {
  const before = process.env['FLEXMESH_THREADS'];
  process.env['FLEXMESH_THREADS'] = count;
  try {
    return await body();
  } finally {
    if (before === undefined) delete process.env['FLEXMESH_THREADS'];
    else process.env['FLEXMESH_THREADS'] = before;
  }
}
