#!/bin/sh
# east-west-log: a page request makes productpage call reviews through Flex, and the
# Flex message-logging policy writes an [accessLog] line for the east-west API.
#
# Env contract:
#   GATEWAY_URL          required  ingress base URL, e.g. http://istio-ingress.istio-system.svc.cluster.local:80
#   PAGE_PATH            optional  page that triggers the east-west hop (default /productpage)
#   BASIC_AUTH_USERNAME  optional  used for the trigger request when both are set
#   BASIC_AUTH_PASSWORD  optional  used for the trigger request when both are set; never printed
#   FLEX_NAMESPACE       required  namespace of the Flex Gateway pods, e.g. flex
#   FLEX_SELECTOR        required  label selector of the Flex pods, e.g. app=flex
#   FLEX_CONTAINER       required  Flex container name, e.g. app
#   API_NAME             required  east-west API name, e.g. bookinfo-reviews
#   API_BASE_PATH        required  east-west API base path, e.g. /bookinfo/reviews/
#   LOG_SINCE            optional  kubectl logs --since window (default 120s)
#   CURL_MAX_TIME        optional  seconds allowed per request / kubectl call (default 10)
#   RESULT_FILE          optional  file that also receives the final line
#
# Output: one final line "PASS|FAIL east-west-log: expected ...; got ..." on stdout.
# Exit 0 pass, 1 fail, 2 configuration error.
set -eu
. "$(dirname "$0")/probe-lib.sh"

PROBE=east-west-log

is_duration() { case $1 in [1-9]*[smh]) case $1 in *[!0-9smh]*) return 1 ;; esac ;; *) return 1 ;; esac; }

require GATEWAY_URL "${GATEWAY_URL:-}"
require FLEX_NAMESPACE "${FLEX_NAMESPACE:-}"
require FLEX_SELECTOR "${FLEX_SELECTOR:-}"
require FLEX_CONTAINER "${FLEX_CONTAINER:-}"
require API_NAME "${API_NAME:-}"
require API_BASE_PATH "${API_BASE_PATH:-}"
is_http_url "$GATEWAY_URL" || config_error GATEWAY_URL "an http:// or https:// URL"
read_basic_auth
page_path=${PAGE_PATH:-/productpage}
log_since=${LOG_SINCE:-120s}
is_duration "$log_since" || config_error LOG_SINCE "a duration such as 120s or 5m"
read_max_time

# 1. Trigger the hop: productpage -> reviews is routed through Flex by the mesh.
curl_rc=0
out=$(curl_credentials_config | curl -sS --max-time "$max_time" -K - \
  -o /dev/null -w 'probe-http-status=%{http_code}\n' "${GATEWAY_URL%/}$page_path" 2>&1) || curl_rc=$?
status=$(printf '%s\n' "$out" | sed -n 's/^probe-http-status=//p' | head -n 1)
if [ "$curl_rc" -ne 0 ] || [ -z "$status" ] || [ "$status" = 000 ]; then
  fail "trigger request GET $page_path to return 200" \
    "no HTTP response ($(one_line "$(printf '%s\n' "$out" | grep '^curl: ' | head -n 1)" 120))"
fi
[ "$status" = 200 ] || fail "trigger request GET $page_path to return 200" "$status"

# 2. Look for the access-log line. With -l, kubectl logs defaults to --tail=10,
# which would drop the line on a busy gateway; --tail=-1 reads the whole window.
expected="an [accessLog] line naming $API_NAME and $API_BASE_PATH in $FLEX_NAMESPACE logs ($FLEX_SELECTOR, container $FLEX_CONTAINER, last $log_since)"
kubectl_rc=0
logs=$(kubectl logs -n "$FLEX_NAMESPACE" -l "$FLEX_SELECTOR" -c "$FLEX_CONTAINER" \
  --since="$log_since" --tail=-1 --request-timeout="${max_time}s" 2>&1) || kubectl_rc=$?
if [ "$kubectl_rc" -ne 0 ]; then
  fail "$expected" "kubectl logs error: $(one_line "$logs" 160)"
fi

# Fixed-string matches: API names and paths contain regex metacharacters (.).
access_lines=$(printf '%s\n' "$logs" | grep -F -e '[accessLog]' || true)
matched=$(printf '%s\n' "$access_lines" | grep -F -e "$API_NAME" | grep -F -e "$API_BASE_PATH" | head -n 1)
[ -z "$matched" ] || pass "$expected" "$(one_line "$matched" 160)"

log_count=$(printf '%s\n' "$logs" | grep -c . || true)
access_count=$(printf '%s\n' "$access_lines" | grep -c . || true)
fail "$expected" "no such line among $log_count log lines ($access_count [accessLog] lines for other APIs or paths)"
