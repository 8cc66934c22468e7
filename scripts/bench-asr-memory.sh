#!/usr/bin/env bash
# Sphinx4 recognizer heap as phrase lists accumulate. Usage: scripts/bench-asr-memory.sh [lists] [threads]
exec "$(dirname "$0")/bench-run" -Xms256m -Xmx2g io.voicebot.speech.asr.AsrMemoryBenchmark "$@"
