#!/bin/sh
# east-west-log: an in-mesh call from a meshed client pod, which the east-west
# VirtualService sends through Flex Gateway, makes Flex's message-logging policy
# write an [accessLog] line for exactly that hop, after the call.
#
# Env contract:
#   FROM_NAMESPACE       required  namespace of the meshed client pod, e.g. test
#   FROM_SELECTOR        required  label selector of the client pod, e.g. app=sleep
#   FROM_CONTAINER       required  client container that has curl, e.g. sleep
#   TRIGGER_URL          required  in-mesh URL called from that pod, e.g. http://reviews.bookinfo.svc.cluster.local:9080/reviews/0
#   EXPECT_STATUS        optional  3-digit status the trigger must return (default 200)
#   BASIC_AUTH_USERNAME  optional  with BASIC_AUTH_PASSWORD: sent with the trigger as a curl config on
#   BASIC_AUTH_PASSWORD  optional  kubectl exec's stdin (-i, curl -K -), never in argv; never printed
#   FLEX_NAMESPACE       required  namespace of the Flex Gateway pods, e.g. flex
#   FLEX_SELECTOR        required  label selector of the Flex pods, e.g. app=flex
#   FLEX_CONTAINER       required  Flex container name, e.g. app
#   LOG_MATCH_API        optional  fixed text naming the API in Flex's log, e.g. bookinfo-reviews.flex.svc (Local Mode);
#                                  empty in Connected Mode, where Flex names APIs after API Manager (UNVERIFIED how):
#                                  the hop path alone is under one API's base path
#   LOG_MATCH_PATH       required  fixed text: the hop as Flex sees it, e.g. /bookinfo/reviews/reviews/0
#   LOG_WAIT_SECONDS     optional  how long to keep polling the logs for the line (default 20)
#   POLL_SECONDS         optional  pause between polls, at least 1 (default 2)
#   CURL_MAX_TIME        optional  seconds allowed per request / kubectl call (default 10)
#   RESULT_FILE          optional  file that also receives the final line
#
# A line passes only when it contains "[accessLog]", LOG_MATCH_API (when set) and LOG_MATCH_PATH
# (fixed strings), and kubectl returned it for --since-time=<just before the trigger>.
# That time is the probe pod's clock minus 2 s, so up to 2 s of skew between this
# node and Flex's node cannot hide the line; a line older than that is not read.
# Output: one final line "PASS|FAIL east-west-log: expected ...; got ..." on stdout.
# Exit 0 pass, 1 fail, 2 configuration error. Progress goes to stderr.
set -eu
. "$(dirname "$0")/probe-lib.sh"

PROBE=east-west-log
CLOCK_SKEW_SECONDS=2

# Whole seconds, 0 allowed; at most 4 digits keeps the arithmetic far from overflow.
is_seconds() { case $1 in '' | *[!0-9]* | 0?* | ?????*) return 1 ;; esac; }

require FROM_NAMESPACE "${FROM_NAMESPACE:-}"
require FROM_SELECTOR "${FROM_SELECTOR:-}"
require FROM_CONTAINER "${FROM_CONTAINER:-}"
require TRIGGER_URL "${TRIGGER_URL:-}"
require FLEX_NAMESPACE "${FLEX_NAMESPACE:-}"
require FLEX_SELECTOR "${FLEX_SELECTOR:-}"
require FLEX_CONTAINER "${FLEX_CONTAINER:-}"
LOG_MATCH_API=${LOG_MATCH_API:-}
require LOG_MATCH_PATH "${LOG_MATCH_PATH:-}"
is_http_url "$TRIGGER_URL" || config_error TRIGGER_URL "an http:// or https:// URL"
expect_status=${EXPECT_STATUS:-200}
case $expect_status in [1-5][0-9][0-9]) ;; *) config_error EXPECT_STATUS "a 3-digit HTTP status" ;; esac
if has_newline "$LOG_MATCH_API"; then config_error LOG_MATCH_API "one line"; fi
if has_newline "$LOG_MATCH_PATH"; then config_error LOG_MATCH_PATH "one line"; fi
wait_seconds=${LOG_WAIT_SECONDS:-20}
poll_seconds=${POLL_SECONDS:-2}
is_seconds "$wait_seconds" || config_error LOG_WAIT_SECONDS "whole seconds, 0 to 9999"
if ! is_seconds "$poll_seconds" || [ "$poll_seconds" -eq 0 ]; then config_error POLL_SECONDS "whole seconds, 1 to 9999"; fi
read_basic_auth
read_max_time
# kubectl exec gets a little longer than the curl inside it, so curl's own
# timeout message is what comes back.
exec_timeout=$((max_time + 5))

