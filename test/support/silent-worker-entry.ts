// A worker that never answers: the schema checks must not wait for it forever (test/schema-worker.test.ts).
setInterval(() => {}, 1_000);
