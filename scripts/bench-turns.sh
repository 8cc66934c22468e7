#!/usr/bin/env bash
# Turn latency benchmark (end of caller speech -> first robot audio frame) over simulated survey calls.
# Usage: scripts/bench-turns.sh [CALLS] [CONCURRENCY]   (defaults 30 and 5: about 120 turns)
VOICEBOT_LOG_LEVEL=WARN exec "$(dirname "$0")/bench-run" io.voicebot.call.TurnLatencyBenchmark "${1:-30}" "${2:-5}"
