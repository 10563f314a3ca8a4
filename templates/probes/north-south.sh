#!/bin/sh
# north-south: traffic entering through the Istio ingress reaches Bookinfo via Flex Gateway.
#
# Env contract:
#   GATEWAY_URL          required  ingress base URL, e.g. http://istio-ingress.istio-system.svc.cluster.local:80
#   EXPECT_AUTH          required  true|false: whether Flex enforces HTTP Basic authentication
#   BASIC_AUTH_USERNAME  required when EXPECT_AUTH=true (otherwise used when both are set)
#   BASIC_AUTH_PASSWORD  required when EXPECT_AUTH=true; never printed, never on a command line
#   PRODUCTS_PATH        optional  JSON API path (default /api/v1/products/1)
#   PAGE_PATH            optional  HTML page path (default /productpage)
#   CURL_MAX_TIME        optional  seconds allowed per request (default 10)
#   RESULT_FILE          optional  file that also receives the final line
#
# Checks, in order: (EXPECT_AUTH=true) GET / without credentials is 401;
# GET PRODUCTS_PATH is 200 with a JSON body; GET PAGE_PATH is 200.
# Output: one final line "PASS|FAIL north-south: expected ...; got ..." on stdout.
# Exit 0 pass, 1 fail, 2 configuration error.
set -eu
. "$(dirname "$0")/probe-lib.sh"

PROBE=north-south

require GATEWAY_URL "${GATEWAY_URL:-}"
require EXPECT_AUTH "${EXPECT_AUTH:-}"
is_http_url "$GATEWAY_URL" || config_error GATEWAY_URL "an http:// or https:// URL"
case $EXPECT_AUTH in true | false) ;; *) config_error EXPECT_AUTH "true or false" ;; esac
if [ "$EXPECT_AUTH" = true ]; then
  require BASIC_AUTH_USERNAME "${BASIC_AUTH_USERNAME:-}"
  require BASIC_AUTH_PASSWORD "${BASIC_AUTH_PASSWORD:-}"
fi
read_basic_auth
products_path=${PRODUCTS_PATH:-/api/v1/products/1}
page_path=${PAGE_PATH:-/productpage}
read_max_time
base_url=${GATEWAY_URL%/}

# GET <url> [with-credentials]. Sets http_status ("000" when no complete
# response came back), http_body and http_error (curl's own complaint).
# The status marker line separates -w output from the body without temp files.
http_get() {
  curl_rc=0
  if [ "${2:-}" = with-credentials ]; then
    out=$(curl_credentials_config | curl -sS --max-time "$max_time" -K - \
      -w '\nprobe-http-status=%{http_code}\n' "$1" 2>&1) || curl_rc=$?
  else
    out=$(curl -sS --max-time "$max_time" \
      -w '\nprobe-http-status=%{http_code}\n' "$1" 2>&1) || curl_rc=$?
  fi
  http_status=$(printf '%s\n' "$out" | sed -n 's/^probe-http-status=//p' | head -n 1)
  http_body=$(printf '%s\n' "$out" | sed '/^probe-http-status=/d')
  http_error=$(printf '%s\n' "$out" | grep '^curl: ' | head -n 1)
  if [ "$curl_rc" -ne 0 ] || [ -z "$http_status" ]; then http_status=000; fi
}

# What came back, for a FAIL line: the status, or why there was none.
describe_response() {
  if [ "$http_status" = 000 ]; then
    printf 'no HTTP response (%s)' "$(one_line "${http_error:-curl failed}" 120)"
  else
    printf '%s' "$http_status"
  fi
}

starts_like_json() {
  first_char=$(printf '%s' "$http_body" | tr -d ' \t\r\n' | cut -c 1)
  [ "$first_char" = "{" ] || [ "$first_char" = "[" ]
}

got=""
if [ "$EXPECT_AUTH" = true ]; then
  expected="unauthenticated check: GET / without credentials returns 401"
  http_get "$base_url/"
  [ "$http_status" = 401 ] || fail "$expected" "$(describe_response)"
  got="401 without credentials, "
fi

expected="products check: GET $products_path returns 200 with a JSON body"
http_get "$base_url$products_path" with-credentials
[ "$http_status" = 200 ] || fail "$expected" "$(describe_response)"
starts_like_json || fail "$expected" "non-JSON body: $(one_line "$http_body" 80)"
got="${got}200 JSON from $products_path, "

expected="page check: GET $page_path returns 200"
http_get "$base_url$page_path" with-credentials
[ "$http_status" = 200 ] || fail "$expected" "$(describe_response)"

if [ "$EXPECT_AUTH" = true ]; then
  expected="401 without credentials, then 200 JSON from $products_path and 200 from $page_path with credentials"
else
  expected="200 JSON from $products_path and 200 from $page_path"
fi
pass "$expected" "${got}200 from $page_path"
