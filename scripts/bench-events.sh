#!/usr/bin/env bash
# Event-to-Originate latency: POST /api/events until the in-process Asterisk receives the call's Originate.
# Usage: scripts/bench-events.sh [EVENTS] [TICK_MS]   (defaults 300 and 1000: the campaign's own tick is slow, so
# what is measured is the wake-up an event gives the dialer)
# MariaDB instead of H2: VOICEBOT_BENCH_DB_URL=jdbc:mysql://127.0.0.1:3306/db VOICEBOT_BENCH_DB_USER=... scripts/bench-events.sh
VOICEBOT_LOG_LEVEL=WARN exec "$(dirname "$0")/bench-run" io.voicebot.events.EventBenchmark "${1:-300}" "${2:-1000}"
