#!/bin/sh
# api-manager-reconciled: Connected Mode. Waits until the reconcile Job that Argo CD ran for the current desired
# state has succeeded. The Job itself reads back from API Manager that every instance is deployed to this
# gateway's target, so its success means API Manager holds exactly the environment's APIs and policies.
#
# Env contract:
#   JOB_NAMESPACE     required  namespace of the reconcile Job (the Flex namespace)
#   JOB_NAME          required  name of the Job (an Argo CD Sync hook, recreated on every sync)
#   EXPECT_SHA256     required  the desired state's sha256 the Job must carry (annotation flexmesh.dev/desired-state-sha256):
#                               a Job from an older sync does not count
#   WAIT_SECONDS      optional  how long to keep polling, in seconds (default 300)
#   POLL_SECONDS      optional  pause between polls, at least 1 (default 10)
#   CURL_MAX_TIME     optional  seconds allowed per kubectl call (default 10)
#   RESULT_FILE       optional  file that also receives the final line
#
# Output: one final line "PASS|FAIL api-manager-reconciled: expected ...; got ..." on stdout.
# Exit 0 pass, 1 fail (the Job failed, is stale, or is missing at the deadline), 2 configuration error.
set -eu
. "$(dirname "$0")/probe-lib.sh"

PROBE=api-manager-reconciled

is_count() { case $1 in '' | *[!0-9]* | 0?*) return 1 ;; esac; }
require JOB_NAMESPACE "${JOB_NAMESPACE:-}"
require JOB_NAME "${JOB_NAME:-}"
require EXPECT_SHA256 "${EXPECT_SHA256:-}"
is_dns_name "$JOB_NAMESPACE" || config_error JOB_NAMESPACE "a namespace name"
is_dns_name "$JOB_NAME" || config_error JOB_NAME "a Job name"
case $EXPECT_SHA256 in *[!0-9a-f]*) config_error EXPECT_SHA256 "64 lower-case hex digits" ;; esac
[ "${#EXPECT_SHA256}" -eq 64 ] || config_error EXPECT_SHA256 "64 lower-case hex digits"
wait_seconds=${WAIT_SECONDS:-300}
poll_seconds=${POLL_SECONDS:-10}
is_count "$wait_seconds" || config_error WAIT_SECONDS "whole seconds"
is_positive_count "$poll_seconds" || config_error POLL_SECONDS "whole seconds, at least 1"
read_max_time

# Prints "<sha256>/<succeeded>/<Failed condition>" (fields may be empty) or "error: <what kubectl said>".
job_state() {
  kubectl_rc=0
  raw=$(kubectl get jobs.batch -n "$JOB_NAMESPACE" "$JOB_NAME" --request-timeout="${max_time}s" \
    -o jsonpath='state={.metadata.annotations.flexmesh\.dev/desired-state-sha256}/{.status.succeeded}/{.status.conditions[?(@.type=="Failed")].status}{"\n"}' 2>&1) || kubectl_rc=$?
  state=$(printf '%s\n' "$raw" | sed -n 's/^state=//p' | head -n 1)
  if [ "$kubectl_rc" -ne 0 ] || [ -z "$state" ]; then
    printf 'error: %s' "$(one_line "$raw" 160)"
    return 0
  fi
  printf '%s' "$state"
}

expected="Job $JOB_NAMESPACE/$JOB_NAME for desired state $EXPECT_SHA256 succeeded within ${wait_seconds}s"
deadline=$(($(now) + wait_seconds))
max_polls=$((wait_seconds / poll_seconds + 2))
poll=1
while :; do
  state=$(job_state)
  case $state in
    error:*) got=$state ;;
    *)
      IFS=/ read -r sha succeeded failed_condition <<STATE
$state
STATE
      case $sha in
        "$EXPECT_SHA256") ;;
        '') got="the Job has no desired-state annotation" ;;
        *) got="a Job for another desired state ($sha): Argo CD has not synced this commit yet" ;;
      esac
      if [ "$sha" = "$EXPECT_SHA256" ]; then
        [ "${succeeded:-0}" = 0 ] || pass "$expected" "succeeded after $poll poll(s)"
        [ "$failed_condition" != True ] || fail "$expected" "the Job failed: kubectl -n $JOB_NAMESPACE logs job/$JOB_NAME shows the API Manager error"
        got="the Job is still running"
      fi
      ;;
  esac
  echo "$PROBE: poll $poll: $got" >&2
  poll_wait || break
done
fail "$expected" "$got"
