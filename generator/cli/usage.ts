// Exit codes and usage errors shared by every command.

export const EXIT = { ok: 0, checkFailed: 1, badInput: 2 } as const;

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface Io { out(line: string): void; err(line: string): void; cwd: string }

export const HELP = {
  main: `flexmesh: generate GitOps bundles for MuleSoft Flex Gateway in an Istio mesh with Argo CD

Usage: flexmesh <command> [options]

Commands:
  generate   write out/<env>/ from environments/<env>.yaml
  check      regenerate in memory and compare with out/; exit 1 on drift
  validate   check manifests on disk (schemas and cross-references); exit 1 when invalid

Run 'flexmesh <command> --help' for a command's options.
Exit codes: 0 ok, 1 check failed, 2 bad input or usage.`,
  generate: `Usage: flexmesh generate [--env NAME ...|--all] [--out DIR]

Writes out/<env>/ for each selected environment (default: --env dev).
  --env NAME   environment file environments/NAME.yaml (repeatable)
  --all        every environments/*.yaml
  --out DIR    output root (default: out)
Nothing is written when any environment has an error (exit 2).`,
  check: `Usage: flexmesh check [--env NAME ...|--all] [--out DIR]

Regenerates in memory and compares with <out>/<env>/ (default: every environments/*.yaml).
Exit 1 and the differing files when regeneration would change anything.`,
  validate: `Usage: flexmesh validate <dir|file>... [--pre-existing NS[,NS...]]

Runs the schema and cross-reference checks of generate on any manifests (*.yaml, recursively):
one line per problem, \`path:line:col Kind/name: message\`; exit 1 when anything is invalid.
  --pre-existing NS   namespaces that exist without the manifests creating them (default: argocd, argo)`,
} as const;
