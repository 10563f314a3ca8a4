#!/bin/sh
# Stand-in for kubectl in probe tests, installed as "kubectl" first on PATH.
#
# Reads $FAKE_DIR (written by probe-sandbox.ts):
#   kubectl-rules/<NN>/match      sh glob tried against the space-joined argv; first match wins
#   kubectl-rules/<NN>/stdout     reply; stdout.<k> (if present) replaces it on the k-th matching call
#   kubectl-rules/<NN>/log-lines  instead of stdout, timed log lines "<seconds after trigger>\t<from call>\t<text>":
#                                 a line is printed from the <from call>-th matching call on, and only
#                                 when it is not older than the call's --since-time (like kubectl logs)
#   kubectl-rules/<NN>/stderr     written to stderr
#   kubectl-rules/<NN>/exit       exit status
# Appends its argv to $FAKE_DIR/kubectl-calls.log and the call's epoch second to
# $FAKE_DIR/kubectl-times.log, one call per line. Every exec call records its
# epoch second in $FAKE_DIR/trigger-epoch: "the trigger" for timed log lines
# (without any exec yet, the trigger is now).
# An unmatched "exec ... -- cmd args" runs "cmd args" here, so an exec'd curl
# reaches the loopback fixture and an exec'd flexctl is the fake flexctl. Like the
# real kubectl, exec hands the command its stdin only with -i / --stdin.
set -eu

# The real date, even when a case fakes date for the probe.
real_date() { (PATH=${REAL_PATH:-$PATH} && exec date "$@"); }
# The injected clock the probe reads too (fake-date.sh), so call times and the trigger agree with its deadlines.
clock_now() { cat "$FAKE_DIR/clock"; }

printf '%s\n' "$*" >>"$FAKE_DIR/kubectl-calls.log"
clock_now >>"$FAKE_DIR/kubectl-times.log"
[ "${1:-}" != exec ] || clock_now >"$FAKE_DIR/trigger-epoch"

# Prints the timed log lines due on call $2 of rule $1 and not older than --since-time.
timed_log_lines() {
  since=""
  for arg in "$@"; do
    case $arg in --since-time=*) since=${arg#--since-time=} ;; esac
  done
  trigger=$(cat "$FAKE_DIR/trigger-epoch" 2>/dev/null || clock_now)
  while IFS='	' read -r offset from_call text; do
    [ "$calls" -ge "$from_call" ] || continue
    at=$(real_date -u -d "@$((trigger + offset))" +%Y-%m-%dT%H:%M:%SZ)
    # Both are UTC in the same RFC 3339 form, so they compare as strings.
    if [ -z "$since" ] || awk -v at="$at" -v since="$since" 'BEGIN { exit !(at >= since) }'; then
      printf '%s\n' "$text"
    fi
  done <"$rule/log-lines"
}

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
  if [ -f "$rule/log-lines" ]; then
    timed_log_lines "$@"
  else
    reply="$rule/stdout.$calls"
    [ -f "$reply" ] || reply="$rule/stdout"
    cat "$reply"
  fi
  cat "$rule/stderr" >&2
  exit "$(cat "$rule/exit")"
done

if [ "${1:-}" = exec ]; then
  stdin=closed
  while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do
    case $1 in -i | --stdin | --stdin=true) stdin=open ;; esac
    shift
  done
  [ "$#" -gt 1 ] || { echo "fake kubectl: exec without '-- command'" >&2; exit 1; }
  shift
  if [ "$stdin" = open ]; then exec "$@"; fi
  exec "$@" </dev/null
fi

echo "fake kubectl: no canned reply for: $*" >&2
exit 1
