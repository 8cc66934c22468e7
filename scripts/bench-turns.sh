#!/usr/bin/env bash
# Turn latency benchmark (end of caller speech -> first robot audio frame) over simulated survey calls.
# Usage: scripts/bench-turns.sh [CALLS] [CONCURRENCY] [NOISE_DBFS]   (defaults 30 and 5: about 120 turns; NOISE_DBFS:
# every answer ends in 700 ms of white noise at that level)
VOICEBOT_LOG_LEVEL=WARN exec "$(dirname "$0")/bench-run" io.voicebot.call.TurnLatencyBenchmark "${1:-30}" "${2:-5}" ${3:+"$3"}
