#!/bin/sh
# summary: the workflow's exit handler; prints one row per probe and the totals.
#
# Env contract:
#   WORKFLOW_STATUS    required  the workflow's status (Argo: workflow.status): Succeeded, Failed or Error
#   WORKFLOW_FAILURES  optional  failed nodes (Argo: workflow.failures); empty, null or "null" = none
#   PROBES             required  one line per probe in DAG order: "<probe>:<dependency>,<dependency>"
#   RESULT_FILE        optional  file that also receives the final line
#
# Why derive instead of collecting each probe's own result: Argo does not reliably hand a DAG task's outputs to
# the exit handler, but workflow.failures is always there. A probe is FAIL when a node of its name failed,
# NOT RUN when a probe it depends on did not pass (the DAG never started it), PASS otherwise.
# WORKFLOW_FAILURES as Argo v3.6 hands it over: the JSON array of failed nodes
# (displayName, message, templateName, phase, podName, finishedAt) passed through
# Go's strconv.Quote, so it arrives wrapped in quotes with \" and \\ escaped, and
# as "null" (quoted too) when nothing failed. Read in argoproj/argo-workflows
# v3.6.19: workflow/controller/operator.go lines 402-422 (failures is a nil slice
# until a node fails, json.Marshal turns nil into null, line 422 Quotes the result)
# and the failedNodeStatus struct at lines 137-144. The env value keeps that form:
# SubstituteParams (workflow/common/util.go lines 241-256) replaces into the
# template's JSON, escaping once more (util/template/simple_template.go lines
# 44-45), and json.Unmarshal takes that layer off again. A raw JSON array is read too.
# Output: the rows, then "<N> passed, <M> failed" (M counts FAIL and NOT RUN);
# "; WORKFLOW_FAILURES unreadable" is appended (and the exit is 1) when it is neither of those.
# Exit 0 only when every probe passed and WORKFLOW_STATUS is Succeeded; otherwise 1 (2 for a configuration error).
set -eu
. "$(dirname "$0")/probe-lib.sh"

PROBE=summary

require WORKFLOW_STATUS "${WORKFLOW_STATUS:-}"
require PROBES "${PROBES:-}"

