#!/bin/sh
# Dialog engine benchmark: builds the test classes and runs io.voicebot.dialog.DialogBenchmark.
# Usage: scripts/bench-dialog.sh [seconds-per-measurement]
set -e
cd "$(dirname "$0")/.."
mvn -o -q -pl voice-server test-compile
mvn -o -q -pl voice-server dependency:build-classpath -Dmdep.outputFile=target/bench.cp >/dev/null
CP="voice-server/target/classes:voice-server/target/test-classes:$(cat voice-server/target/bench.cp)"
exec java -Xmx512m -Dvoicebot.home="$(pwd)" -cp "$CP" io.voicebot.dialog.DialogBenchmark "${1:-3}"
