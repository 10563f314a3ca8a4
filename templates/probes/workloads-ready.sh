#!/bin/sh
# workloads-ready: every listed Deployment has all its replicas ready, and every pod in
# the listed namespaces is Ready and carries the mesh sidecar.
#
# Env contract:
#   DEPLOYMENTS        required  space-separated namespace/name Deployments, e.g. bookinfo/reviews-v1 test/sleep;
#                                each must exist with spec.replicas >= 1 and status.readyReplicas = spec.replicas
#   NAMESPACES         required  space-separated namespaces whose pods must be Ready with the sidecar
#   SIDECAR_CONTAINER  optional  sidecar container name (default istio-proxy)
#   POD_SELECTOR       optional  label selector the pods must match, e.g. flexmesh.dev/component!=api-manager-reconcile
#                                (the Connected-Mode reconcile Jobs run without a sidecar on purpose)
#   CURL_MAX_TIME      optional  seconds allowed per kubectl call (default 10)
#   RESULT_FILE        optional  file that also receives the final line
#
# Output: one final line "PASS|FAIL workloads-ready: expected ...; got ..." on stdout,
# with every problem found (Deployments first, then pods) on that one FAIL line.
# Exit 0 pass, 1 fail, 2 configuration error.
# The Deployment check is what catches a workload with no pod at all (scaled to 0,
# never scheduled, or not created yet), which the pod check alone cannot see.
# Succeeded pods (finished Jobs) are ignored. The sidecar may be a regular
# container or, with Istio native sidecars, an initContainer.
set -eu
set -f # namespace names are split on spaces and must never be globbed.
. "$(dirname "$0")/probe-lib.sh"

PROBE=workloads-ready

require DEPLOYMENTS "$(printf '%s' "${DEPLOYMENTS:-}" | tr -d ' \t\n')"
require NAMESPACES "$(printf '%s' "${NAMESPACES:-}" | tr -d ' \t\n')"
sidecar=${SIDECAR_CONTAINER:-istio-proxy}
is_dns_name "$sidecar" || config_error SIDECAR_CONTAINER "a container name"
read_max_time
pod_selector=${POD_SELECTOR:-}
case $pod_selector in *[!a-zA-Z0-9./_=!,-]*) config_error POD_SELECTOR "a label selector of key=value, key!=value or !key terms" ;; esac
namespace_list=""
for namespace in $NAMESPACES; do
  is_dns_name "$namespace" || config_error NAMESPACES "namespace names separated by spaces"
  namespace_list="$namespace_list${namespace_list:+ }$namespace"
done
deployment_list=""
deployment_count=0
for deployment in $DEPLOYMENTS; do
  case $deployment in */*/*) deployment=invalid ;; esac # exactly one slash: a/b/c is not an entry
  case $deployment in */*) ;; *) config_error DEPLOYMENTS "namespace/name entries separated by spaces" ;; esac
  if ! is_dns_name "${deployment%/*}" || ! is_dns_name "${deployment#*/}"; then
    config_error DEPLOYMENTS "namespace/name entries separated by spaces"
  fi
  deployment_list="$deployment_list${deployment_list:+ }$deployment"
  deployment_count=$((deployment_count + 1))
done

# One line per pod: "pod <name>\t<phase>\t<Ready status>\t<containers> <initContainers>".
# The "pod " marker keeps kubectl warnings (merged from stderr) out of the list.
POD_FIELDS='{range .items[*]}pod {.metadata.name}{"\t"}{.status.phase}{"\t"}{.status.conditions[?(@.type=="Ready")].status}{"\t"}{.spec.containers[*].name} {.spec.initContainers[*].name}{"\n"}{end}'

# Reads POD_FIELDS lines; prints "problem <pod>: <why>" per bad pod and "count <n>".
assess_pods() {
  awk -F '\t' -v sidecar="$sidecar" '
    /^pod / {
      if ($2 == "Succeeded") next
      pods++
      why = ""
      if ($3 != "True") why = "not Ready (phase " ($2 == "" ? "unknown" : $2) ")"
      n = split($4, containers, " ")
      found = 0
      for (i = 1; i <= n; i++) if (containers[i] == sidecar) found = 1
      if (!found) why = why (why == "" ? "" : ", ") "no " sidecar " container"
      if (why != "") print "problem " substr($1, 5) ": " why
    }
    END { print "count " pods + 0 }'
}

problems=""
add_problem() { [ -z "$1" ] || problems="$problems${problems:+; }$1"; }

# "replicas=<spec>/<ready>"; readyReplicas is omitted while it is 0. The marker
# keeps kubectl warnings (merged from stderr) out of the numbers.
DEPLOYMENT_FIELDS='replicas={.spec.replicas}/{.status.readyReplicas}{"\n"}'
for deployment in $deployment_list; do
  kubectl_rc=0
  raw=$(kubectl get deployment -n "${deployment%/*}" "${deployment#*/}" --request-timeout="${max_time}s" \
    -o jsonpath="$DEPLOYMENT_FIELDS" 2>&1) || kubectl_rc=$?
  replicas=$(printf '%s\n' "$raw" | sed -n 's/^replicas=//p' | head -n 1)
  if [ "$kubectl_rc" -ne 0 ] || [ -z "$replicas" ]; then
    case $raw in
      *"(NotFound)"*) add_problem "$deployment: missing" ;;
      *) add_problem "$deployment: kubectl error: $(one_line "${raw:-exit $kubectl_rc, no output}" 120)" ;;
    esac
    continue
  fi
  wanted=${replicas%%/*}
  ready=${replicas#*/}
  case $wanted in '' | *[!0-9]*) wanted=0 ;; esac
  case $ready in '' | *[!0-9]*) ready=0 ;; esac
  if [ "$wanted" -eq 0 ]; then
    add_problem "$deployment: scaled to 0 replicas"
  elif [ "$ready" -ne "$wanted" ]; then
    add_problem "$deployment: $ready/$wanted ready"
  fi
done

counts=""
total=0
for namespace in $namespace_list; do
  kubectl_rc=0
  raw=$(kubectl get pods -n "$namespace" ${pod_selector:+--selector="$pod_selector"} --request-timeout="${max_time}s" \
    -o jsonpath="$POD_FIELDS" 2>&1) || kubectl_rc=$?
  if [ "$kubectl_rc" -ne 0 ]; then
    add_problem "$namespace: kubectl error: $(one_line "$raw" 120)"
    continue
  fi
  assessment=$(printf '%s\n' "$raw" | assess_pods)
  count=$(printf '%s\n' "$assessment" | sed -n 's/^count //p')
  total=$((total + count))
  counts="$counts${counts:+, }$namespace: $count"
  [ "$count" -gt 0 ] || add_problem "$namespace: no pods"
  add_problem "$(printf '%s\n' "$assessment" | sed -n "s|^problem |$namespace/|p" |
    awk 'NR > 1 { printf "; " } { printf "%s", $0 }')"
done

expected="every replica ready in the $deployment_count listed Deployment(s), and every pod in $namespace_list Ready with container $sidecar"
[ -z "$problems" ] || fail "$expected" "$problems"
pass "$expected" "$deployment_count Deployment(s) fully ready; $total pods Ready with $sidecar ($counts)"
