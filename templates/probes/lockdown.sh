#!/bin/sh
# lockdown: a meshed pod outside the allowed namespaces is refused by the Istio
# AuthorizationPolicy. The request is made from inside that pod (kubectl exec),
# because Istio's source.namespaces only matches mTLS traffic from a meshed caller.
#
# Env contract:
#   FROM_NAMESPACE  required  namespace of the calling pod, e.g. test
#   FROM_SELECTOR   required  label selector of the calling pod, e.g. app=sleep
#   FROM_CONTAINER  required  container that has curl, e.g. sleep
#   TARGET_URL      required  URL to call, e.g. http://details.bookinfo:9080/details/0
#   EXPECT_STATUS   required  HTTP status the policy returns, e.g. 403
#   EXPECT_BODY     required  text the refusal body contains, e.g. RBAC: access denied
#   CURL_MAX_TIME   optional  seconds allowed per request / kubectl call (default 10)
#   RESULT_FILE     optional  file that also receives the final line
#
# Output: one final line "PASS|FAIL lockdown: expected ...; got ..." on stdout.
# Exit 0 pass, 1 fail, 2 configuration error.
set -eu
. "$(dirname "$0")/probe-lib.sh"

PROBE=lockdown

require FROM_NAMESPACE "${FROM_NAMESPACE:-}"
require FROM_SELECTOR "${FROM_SELECTOR:-}"
require FROM_CONTAINER "${FROM_CONTAINER:-}"
require TARGET_URL "${TARGET_URL:-}"
require EXPECT_STATUS "${EXPECT_STATUS:-}"
require EXPECT_BODY "${EXPECT_BODY:-}"
is_http_url "$TARGET_URL" || config_error TARGET_URL "an http:// or https:// URL"
case $EXPECT_STATUS in [1-5][0-9][0-9]) ;; *) config_error EXPECT_STATUS "a 3-digit HTTP status" ;; esac
read_max_time
# kubectl exec gets a little longer than the curl inside it, so curl's own
# timeout message is what comes back.
exec_timeout=$((max_time + 5))

expected="GET $TARGET_URL from a Running $FROM_SELECTOR pod in $FROM_NAMESPACE to return $EXPECT_STATUS with a body containing '$EXPECT_BODY'"

first_running_pod "$expected" "$FROM_NAMESPACE" "$FROM_SELECTOR" # sets pod

curl_rc=0
out=$(kubectl exec -n "$FROM_NAMESPACE" "$pod" -c "$FROM_CONTAINER" \
  --request-timeout="${exec_timeout}s" -- \
  curl -sS --max-time "$max_time" -w "$HTTP_STATUS_FORMAT" "$TARGET_URL" 2>&1) || curl_rc=$?
parse_curl_output body-only # sets http_status, http_body, http_error
status=$http_status
body=$http_body
from="from $FROM_NAMESPACE/$pod"

if [ "$status" = 000 ]; then
  fail "$expected" "no HTTP response $from (exit $curl_rc: $(one_line "${http_error:-$body}" 140))"
fi
[ "$status" != 200 ] || fail "$expected" "200 $from: request was allowed"
[ "$status" = "$EXPECT_STATUS" ] || fail "$expected" "$status $from with body '$(one_line "$body" 80)'"
case $body in
  *"$EXPECT_BODY"*) pass "$expected" "$status $from with body '$(one_line "$body" 80)'" ;;
esac
fail "$expected" "$status $from with body '$(one_line "$body" 80)'"
