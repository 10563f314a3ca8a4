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

PROBE=flexctl-check

report() { # <PASS|FAIL> <text> <exit status>
  line="$1 $PROBE: $2"
  printf '%s\n' "$line"
  if [ -n "${RESULT_FILE:-}" ]; then
    printf '%s\n' "$line" >"$RESULT_FILE" || echo "$PROBE: cannot write RESULT_FILE" >&2
  fi
  exit "$3"
}
pass() { report PASS "expected $1; got $2" 0; }
fail() { report FAIL "expected $1; got $2" 1; }
config_error() { report FAIL "configuration: $1 is required${2:+ ($2)}" 2; }
require() { [ -n "$2" ] || config_error "$1"; }
is_positive_count() { case $1 in '' | *[!0-9]* | 0*) return 1 ;; esac; }
is_http_url() { case $1 in http://?* | https://?*) return 0 ;; *) return 1 ;; esac; }
one_line() { printf '%s' "$1" | tr -s '\r\n\t' '   ' | cut -c "1-$2"; }

require FLEX_NAMESPACE "${FLEX_NAMESPACE:-}"
require FLEX_SELECTOR "${FLEX_SELECTOR:-}"
require FLEX_CONTAINER "${FLEX_CONTAINER:-}"
require TARGET_URL "${TARGET_URL:-}"
is_http_url "$TARGET_URL" || config_error TARGET_URL "an http:// or https:// URL"
max_time=${CURL_MAX_TIME:-10}
is_positive_count "$max_time" || config_error CURL_MAX_TIME "whole seconds, at least 1"
# flexctl has no timeout flag of its own; kubectl bounds the exec instead.
exec_timeout=$((max_time + 5))

success_text="Access to http address '$TARGET_URL': ok"
expected="flexctl check http in a $FLEX_SELECTOR pod in $FLEX_NAMESPACE to exit 0 and print \"$success_text\""

# First Running pod for the selector; the "pod " marker keeps kubectl warnings
# (merged from stderr) apart from the name.
kubectl_rc=0
listing=$(kubectl get pods -n "$FLEX_NAMESPACE" -l "$FLEX_SELECTOR" \
  --field-selector=status.phase=Running --request-timeout="${max_time}s" \
  -o jsonpath='{range .items[*]}pod {.metadata.name}{"\n"}{end}' 2>&1) || kubectl_rc=$?
[ "$kubectl_rc" -eq 0 ] || fail "$expected" "kubectl error finding the pod: $(one_line "$listing" 160)"
pod=$(printf '%s\n' "$listing" | sed -n 's/^pod //p' | head -n 1)
[ -n "$pod" ] || fail "$expected" "no Running pod matching $FLEX_SELECTOR in $FLEX_NAMESPACE"

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
