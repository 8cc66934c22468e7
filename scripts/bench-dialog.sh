#!/usr/bin/env bash
# Dialog engine benchmark. Usage: scripts/bench-dialog.sh [seconds-per-measurement]
exec "$(dirname "$0")/bench-run" -Xmx512m io.voicebot.dialog.DialogBenchmark "${1:-3}"
