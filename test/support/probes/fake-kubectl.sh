#!/bin/sh
# Stand-in for kubectl in probe tests, installed as "kubectl" first on PATH.
#
# Reads $FAKE_DIR (written by probe-sandbox.ts):
#   kubectl-rules/<NN>/match     sh glob tried against the space-joined argv; first match wins
#   kubectl-rules/<NN>/stdout    reply; stdout.<k> (if present) replaces it on the k-th matching call
#   kubectl-rules/<NN>/stderr    written to stderr
#   kubectl-rules/<NN>/exit      exit status
# Appends its argv to $FAKE_DIR/kubectl-calls.log, one call per line.
# An unmatched "exec ... -- cmd args" runs "cmd args" here, so an exec'd curl
# reaches the loopback fixture and an exec'd flexctl is the fake flexctl.
set -eu

printf '%s\n' "$*" >>"$FAKE_DIR/kubectl-calls.log"

for rule in "$FAKE_DIR"/kubectl-rules/*; do
  [ -f "$rule/match" ] || continue
  pattern=$(cat "$rule/match")
  # shellcheck disable=SC2254 # the pattern is a glob on purpose
  case "$*" in
    $pattern) ;;
    *) continue ;;
  esac
  calls=$(($(cat "$rule/calls" 2>/dev/null || echo 0) + 1))
  echo "$calls" >"$rule/calls"
  reply="$rule/stdout.$calls"
  [ -f "$reply" ] || reply="$rule/stdout"
  cat "$reply"
  cat "$rule/stderr" >&2
  exit "$(cat "$rule/exit")"
done

if [ "${1:-}" = exec ]; then
  while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do shift; done
  [ "$#" -gt 1 ] || { echo "fake kubectl: exec without '-- command'" >&2; exit 1; }
  shift
  exec "$@"
fi

echo "fake kubectl: no canned reply for: $*" >&2
exit 1
