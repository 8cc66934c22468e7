#!/usr/bin/env bash
# CSV export throughput: rows/s of GET /api/campaigns/{id}/export.csv over a seeded campaign (and the results' time).
# Usage: scripts/bench-export.sh [CONTACTS]   (default 100000)
# MariaDB instead of H2: VOICEBOT_BENCH_DB_URL=jdbc:mysql://127.0.0.1:3306/db VOICEBOT_BENCH_DB_USER=... scripts/bench-export.sh
VOICEBOT_LOG_LEVEL=WARN exec "$(dirname "$0")/bench-run" -Xmx256m io.voicebot.results.ExportBenchmark "${1:-100000}"