# Prints one "node<TAB>displayName<TAB>message" line per failed node, or "unreadable".
# Step 1 undoes strconv.Quote: \" and \\ (Quote's other escapes, such as \n or \uXXXX,
# are valid JSON escapes too, so they stay for step 2). Step 2 reads the JSON: in a
# string \" \\ \/ are decoded, \n \r \t \b \f and control \u00XX become a space,
# printable \u00XX is decoded (json.Marshal writes < > & as \u003c \u003e \u0026),
# any other \uXXXX stays as it is. Escaped \ and " are swapped for \001 and \002
# first, so splitting on the remaining quotes separates strings from structure
# in one pass, whatever the length.
decode_failures() {
  printf '%s' "${WORKFLOW_FAILURES:-}" | tr '\r\n\t' '   ' | awk '
    function join_on(text, separator, with,    parts, count, i, out) {
      count = split(text, parts, separator)
      out = parts[1]
      for (i = 2; i <= count; i++) out = out with parts[i]
      return out
    }
    function hexval(h,    i, v) {
      v = 0; h = tolower(h)
      for (i = 1; i <= length(h); i++) v = v * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1
      return v
    }
    function json_text(str,    out, i, h, v) { # a JSON string body, \ and " still as \001 and \002
      gsub(/\\\//, "/", str)
      gsub(/\\[nrtbf]/, " ", str)
      out = ""
      while ((i = index(str, "\\u")) > 0) {
        h = substr(str, i + 2, 4)
        if (h ~ /^00[0-7][0-9a-fA-F]$/) {
          v = hexval(h)
          out = out substr(str, 1, i - 1) ((v < 32 || v == 127) ? " " : sprintf("%c", v))
          str = substr(str, i + 6)
        } else {
          out = out substr(str, 1, i + 1)
          str = substr(str, i + 2)
        }
      }
      return join_on(join_on(out str, "\002", "\""), "\001", "\\")
    }
    { s = s $0 }
    END {
      sub(/^ +/, "", s); sub(/ +$/, "", s)
      if (length(s) >= 2 && s ~ /^".*"$/) {
        s = substr(s, 2, length(s) - 2)
        gsub(/\\\\/, "\001", s); gsub(/\\"/, "\"", s)
        s = join_on(s, "\001", "\\")
        sub(/^ +/, "", s); sub(/ +$/, "", s)
      }
      if (s == "" || s == "null" || s == "[]") exit
      if (s !~ /^\[/) { print "unreadable"; exit }
      gsub(/\\\\/, "\001", s); gsub(/\\"/, "\002", s)
      n = split(s, part, "\"")
      depth = 0; key = ""; colon = 0; in_node = 0
      for (i = 1; i <= n; i++) {
        if (i % 2 == 0) { # a string
          if (depth != 2) continue
          if (colon && key != "") { value[key] = json_text(part[i]); key = "" }
          else key = part[i]
          colon = 0
          continue
        }
        for (j = 1; j <= length(part[i]); j++) { # structure between strings
          c = substr(part[i], j, 1)
          if (c == "{" || c == "[") {
            depth++
            if (depth == 2 && c == "{") { in_node = 1; value["displayName"] = ""; value["message"] = "" }
          } else if (c == "}" || c == "]") {
            if (depth == 2 && in_node) { print "node\t" value["displayName"] "\t" value["message"]; in_node = 0 }
            if (--depth < 0) bad = 1
          } else if (c == ":") colon = 1
          else if (c == ",") { colon = 0; key = "" }
        }
      }
      if (bad || depth != 0 || n % 2 == 0) print "unreadable"
    }'
}
decoded=$(decode_failures)
unreadable=""
case $NEWLINE$decoded$NEWLINE in *"${NEWLINE}unreadable$NEWLINE"*) unreadable=yes ;; esac

# Message for a failed probe: its own node's (for a retried step, the retry parent's),
# else the last failed retry's ("name(1)"). Argo lists the nodes in Go map order, so
# position says nothing. Exits 1 when no node of the probe failed.
failed_message() {
  printf '%s\n' "$decoded" | awk -F '\t' -v name="$1" '
    $1 == "node" && $2 == name { own = 1; own_message = $3 }
    $1 == "node" && index($2, name "(") == 1 { retry = 1; retry_message = $3 }
    END {
      message = own ? own_message : retry_message
      if (own || retry) print (message == "" ? "failed" : message)
      exit (own || retry) ? 0 : 1
    }'
}

echo "Probe summary (workflow status: $WORKFLOW_STATUS)"
passed=0
not_passed=0
not_passing_probes=' '
probes=$(printf '%s\n' "$PROBES" | tr -d '\r')
IFS_SAVED=$IFS
IFS=$NEWLINE
for entry in $probes; do
  IFS=$IFS_SAVED
  name=${entry%%:*}
  dependencies=
  case "$entry" in *:*) dependencies=${entry#*:} ;; esac
  [ -n "$name" ] || continue
  if message=$(failed_message "$name"); then
    printf '%-8s %-32s %s\n' FAIL "$name" "$message"
    not_passed=$((not_passed + 1))
    not_passing_probes="$not_passing_probes$name "
    continue
  fi
  blocked=
  for dependency in $(printf '%s' "$dependencies" | tr ',' ' '); do
    case "$not_passing_probes" in *" $dependency "*) blocked=$dependency ;; esac
  done
  if [ -n "$blocked" ]; then
    printf '%-8s %-32s %s\n' 'NOT RUN' "$name" "($blocked did not pass)"
    not_passed=$((not_passed + 1))
    not_passing_probes="$not_passing_probes$name "
  else
    printf '%-8s %s\n' PASS "$name"
    passed=$((passed + 1))
  fi
  IFS=$NEWLINE
done
IFS=$IFS_SAVED

if [ "$WORKFLOW_STATUS" != Succeeded ]; then
  echo "workflow status is $WORKFLOW_STATUS, expected Succeeded"
fi
total="$passed passed, $not_passed failed"
if [ -n "$unreadable" ]; then
  echo "WORKFLOW_FAILURES is neither a JSON array nor Argo's quoted form of one: $(one_line "${WORKFLOW_FAILURES:-}" 120)"
  finish "$total; WORKFLOW_FAILURES unreadable" 1
fi
if [ "$WORKFLOW_STATUS" = Succeeded ] && [ "$not_passed" -eq 0 ] && [ "$passed" -gt 0 ]; then
  finish "$total" 0
fi
finish "$total" 1
