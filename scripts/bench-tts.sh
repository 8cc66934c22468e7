#!/usr/bin/env bash
# Speech synthesis and audio benchmark: prints Markdown tables for BENCHMARKS.md.
# Usage: scripts/bench-tts.sh   (from anywhere; builds the module's test classes offline first)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mvn -o -q -pl voice-server test-compile
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
mvn -o -q -pl voice-server dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/^Mem:/{print $2}') GiB RAM, $(java -version 2>&1 | head -1)"
exec java -Xms256m -Xmx1g -cp "voice-server/target/classes:voice-server/target/test-classes:$(cat "$cp_file")" \
  io.voicebot.speech.tts.TtsBenchmark
