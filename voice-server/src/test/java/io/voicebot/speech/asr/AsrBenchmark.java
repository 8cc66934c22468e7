package io.voicebot.speech.asr;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Sphinx4 grammar-mode benchmark: 1, 2 and 4 concurrent streams (speech.threads = streams), each streaming espeak-ng
 * utterances of the four grammars in 20 ms frames as fast as possible. Reports the real-time factor (decode wall
 * time / audio time), process CPU per second of audio, and the delay from finish() (end of speech plus the VAD's
 * trailing silence) to the final result.
 * Run: mvn -o -q test-compile && java -cp voice-server/target/classes:voice-server/target/test-classes:$(cat cp.txt)
 * io.voicebot.speech.asr.AsrBenchmark [rounds]
 */
public final class AsrBenchmark {
    private static final String[][] UTTERANCES = {
            {"yes", "yes"}, {"no thank you", "no"}, {"four stars", "4"}, {"one star", "1"},
            {"four, one, two", "412"}, {"operator", "agent"}, {"speak to an agent", "agent"}, {"two", "2"}};
    private static final String[] GRAMMAR = {"yes_no", "yes_no", "rating_1_5", "rating_1_5", "digits",
            "agent_request", "agent_request", "rating_1_5"};

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        var grammars = io.voicebot.dialog.grammar.GrammarLibrary.load(java.nio.file.Path.of("grammars"));
        List<short[]> audio = new ArrayList<>();
        for (String[] u : UTTERANCES) {
            audio.add(TestAudio.padded(TestAudio.espeak().speak(u[0]), 300));
        }
        for (int streams : new int[] {1, 2, 4}) {
            try (SphinxRecognizer r = new SphinxRecognizer(streams, 8000)) {
                // Warm up: build every decoder and let the JIT compile the decoder.
                runStreams(r, grammars, audio, streams, 1, new ArrayList<>());
                List<Long> delays = Collections.synchronizedList(new ArrayList<>());
                var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
                long cpu0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                int[] correct = runStreams(r, grammars, audio, streams, rounds, delays);
                double wall = (System.nanoTime() - t0) / 1e9;
                double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
                double audioSec = 0;
                for (short[] a : audio) {
                    audioSec += a.length / 8000.0;
                }
                audioSec *= rounds;
                Collections.sort(delays);
                System.out.printf("streams=%d utterances/stream=%d audio/stream=%.1fs wall=%.1fs RTF/stream=%.3f "
                                + "cpu-per-audio-second/stream=%.3f finish->final p50=%dms p95=%dms correct=%d/%d%n",
                        streams, rounds * audio.size(), audioSec, wall, wall / audioSec, cpu / (audioSec * streams),
                        delays.get(delays.size() / 2), delays.get((int) Math.ceil(delays.size() * 0.95) - 1),
                        correct[0], correct[1]);
            }
        }
    }

    private static int[] runStreams(SphinxRecognizer r, io.voicebot.dialog.grammar.GrammarLibrary grammars,
                                    List<short[]> audio, int streams, int rounds, List<Long> delays) throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(streams);
        List<Future<int[]>> done = new ArrayList<>();
        for (int s = 0; s < streams; s++) {
            done.add(callers.submit(() -> {
                int ok = 0;
                int n = 0;
                for (int round = 0; round < rounds; round++) {
                    for (int i = 0; i < audio.size(); i++) {
                        var g = grammars.get(GRAMMAR[i]);
                        CompletableFuture<RecognitionResult> f = new CompletableFuture<>();
                        RecognitionStream st = r.open(8000, Vocabulary.of(g), new RecognitionListener() {
                            @Override
                            public void onFinal(RecognitionResult res) {
                                f.complete(res);
                            }

                            @Override
                            public void onError(Exception e) {
                                f.completeExceptionally(e);
                            }
                        });
                        for (short[] fr : TestAudio.frames(audio.get(i))) {
                            st.accept(fr, 0, fr.length);
                        }
                        long t = System.nanoTime();
                        st.finish();
                        RecognitionResult res = f.get(120, TimeUnit.SECONDS);
                        delays.add((System.nanoTime() - t) / 1_000_000);
                        n++;
                        if (UTTERANCES[i][1].equals(g.intentOf(res.text()).orElse(""))) {
                            ok++;
                        }
                    }
                }
                return new int[] {ok, n};
            }));
        }
        int ok = 0;
        int n = 0;
        for (Future<int[]> f : done) {
            int[] c = f.get(600, TimeUnit.SECONDS);
            ok += c[0];
            n += c[1];
        }
        callers.shutdown();
        return new int[] {ok, n};
    }
}
