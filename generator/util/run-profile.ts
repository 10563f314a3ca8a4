// What a run exercised, for the V8 code cache bin/flexmesh.js keeps of dist/main.cjs: a cache written after a full
// generation holds the compiled pipeline; one written after `--help` or a no-change answer holds little of it.
let fullPipeline = false;

export function noteFullPipeline(): void {
  fullPipeline = true;
}

export function ranFullPipeline(): boolean {
  return fullPipeline;
}
