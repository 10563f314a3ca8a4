#!/bin/sh
# north-south: traffic entering through the Istio ingress reaches the API behind Flex Gateway.
#
# Env contract:
#   GATEWAY_URL          required  ingress base URL, e.g. http://istio-ingress.istio-system.svc.cluster.local:80
#   API_PATH             required  path requested at the gateway, e.g. /api/v1/products/1
#   EXPECT_AUTH          required  true|false: whether Flex enforces HTTP Basic authentication
#   EXPECT_STATUS        optional  3-digit status of the (authenticated) request (default 200)
#   EXPECT_BODY_PATTERN  optional  POSIX ERE (grep -E) the body must match, e.g. "id"[[:space:]]*:[[:space:]]*"?1"?[[:space:]]*[,}]
#   BASIC_AUTH_USERNAME  required when EXPECT_AUTH=true (otherwise used when both are set)
#   BASIC_AUTH_PASSWORD  required when EXPECT_AUTH=true; never printed, never on a command line
#   CURL_MAX_TIME        optional  seconds allowed per request (default 10)
#   RESULT_FILE          optional  file that also receives the final line
#
# Checks, in order, with at most 2 requests (so a rate-limited API is not exhausted):
#   EXPECT_AUTH=true: GET API_PATH without credentials is 401 with a WWW-Authenticate
#   challenge whose scheme is Basic (header name and scheme case-insensitive);
#   then GET API_PATH (with credentials when set) returns EXPECT_STATUS and, when
#   EXPECT_BODY_PATTERN is set, a body matching it. The body is matched with its
#   line breaks turned into spaces, so a pattern may span pretty-printed JSON.
# Output: one final line "PASS|FAIL north-south: expected ...; got ..." on stdout.
# Exit 0 pass, 1 fail, 2 configuration error.
set -eu
. "$(dirname "$0")/probe-lib.sh"

PROBE=north-south

require GATEWAY_URL "${GATEWAY_URL:-}"
require API_PATH "${API_PATH:-}"
require EXPECT_AUTH "${EXPECT_AUTH:-}"
is_http_url "$GATEWAY_URL" || config_error GATEWAY_URL "an http:// or https:// URL"
case $API_PATH in /*) ;; *) config_error API_PATH "a path starting with /" ;; esac
case $API_PATH in *[[:space:]]*) config_error API_PATH "a path without spaces" ;; esac
case $EXPECT_AUTH in true | false) ;; *) config_error EXPECT_AUTH "true or false" ;; esac
expect_status=${EXPECT_STATUS:-200}
case $expect_status in [1-5][0-9][0-9]) ;; *) config_error EXPECT_STATUS "a 3-digit HTTP status" ;; esac
pattern=${EXPECT_BODY_PATTERN:-}
if has_newline "$pattern"; then config_error EXPECT_BODY_PATTERN "one line"; fi
if [ -n "$pattern" ]; then
  # grep exits 2 on a malformed expression; find that out before any request.
  pattern_rc=0
  printf '\n' | grep -E -q -e "$pattern" 2>/dev/null || pattern_rc=$?
  [ "$pattern_rc" -le 1 ] || config_error EXPECT_BODY_PATTERN "a POSIX extended regular expression"
fi
if [ "$EXPECT_AUTH" = true ]; then
  require BASIC_AUTH_USERNAME "${BASIC_AUTH_USERNAME:-}"
  require BASIC_AUTH_PASSWORD "${BASIC_AUTH_PASSWORD:-}"
fi
read_basic_auth
read_max_time
url=${GATEWAY_URL%/}$API_PATH

# Succeeds when a WWW-Authenticate value in http_headers offers the Basic scheme.
# One header may list several challenges ("Bearer realm=x, Basic realm=y"): an
# element is a new challenge when its first token is not followed by "=".
offers_basic() {
  header_values www-authenticate | awk '
    {
      n = 0; element = ""; quoted = 0
      for (i = 1; i <= length($0); i++) {
        c = substr($0, i, 1)
        if (c == "\"" && substr($0, i - 1, 1) != "\\") quoted = !quoted
        if (c == "," && !quoted) { elements[++n] = element; element = "" } else element = element c
      }
      elements[++n] = element
      for (k = 1; k <= n; k++) {
        e = elements[k]; sub(/^[ \t]+/, "", e)
        if (match(e, /^[A-Za-z0-9!#$%&\047*+.^_`|~-]+/) == 0) continue
        rest = substr(e, RLENGTH + 1)
        if (rest !~ /^[ \t]*=/ && tolower(substr(e, 1, RLENGTH)) == "basic") found = 1
      }
    }
    END { exit found ? 0 : 1 }'
}

got=""
if [ "$EXPECT_AUTH" = true ]; then
  expected="GET $API_PATH without credentials to return 401 with WWW-Authenticate: Basic"
  http_request "$url" anonymous
  [ "$http_status" = 401 ] || fail "$expected" "$(describe_response)"
  challenge=$(header_values www-authenticate | awk 'NR > 1 { printf ", " } { printf "%s", $0 }')
  [ -n "$challenge" ] || fail "$expected" "401 without a WWW-Authenticate header"
  offers_basic || fail "$expected" "401 with WWW-Authenticate: $(one_line "$challenge" 80) (no Basic challenge)"
  got="401 with WWW-Authenticate: $(one_line "$challenge" 80), then "
fi

expected="GET $API_PATH${got:+ with credentials} to return $expect_status"
[ -z "$pattern" ] || expected="$expected with a body matching $pattern"
http_request "$url" credentials
[ "$http_status" = "$expect_status" ] || fail "$expected" "$got$(describe_response)"
if [ -n "$pattern" ]; then
  flat_body=$(printf '%s' "$http_body" | tr '\r\n' '  ')
  printf '%s\n' "$flat_body" | grep -E -q -e "$pattern" ||
    fail "$expected" "$got$http_status with a body not matching: '$(one_line "$http_body" 80)'"
fi

if [ "$EXPECT_AUTH" = true ]; then
  expected="401 with WWW-Authenticate: Basic without credentials, then $expect_status${pattern:+ with a body matching $pattern} for GET $API_PATH with them"
else
  expected="$expect_status${pattern:+ with a body matching $pattern} for GET $API_PATH"
fi
pass "$expected" "$got$(describe_response)"
