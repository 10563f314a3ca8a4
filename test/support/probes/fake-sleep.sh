#!/bin/sh
# Stand-in for sleep in probe tests: advances the injected clock $FAKE_DIR/clock by the whole seconds asked for
# and returns at once (see fake-date.sh).
set -eu
case ${1:-} in '' | *[!0-9]*) echo "fake sleep: whole seconds only, got '${1:-}'" >&2; exit 2 ;; esac
echo $(($(cat "$FAKE_DIR/clock") + $1)) >"$FAKE_DIR/clock"
echo "$1" >>"$FAKE_DIR/sleep-calls.log"
