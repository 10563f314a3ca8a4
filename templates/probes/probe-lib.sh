# probe-lib.sh: the code every probe shares, sourced (never run) by each of them as
#   . "$(dirname "$0")/probe-lib.sh"
# It exists so the final-line format, the exit codes and the input checks are written once
# and cannot drift apart between probes. The probes ship in one ConfigMap mounted at /probes/,
# so the library always sits beside them (in tests: templates/probes/).
# Provides: finish/report/pass/fail (final line to stdout and RESULT_FILE, then exit),
# config_error/require, input validators, one_line, read_max_time (the per-call bound),
# read_basic_auth and curl_credentials_config (Basic auth via curl stdin),
# first_running_pod, and the one HTTP response parser: http_request (curl here),
# parse_curl_output (also for a curl run through kubectl exec), header_values and
# describe_response; now and poll_wait (bounded polling). Sourcing only defines functions, NEWLINE and
# HTTP_STATUS_FORMAT; it runs nothing.
# POSIX sh for dash and busybox ash; no Argo template braces anywhere.
#
# Variables it reads (each probe's header says which of them it takes):
#   PROBE                set by the probe: its name on the final line
#   RESULT_FILE          optional  file that also receives the final line
#   CURL_MAX_TIME        read by read_max_time (default 10)
#   BASIC_AUTH_USERNAME  read by read_basic_auth
#   BASIC_AUTH_PASSWORD  read by read_basic_auth; reaches curl only on stdin
#
# Exit status through report: 0 pass, 1 fail, 2 configuration error.

# The final line goes to stdout and to RESULT_FILE (the Argo output parameter).
finish() { # <line> <exit status>
  printf '%s\n' "$1"
  if [ -n "${RESULT_FILE:-}" ]; then
    printf '%s\n' "$1" >"$RESULT_FILE" || echo "$PROBE: cannot write RESULT_FILE" >&2
  fi
  exit "$2"
}
report() { finish "$1 $PROBE: $2" "$3"; } # <PASS|FAIL> <text> <exit status>
pass() { report PASS "expected $1; got $2" 0; }
fail() { report FAIL "expected $1; got $2" 1; }
config_error() { report FAIL "configuration: $1 is required${2:+ ($2)}" 2; }
require() { [ -n "$2" ] || config_error "$1"; } # <NAME> <value>

is_positive_count() { case $1 in '' | *[!0-9]* | 0*) return 1 ;; esac; }
is_http_url() { case $1 in http://?* | https://?*) return 0 ;; *) return 1 ;; esac; }
is_dns_name() { case $1 in '' | *[!a-z0-9.-]*) return 1 ;; esac; }
one_line() { printf '%s' "$1" | tr -s '\r\n\t' '   ' | cut -c "1-$2"; }
NEWLINE='
'
has_newline() { case $1 in *"$NEWLINE"*) return 0 ;; *) return 1 ;; esac; }

# Sets max_time: every curl and kubectl call is bounded by it, so no probe can hang.
read_max_time() {
  max_time=${CURL_MAX_TIME:-10}
  is_positive_count "$max_time" || config_error CURL_MAX_TIME "whole seconds, at least 1"
}

# Sets username and password (either may be empty). A curl config line cannot
# carry a raw newline, and Basic auth has no use for one.
read_basic_auth() {
  username=${BASIC_AUTH_USERNAME:-}
  password=${BASIC_AUTH_PASSWORD:-}
  if has_newline "$username"; then config_error BASIC_AUTH_USERNAME "without newlines"; fi
  if has_newline "$password"; then config_error BASIC_AUTH_PASSWORD "without newlines"; fi
}

