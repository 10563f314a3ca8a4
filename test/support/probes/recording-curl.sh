#!/bin/sh
# Wraps the real curl in probe tests so they can check every call's argv
# (timeouts present, no password on the command line). stdin passes through,
# which is how the probes hand curl their credentials.
set -eu
printf '%s\n' "$*" >>"$FAKE_DIR/curl-calls.log"
exec "$REAL_CURL" "$@"
