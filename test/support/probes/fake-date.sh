#!/bin/sh
# Stand-in for date in probe tests: the probes read the time only as `date -u +%s` (probe-lib's now), and that
# answer comes from the injected clock $FAKE_DIR/clock, which only the fake sleep moves. A test therefore counts
# polls and deadlines by events, never by how fast a loaded machine runs. Any other use (formatting an epoch)
# goes to the date the probe would otherwise run (busybox's, when the probes run under busybox).
set -eu
if [ "$*" = "-u +%s" ]; then
  cat "$FAKE_DIR/clock"
  exit 0
fi
PATH=${TOOLS_PATH:-$REAL_PATH}
exec date "$@"
