#!/bin/sh
# summary: the workflow's exit handler; prints one row per probe and the totals.
#
# Env contract:
#   WORKFLOW_STATUS    required  the workflow's status (Argo: workflow.status): Succeeded, Failed or Error
#   WORKFLOW_FAILURES  optional  Argo's JSON list of failed nodes (Argo: workflow.failures); empty or "null" = none
#   PROBES             required  one line per probe in DAG order: "<probe>:<dependency>,<dependency>"
#   RESULT_FILE        optional  file that also receives the final line
#
# Why derive instead of collecting each probe's own result: Argo does not reliably hand a DAG task's outputs to
# the exit handler, but workflow.failures is always there. A probe is FAIL when a node of its name failed,
# NOT RUN when a probe it depends on did not pass (the DAG never started it), PASS otherwise.
# Output: the rows, then "<N> passed, <M> failed" (M counts FAIL and NOT RUN).
# Exit 0 only when every probe passed and WORKFLOW_STATUS is Succeeded; otherwise 1 (2 for a configuration error).
set -eu
. "$(dirname "$0")/probe-lib.sh"

PROBE=summary

require WORKFLOW_STATUS "${WORKFLOW_STATUS:-}"
require PROBES "${PROBES:-}"

# One failed node per line, so each probe's lookup is a fixed-string grep.
failures=$(printf '%s' "${WORKFLOW_FAILURES:-}" | tr -d '\r\n' | sed 's/},[[:space:]]*{/}\
{/g')

failed_message() {
  printf '%s\n' "$failures" | grep -F -e "\"displayName\":\"$1\"" -e "\"displayName\":\"$1(" | sed -n 's/.*"message":"\([^"]*\)".*/\1/p' | tail -n 1
}

echo "Probe summary (workflow status: $WORKFLOW_STATUS)"
passed=0
not_passed=0
not_passing_probes=' '
probes=$(printf '%s\n' "$PROBES" | tr -d '\r')
IFS_SAVED=$IFS
IFS=$NEWLINE
for entry in $probes; do
  IFS=$IFS_SAVED
  name=${entry%%:*}
  dependencies=
  case "$entry" in *:*) dependencies=${entry#*:} ;; esac
  [ -n "$name" ] || continue
  if printf '%s\n' "$failures" | grep -q -F -e "\"displayName\":\"$name\"" -e "\"displayName\":\"$name("; then
    message=$(failed_message "$name")
    printf '%-8s %-32s %s\n' FAIL "$name" "${message:-failed}"
    not_passed=$((not_passed + 1))
    not_passing_probes="$not_passing_probes$name "
    continue
  fi
  blocked=
  for dependency in $(printf '%s' "$dependencies" | tr ',' ' '); do
    case "$not_passing_probes" in *" $dependency "*) blocked=$dependency ;; esac
  done
  if [ -n "$blocked" ]; then
    printf '%-8s %-32s %s\n' 'NOT RUN' "$name" "($blocked did not pass)"
    not_passed=$((not_passed + 1))
    not_passing_probes="$not_passing_probes$name "
  else
    printf '%-8s %s\n' PASS "$name"
    passed=$((passed + 1))
  fi
  IFS=$NEWLINE
done
IFS=$IFS_SAVED

if [ "$WORKFLOW_STATUS" != Succeeded ]; then
  echo "workflow status is $WORKFLOW_STATUS, expected Succeeded"
fi
total="$passed passed, $not_passed failed"
if [ "$WORKFLOW_STATUS" = Succeeded ] && [ "$not_passed" -eq 0 ] && [ "$passed" -gt 0 ]; then
  finish "$total" 0
fi
finish "$total" 1