# Escapes \ and " for a double-quoted curl config value.
config_escape() { printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g'; }

# For `curl -K -`: the password reaches curl on stdin (printf is a shell builtin),
# so it never shows up in a process list or in an argv recorded by a wrapper.
curl_credentials_config() {
  if [ -n "$username" ] && [ -n "$password" ]; then
    printf 'user = "%s:%s"\n' "$(config_escape "$username")" "$(config_escape "$password")"
  fi
}

# Sets pod to the first Running pod for the selector, or fails naming what went wrong.
# The "pod " marker keeps kubectl warnings (merged from stderr) apart from the name.
first_running_pod() { # <expected> <namespace> <selector>; needs max_time
  kubectl_rc=0
  listing=$(kubectl get pods -n "$2" -l "$3" \
    --field-selector=status.phase=Running --request-timeout="${max_time}s" \
    -o jsonpath='{range .items[*]}pod {.metadata.name}{"\n"}{end}' 2>&1) || kubectl_rc=$?
  [ "$kubectl_rc" -eq 0 ] || fail "$1" "kubectl error finding the pod: $(one_line "$listing" 160)"
  pod=$(printf '%s\n' "$listing" | sed -n 's/^pod //p' | head -n 1)
  [ -n "$pod" ] || fail "$1" "no Running pod matching $3 in $2"
}

# curl -w format: a marker line after the body, so status and body come apart
# without temp files. The leading \n ends a body that has no final newline.
HTTP_STATUS_FORMAT='\nprobe-http-status=%{http_code}\n'

# Splits $out (curl's merged stdout/stderr, made with -w "$HTTP_STATUS_FORMAT")
# and $curl_rc into http_status ("000" when no complete response came back),
# http_headers (with-headers: the block curl -D - wrote before the body), http_body
# and http_error (curl's own complaint). CRs are dropped. The last marker line
# counts, so a body line that looks like one cannot fake the status.
parse_curl_output() { # <with-headers|body-only>
  out=$(printf '%s\n' "$out" | tr -d '\r')
  http_status=$(printf '%s\n' "$out" | sed -n 's/^probe-http-status=//p' | tail -n 1)
  http_error=$(printf '%s\n' "$out" | grep '^curl: ' | head -n 1 || true)
  http_headers=""
  http_body=$(printf '%s\n' "$out" | awk -v split_headers="$1" '
    { line[NR] = $0; if ($0 ~ /^probe-http-status=/) marker = NR }
    END {
      first = 1
      if (split_headers == "with-headers") { while (first <= NR && line[first] != "") first++; first++ }
      for (i = first; i <= NR; i++) if (i != marker) print line[i]
    }')
  if [ "$1" = with-headers ]; then
    http_headers=$(printf '%s\n' "$out" | awk '$0 == "" { exit } { print }')
  fi
  case $http_status in [0-9][0-9][0-9]) ;; *) http_status=000 ;; esac
  if [ "${curl_rc:-0}" -ne 0 ]; then http_status=000; fi
}

# GET <url> with curl here; "anonymous" sends no credentials, "credentials" sends
# BASIC_AUTH_* when both are set (call read_basic_auth first). Sets what
# parse_curl_output sets. Needs max_time.
http_request() { # <url> <anonymous|credentials>
  curl_rc=0
  out=$({ [ "$2" = anonymous ] || curl_credentials_config; } |
    curl -sS --max-time "$max_time" -K - -D - -w "$HTTP_STATUS_FORMAT" "$1" 2>&1) || curl_rc=$?
  parse_curl_output with-headers
}

# Values of a response header in http_headers, one per line, matched
# case-insensitively and trimmed; nothing when absent.
header_values() { # <lower-case name>
  printf '%s\n' "$http_headers" | awk -v wanted="$1" '
    index($0, ":") > 1 && tolower(substr($0, 1, index($0, ":") - 1)) == wanted {
      value = substr($0, index($0, ":") + 1)
      gsub(/^[ \t]+|[ \t]+$/, "", value)
      print value
    }'
}

# What came back, for a FAIL line: the status and a body excerpt, or why there was none.
describe_response() {
  if [ "$http_status" = 000 ]; then
    printf 'no HTTP response (%s)' "$(one_line "${http_error:-curl failed}" 120)"
  elif [ -n "$http_body" ]; then
    printf "%s with body '%s'" "$http_status" "$(one_line "$http_body" 80)"
  else
    printf '%s with an empty body' "$http_status"
  fi
}

# Bounded polling, shared by the probes that wait: after a poll that did not pass, waits for the next one
# (never past the deadline) and returns 0, or returns 1 when the deadline or max_polls is reached.
now() { date -u +%s; }
# The caller sets deadline and max_polls (and poll, poll_seconds) before its loop.
# shellcheck disable=SC2154
poll_wait() { # needs deadline, poll, max_polls, poll_seconds; advances poll
  remaining=$((deadline - $(now)))
  [ "$remaining" -gt 0 ] && [ "$poll" -lt "$max_polls" ] || return 1
  [ "$remaining" -ge "$poll_seconds" ] || poll_seconds=$remaining
  sleep "$poll_seconds"
  poll=$((poll + 1))
}
