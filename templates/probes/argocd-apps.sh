#!/bin/sh
# argocd-apps: waits until every listed Argo CD Application is Synced and Healthy.
#
# Env contract:
#   ARGOCD_NAMESPACE  required  namespace that holds the Application objects
#   APPLICATIONS      required  space-separated Application names
#   WAIT_SECONDS      optional  how long to keep polling, in seconds (default 300)
#   POLL_SECONDS      optional  pause between polls, at least 1 (default 10)
#   CURL_MAX_TIME     optional  seconds allowed per kubectl call (default 10)
#   RESULT_FILE       optional  file that also receives the final line
#
# Output: one final line "PASS|FAIL argocd-apps: expected ...; got ..." on stdout.
# Exit 0 pass, 1 fail, 2 configuration error. Progress goes to stderr.
# WAIT_SECONDS is wall-clock time (date +%s); the last poll may start just
# before it ends and take up to CURL_MAX_TIME per Application. A poll count
# (WAIT_SECONDS / POLL_SECONDS + 2) bounds the loop even if the clock does not move.
set -eu
set -f # Application names are split on spaces and must never be globbed.
. "$(dirname "$0")/probe-lib.sh"

PROBE=argocd-apps

# Stricter than the library's is_positive_count, and replaces it (read_max_time too):
# "-gt" also refuses a count past the shell's integer range, which the poll arithmetic needs.
is_count() { case $1 in '' | *[!0-9]* | 0?*) return 1 ;; esac; }
is_positive_count() { is_count "$1" && [ "$1" -gt 0 ]; }

require ARGOCD_NAMESPACE "${ARGOCD_NAMESPACE:-}"
require APPLICATIONS "$(printf '%s' "${APPLICATIONS:-}" | tr -d ' \t\n')"
wait_seconds=${WAIT_SECONDS:-300}
poll_seconds=${POLL_SECONDS:-10}
is_count "$wait_seconds" || config_error WAIT_SECONDS "whole seconds"
is_positive_count "$poll_seconds" || config_error POLL_SECONDS "whole seconds, at least 1"
read_max_time
is_dns_name "$ARGOCD_NAMESPACE" || config_error ARGOCD_NAMESPACE "a namespace name"
app_count=0
app_list=""
for app in $APPLICATIONS; do
  is_dns_name "$app" || config_error APPLICATIONS "Application names separated by spaces"
  app_count=$((app_count + 1))
  app_list="$app_list${app_list:+ }$app"
done

# Prints "<sync>/<health>" for one Application, or "error: <what kubectl said>".
# The "state=" marker keeps kubectl warnings (merged from stderr) out of the state.
app_state() {
  kubectl_rc=0
  raw=$(kubectl get applications.argoproj.io -n "$ARGOCD_NAMESPACE" "$1" \
    --request-timeout="${max_time}s" \
    -o jsonpath='state={.status.sync.status}/{.status.health.status}{"\n"}' 2>&1) || kubectl_rc=$?
  state=$(printf '%s\n' "$raw" | sed -n 's/^state=//p' | head -n 1)
  if [ "$kubectl_rc" -ne 0 ] || [ -z "$state" ]; then
    printf 'error: %s' "$(one_line "$raw" 120)"
    return 0
  fi
  sync=${state%%/*}
  health=${state#*/}
  printf '%s/%s' "${sync:-Unknown}" "${health:-Unknown}"
}

expected="Synced/Healthy for $app_list in $ARGOCD_NAMESPACE within ${wait_seconds}s"
deadline=$(($(now) + wait_seconds))
max_polls=$((wait_seconds / poll_seconds + 2))
poll=1
while :; do
  not_ready=""
  for app in $app_list; do
    state=$(app_state "$app")
    [ "$state" = Synced/Healthy ] || not_ready="$not_ready${not_ready:+, }$app=$state"
  done
  [ -n "$not_ready" ] || pass "$expected" "all $app_count Synced/Healthy after $poll poll(s)"
  echo "$PROBE: poll $poll, not ready: $not_ready" >&2
  poll_wait || break
done
fail "$expected" "$not_ready"
