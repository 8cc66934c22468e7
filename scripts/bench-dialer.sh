#!/usr/bin/env bash
# Dialer throughput: sustained originations per second against the in-process Asterisk (all calls busy at once).
# Usage: scripts/bench-dialer.sh [CONTACTS] [CAMPAIGNS]   (defaults 3000 and 1)
# MariaDB instead of H2: VOICEBOT_BENCH_DB_URL=jdbc:mysql://127.0.0.1:3306/db VOICEBOT_BENCH_DB_USER=... scripts/bench-dialer.sh
VOICEBOT_LOG_LEVEL=WARN exec "$(dirname "$0")/bench-run" io.voicebot.campaign.DialerBenchmark "${1:-3000}" "${2:-1}"
