#!/bin/sh
# flexctl-check: Flex Gateway itself can reach an upstream through the mesh, checked
# with `flexctl check http` inside the Flex container (Flex's namespace is allowed
# by the lockdown policy, so this is the "allowed" half of the lockdown story).
#
# Env contract:
#   FLEX_NAMESPACE  required  namespace of the Flex Gateway pods, e.g. flex
#   FLEX_SELECTOR   required  label selector of the Flex pods, e.g. app=flex
#   FLEX_CONTAINER  required  Flex container name, e.g. app
#   TARGET_URL      required  URL to check, e.g. http://details.bookinfo:9080/details/0
#   CURL_MAX_TIME   optional  seconds allowed per kubectl call (default 10)
#   RESULT_FILE     optional  file that also receives the final line
#
# Passes only when flexctl exits 0 AND prints
#   Access to http address '<TARGET_URL>': ok
# Output: one final line "PASS|FAIL flexctl-check: expected ...; got ..." on stdout.
# Exit 0 pass, 1 fail, 2 configuration error.
set -eu
. "$(dirname "$0")/probe-lib.sh"

PROBE=flexctl-check

require FLEX_NAMESPACE "${FLEX_NAMESPACE:-}"
require FLEX_SELECTOR "${FLEX_SELECTOR:-}"
require FLEX_CONTAINER "${FLEX_CONTAINER:-}"
require TARGET_URL "${TARGET_URL:-}"
is_http_url "$TARGET_URL" || config_error TARGET_URL "an http:// or https:// URL"
read_max_time
# flexctl has no timeout flag of its own; kubectl bounds the exec instead.
exec_timeout=$((max_time + 5))

success_text="Access to http address '$TARGET_URL': ok"
expected="flexctl check http in a $FLEX_SELECTOR pod in $FLEX_NAMESPACE to exit 0 and print \"$success_text\""

first_running_pod "$expected" "$FLEX_NAMESPACE" "$FLEX_SELECTOR" # sets pod

exec_rc=0
out=$(kubectl exec -n "$FLEX_NAMESPACE" "$pod" -c "$FLEX_CONTAINER" \
  --request-timeout="${exec_timeout}s" -- \
  flexctl check http "$TARGET_URL" 2>&1) || exec_rc=$?

# Fixed-string match: the URL is full of regex metacharacters.
ok_line=$(printf '%s\n' "$out" | grep -F -e "$success_text" | head -n 1)
if [ "$exec_rc" -eq 0 ] && [ -n "$ok_line" ]; then
  pass "$expected" "exit 0 in $FLEX_NAMESPACE/$pod: $(one_line "$ok_line" 160)"
fi
fail "$expected" "exit $exec_rc in $FLEX_NAMESPACE/$pod: $(one_line "${out:-no output}" 160)"
