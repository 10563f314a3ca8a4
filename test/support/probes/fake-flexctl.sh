#!/bin/sh
# Stand-in for flexctl in probe tests, reached through the fake kubectl's exec.
# Prints $FAKE_DIR/flexctl-output, exits with $FAKE_DIR/flexctl-exit, and
# appends its argv to $FAKE_DIR/flexctl-calls.log.
set -eu
printf '%s\n' "$*" >>"$FAKE_DIR/flexctl-calls.log"
cat "$FAKE_DIR/flexctl-output"
exit "$(cat "$FAKE_DIR/flexctl-exit")"
