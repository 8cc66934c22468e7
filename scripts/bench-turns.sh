#!/usr/bin/env bash
# Turn latency benchmark (end of caller speech -> first robot audio frame) over simulated survey calls.
# Usage: scripts/bench-turns.sh [CALLS] [CONCURRENCY]   (defaults 30 and 5: about 120 turns)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mvn -o -q -pl voice-server test-compile
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
mvn -o -q -pl voice-server dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/^Mem:/{print $2}') GiB RAM, $(java -version 2>&1 | head -1)"
VOICEBOT_LOG_LEVEL=WARN exec java -Dvoicebot.home="$root" -cp "voice-server/target/classes:voice-server/target/test-classes:$(cat "$cp_file")" \
  io.voicebot.call.TurnLatencyBenchmark "${1:-30}" "${2:-5}"
