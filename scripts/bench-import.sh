#!/usr/bin/env bash
# Call-list import benchmark: generates a CSV of ROWS rows (about 2% bad rows, 1% duplicates, some do-not-call
# numbers), imports it with -Xmx256m into a fresh embedded H2 database, then into MariaDB/MySQL when
# VOICEBOT_DB_URL (+ VOICEBOT_DB_USER, VOICEBOT_DB_PASSWORD) is set: a fresh schema voicebot_test_<random> is
# created there and dropped afterwards, so the user needs rights on voicebot_test%. Prints rows/s and peak heap.
# Usage: scripts/bench-import.sh [ROWS]   (default 1000000)
set -euo pipefail
rows="${1:-1000000}"
dir="$(dirname "$0")"
env -u VOICEBOT_TEST_DB_URL "$dir/bench-run" -Xmx256m io.voicebot.campaign.lists.ListImportBenchmark "$rows"
if [[ -n "${VOICEBOT_DB_URL:-}" ]]; then
    # A local server's CPU time is counted too: the machine is shared, so CPU seconds say more than wall time.
    VOICEBOT_BENCH_DB_PID="$(pidof mariadbd mysqld 2>/dev/null | awk '{print $1}')" \
        VOICEBOT_TEST_DB_URL="$VOICEBOT_DB_URL" VOICEBOT_TEST_DB_USER="${VOICEBOT_DB_USER:-voicebot}" \
        VOICEBOT_TEST_DB_PASSWORD="${VOICEBOT_DB_PASSWORD:-}" \
        "$dir/bench-run" -Xmx256m io.voicebot.campaign.lists.ListImportBenchmark "$rows"
else
    echo "MariaDB/MySQL skipped: set VOICEBOT_DB_URL (e.g. jdbc:mysql://127.0.0.1:3306/voicebot_test) to measure it"
fi
