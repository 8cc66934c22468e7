#!/usr/bin/env bash
# Speech synthesis and audio benchmark: prints Markdown tables for BENCHMARKS.md. Usage: scripts/bench-tts.sh
exec "$(dirname "$0")/bench-run" -Xms256m -Xmx1g io.voicebot.speech.tts.TtsBenchmark
