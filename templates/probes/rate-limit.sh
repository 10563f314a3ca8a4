#!/bin/sh
# rate-limit: one request more than the Flex rate-limiting quota is rejected with 429.
#
# Env contract:
#   API_URL              required  URL behind the rate limit, e.g. http://flex.flex.svc.cluster.local:8081/bookinfo/reviews/reviews/0
#   MAXIMUM_REQUESTS     required  the policy's maximumRequests, an integer from 1 to 1000
#   EXPECT_HEADERS       required  true|false: whether the 429 must carry x-ratelimit-limit (exposeHeaders)
#   BASIC_AUTH_USERNAME  optional  with BASIC_AUTH_PASSWORD: every request carries them (curl -K - on stdin),
#   BASIC_AUTH_PASSWORD  optional  so an API with basic auth in front of the limit answers 429, not 401; never printed
#   CURL_MAX_TIME        optional  seconds allowed per request (default 10)
#   RESULT_FILE          optional  file that also receives the final line
#
# Sends MAXIMUM_REQUESTS+1 requests back to back; only the last is judged,
# because other traffic may have used part of the quota already.
# Output: one final line "PASS|FAIL rate-limit: expected ...; got ..." on stdout.
# Exit 0 pass, 1 fail, 2 configuration error.
set -eu
. "$(dirname "$0")/probe-lib.sh"

PROBE=rate-limit
REQUEST_CAP=1000 # keeps the loop, and the load we put on the gateway, bounded

require API_URL "${API_URL:-}"
require MAXIMUM_REQUESTS "${MAXIMUM_REQUESTS:-}"
require EXPECT_HEADERS "${EXPECT_HEADERS:-}"
is_http_url "$API_URL" || config_error API_URL "an http:// or https:// URL"
if ! is_positive_count "$MAXIMUM_REQUESTS" || [ "${#MAXIMUM_REQUESTS}" -gt 4 ] ||
  [ "$MAXIMUM_REQUESTS" -gt "$REQUEST_CAP" ]; then
  config_error MAXIMUM_REQUESTS "an integer from 1 to $REQUEST_CAP"
fi
case $EXPECT_HEADERS in true | false) ;; *) config_error EXPECT_HEADERS "true or false" ;; esac
read_basic_auth
read_max_time

# "200 200 200 200 429" reads as "200 x4 429", so a large quota stays one short line.
compress_runs() {
  printf '%s\n' "$1" | awk '{
    out = ""
    for (i = 1; i <= NF; i = j + 1) {
      j = i
      while (j < NF && $(j + 1) == $i) j++
      run = j - i + 1
      out = out (out == "" ? "" : " ") $i (run > 2 ? " x" run : (run == 2 ? " " $i : ""))
    }
    print out
  }'
}

total=$((MAXIMUM_REQUESTS + 1))
statuses=""
sent=0
while [ "$sent" -lt "$total" ]; do
  http_request "$API_URL" credentials # credentials only when both are set
  sent=$((sent + 1))
  statuses="$statuses${statuses:+ }$http_status"
done
statuses=$(compress_runs "$statuses")

with_credentials=""
if [ -n "$username" ] && [ -n "$password" ]; then with_credentials=" with credentials"; fi
expected="request $total of $total$with_credentials to return 429"
[ "$EXPECT_HEADERS" = false ] || expected="$expected with x-ratelimit-limit: $MAXIMUM_REQUESTS"
if [ "$http_status" != 429 ]; then
  why=""
  [ "$http_status" != 000 ] || why=" (last: $(one_line "${http_error:-curl failed}" 100))"
  fail "$expected" "statuses $statuses$why"
fi
if [ "$EXPECT_HEADERS" = true ]; then
  limit=$(header_values x-ratelimit-limit | head -n 1)
  [ -n "$limit" ] || fail "$expected" "statuses $statuses, no x-ratelimit-limit header on the 429"
  [ "$limit" = "$MAXIMUM_REQUESTS" ] ||
    fail "$expected" "statuses $statuses, x-ratelimit-limit: $(one_line "$limit" 40)"
  pass "$expected" "statuses $statuses, x-ratelimit-limit: $limit"
fi
pass "$expected" "statuses $statuses"