# RFC 3339 UTC for an epoch: GNU and busybox date take -d @N, BSD date takes -r N.
utc_time() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null || date -u -r "$1" +%Y-%m-%dT%H:%M:%SZ; }

trigger="GET $TRIGGER_URL from a Running $FROM_SELECTOR pod in $FROM_NAMESPACE to return $expect_status"
first_running_pod "$trigger" "$FROM_NAMESPACE" "$FROM_SELECTOR" # sets pod
from="from $FROM_NAMESPACE/$pod"

# 1. Note the time, then trigger the hop from inside the meshed client pod.
since_epoch=$(($(now) - CLOCK_SKEW_SECONDS))
since=$(utc_time "$since_epoch") || fail "$trigger" "no way to format a time: date takes neither -d @N nor -r N"
curl_rc=0
if [ -n "$username" ] && [ -n "$password" ]; then
  out=$(curl_credentials_config | kubectl exec -i -n "$FROM_NAMESPACE" "$pod" -c "$FROM_CONTAINER" \
    --request-timeout="${exec_timeout}s" -- \
    curl -sS --max-time "$max_time" -K - -w "$HTTP_STATUS_FORMAT" "$TRIGGER_URL" 2>&1) || curl_rc=$?
else
  out=$(kubectl exec -n "$FROM_NAMESPACE" "$pod" -c "$FROM_CONTAINER" \
    --request-timeout="${exec_timeout}s" -- \
    curl -sS --max-time "$max_time" -w "$HTTP_STATUS_FORMAT" "$TRIGGER_URL" 2>&1) || curl_rc=$?
fi
exec_rc=$curl_rc
parse_curl_output body-only
if [ "$http_status" = 000 ]; then
  fail "$trigger" "no HTTP response $from (exit $exec_rc: $(one_line "${http_error:-$http_body}" 140))"
fi
[ "$http_status" = "$expect_status" ] || fail "$trigger" "$(describe_response) $from"

# 2. Poll Flex's log for the line. With -l, kubectl logs defaults to --tail=10,
# which would drop the line on a busy gateway; --tail=-1 reads the whole window.
expected="an [accessLog] line containing ${LOG_MATCH_API:+$LOG_MATCH_API and }$LOG_MATCH_PATH in $FLEX_NAMESPACE logs ($FLEX_SELECTOR, container $FLEX_CONTAINER) since $since, within ${wait_seconds}s of the trigger"
deadline=$(($(now) + wait_seconds))
max_polls=$((wait_seconds / poll_seconds + 2)) # bounds the loop even if the clock stands still
poll=1
while :; do
  kubectl_rc=0
  logs=$(kubectl logs -n "$FLEX_NAMESPACE" -l "$FLEX_SELECTOR" -c "$FLEX_CONTAINER" \
    --since-time="$since" --tail=-1 --request-timeout="${max_time}s" 2>&1) || kubectl_rc=$?
  if [ "$kubectl_rc" -ne 0 ]; then
    got="kubectl logs error: $(one_line "$logs" 160)"
  else
    # Fixed-string matches: API names and paths contain regex metacharacters (.).
    access_lines=$(printf '%s\n' "$logs" | grep -F -e '[accessLog]' || true)
    matched=$(printf '%s\n' "$access_lines" | grep -F -e "$LOG_MATCH_API" | grep -F -e "$LOG_MATCH_PATH" | head -n 1 || true)
    [ -z "$matched" ] || pass "$expected" "$(one_line "$matched" 160)"
    log_count=$(printf '%s\n' "$logs" | grep -c . || true)
    access_count=$(printf '%s\n' "$access_lines" | grep -c . || true)
    got="no such line among $log_count log lines ($access_count [accessLog] lines for other APIs or paths) after $poll poll(s)"
  fi
  echo "$PROBE: poll $poll: $got" >&2
  poll_wait || break
done
fail "$expected" "$got"
