package io.voicebot.bench;

import io.voicebot.speech.audio.Levels;
import io.voicebot.sim.AgiPeer;
import io.voicebot.sim.AudioSocketPeer;
import io.voicebot.sim.SimulatedCall;
import io.voicebot.telephony.audiosocket.Frame;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One caller of the load run: places an inbound hotline call over FastAGI the way the shipped dialplan does,
 * talks on the AudioSocket leg that voicebot asks for, and measures from its own side: turn latency (its last
 * voiced frame to the robot's first voiced frame), barge-in latency (its first voiced frame to the robot's last
 * voiced frame) and how late the robot's frames arrive.
 */
final class LoadCaller {
    /** Mean square above which a robot frame is voiced (about -45 dBFS, as the simulated caller uses). */
    private static final double VOICED = Audio.VOICED;
    private static final long QUIET_MS = 900;
    private static final long GIVE_UP_MS = 20_000;
    private static final long NOISE_CAP_MS = 5_000;
    private static final int NOISE_CHUNK = 320; // 40 ms at 8 kHz: noise stops within two frames of the robot's voice

    /** How one call goes: the answers in order, what follows each, barge-in and hang-up choices. */
    record Plan(int call, List<short[]> answers, List<String> answerTexts, boolean noiseTail, double noiseDbfs, long noiseMs,
                double bargeInRate, boolean hangUpEarly, long seed) {}

    private final AgiPeer agi;
    private final String audioSocketAddress;
    private final LoadStats stats;

    LoadCaller(AgiPeer agi, String audioSocketAddress, LoadStats stats) {
        this.agi = agi;
        this.audioSocketAddress = audioSocketAddress;
        this.stats = stats;
    }

    /** Runs one call to its end; returns its outcome from the caller's side (also counted in the stats). */
    String call(Plan plan) {
        String outcome;
        SimulatedCall call = null;
        String stage = "placing the FastAGI call";
        try {
            CompletableFuture<AudioSocketPeer> leg = new CompletableFuture<>();
            call = agi.placeCall("/inbound?line=hotline&audiosocket=" + audioSocketAddress, Map.of(),
                    String.format("+1555%07d", plan.call()), c -> c.onAudioSocket(leg::complete));
            stage = "waiting 30 s for voicebot's EXEC AudioSocket and the audio connection";
            AudioSocketPeer peer = leg.get(30, TimeUnit.SECONDS);
            stage = "talking";
            int[] spoken = new int[1];
            outcome = talk(plan, call, peer, spoken);
            if (!peer.result().isDone()) {
                call.hangup(); // the caller gave up waiting for the robot: a person would hang up too
            }
            stage = "waiting 30 s for the FastAGI session to end after \"" + outcome + "\"";
            SimulatedCall.Result r = call.awaitEnd(Duration.ofSeconds(30));
            String voicebot = r.variables().getOrDefault("VOICEBOT_OUTCOME", "");
            if (spoken[0] > 0) {
                stats.spoken(peer.uuid().toString(), plan.answerTexts().subList(0, spoken[0]));
            }
            if (!voicebot.isEmpty() && outcome.equals("robot ended the call")) {
                outcome = outcome + " (" + voicebot + ")";
            }
            stats.frames(peer.received().size(), FrameClock.late(arrivals(peer), 40));
        } catch (Exception e) {
            outcome = "failed";
            stats.error("call " + plan.call() + ", " + stage + ": " + e);
            if (call != null) {
                call.hangup();
            }
        }
        stats.outcome(outcome);
        return outcome;
    }

    private static List<Long> arrivals(AudioSocketPeer peer) {
        List<Long> out = new ArrayList<>();
        for (AudioSocketPeer.ReceivedFrame f : peer.received()) {
            if (f.frame().kind().isAudio()) {
                out.add(f.nanos());
            }
        }
        return out;
    }

    /** {@code spoken[0]}: how many answers the caller said whole, for checking what the robot understood. */
    private String talk(Plan plan, SimulatedCall call, AudioSocketPeer peer, int[] spoken) throws Exception {
        Random random = new Random(plan.seed());
        Robot robot = new Robot(peer);
        int turns = plan.hangUpEarly() ? 1 : plan.answers().size();
        for (int turn = 0; turn < turns; turn++) {
            short[] voice = plan.answers().get(turn);
            boolean barge = random.nextDouble() < plan.bargeInRate();
            long onset;
            if (barge) {
                if (!robot.awaitVoice(System.nanoTime(), GIVE_UP_MS)) {
                    return ended(peer, "no robot prompt");
                }
                Thread.sleep(500 + random.nextInt(400)); // into the prompt, as a caller who knows the answer
                if (robot.quietFor() >= QUIET_MS) {
                    barge = false; // the prompt was over already: an ordinary turn
                }
            } else if (!robot.awaitPromptEnd(QUIET_MS, GIVE_UP_MS)) {
                return ended(peer, "no robot prompt");
            }
            long[] marks = new long[2];
            CompletableFuture<Void> start = peer.send(new short[0]).thenRun(() -> marks[0] = System.nanoTime());
            // The marker after the last voiced frame completes one tick (20 ms) after that frame went out.
            CompletableFuture<Void> end = peer.send(voice).thenRun(() -> marks[1] = System.nanoTime() - 20_000_000L);
            end.get(60, TimeUnit.SECONDS); // the answer is a few seconds long: this waits for its frames only
            spoken[0]++;
            if (peer.result().isDone()) {
                return ended(peer, "robot ended the call");
            }
            start.join();
            onset = marks[0];
            long lastVoiced = marks[1];
            if (plan.noiseTail()) {
                lineNoise(peer, robot, plan, random.nextLong(), lastVoiced);
            }
            if (barge) {
                long lastLoud = robot.lastVoicedBetween(onset, lastVoiced);
                if (lastLoud > 0) {
                    stats.add(new LoadStats.Sample(plan.call(), turn, LoadStats.Kind.BARGE_IN,
                            (lastLoud - onset) / 1e6, tail(plan)));
                }
            }
            if (!robot.awaitVoice(lastVoiced, GIVE_UP_MS)) {
                return ended(peer, "no robot answer");
            }
            stats.add(new LoadStats.Sample(plan.call(), turn, LoadStats.Kind.TURN,
                    (robot.firstVoicedAfter(lastVoiced) - lastVoiced) / 1e6, tail(plan)));
        }
        Thread.sleep(300); // hears the start of the next prompt, then hangs up
        call.hangup();
        return plan.hangUpEarly() ? "caller hung up early" : "caller hung up after " + turns + " turns";
    }

    private static String tail(Plan plan) {
        return plan.noiseTail() ? "noise" : "clean";
    }

    private static String ended(AudioSocketPeer peer, String why) {
        return peer.result().isDone() ? "robot ended the call" : why;
    }

    /**
     * Line noise after the answer: for {@code noiseMs} when set, else until the robot's voice is heard (at most
     * 5 s), as a phone line keeps hissing. Fed 40 ms at a time so it stops soon after the robot speaks.
     */
    private static void lineNoise(AudioSocketPeer peer, Robot robot, LoadCaller.Plan plan, long seed, long from) {
        Random r = new Random(seed);
        double amp = Math.pow(10, plan.noiseDbfs() / 20) * 32767;
        long limitMs = plan.noiseMs() > 0 ? plan.noiseMs() : NOISE_CAP_MS;
        long chunks = limitMs * 8 / NOISE_CHUNK;
        Runnable[] next = new Runnable[1];
        long[] sent = new long[1];
        next[0] = () -> {
            if (sent[0]++ >= chunks || peer.result().isDone() || (plan.noiseMs() <= 0 && robot.voicedSince(from))) {
                return;
            }
            short[] n = new short[NOISE_CHUNK];
            for (int i = 0; i < n.length; i++) {
                n[i] = (short) Math.max(-32768, Math.min(32767, Math.round(r.nextGaussian() * amp)));
            }
            peer.send(n).thenRun(next[0]);
        };
        next[0].run();
    }

    /** Follows the robot's audio as it arrives (polled by the caller's thread). */
    private static final class Robot {
        private final AudioSocketPeer peer;
        private final List<Long> voiced = new ArrayList<>(); // arrival of every voiced frame
        private volatile long lastVoicedNanos;
        private int seen;
        private long quietMs;
        private boolean spokeSinceAnswer;

        Robot(AudioSocketPeer peer) {
            this.peer = peer;
        }

        private synchronized void poll() {
            for (AudioSocketPeer.ReceivedFrame f : peer.receivedSince(seen)) {
                seen++;
                Frame frame = f.frame();
                if (!frame.kind().isAudio()) {
                    continue;
                }
                if (meanSquare(frame.samples()) > VOICED) {
                    voiced.add(f.nanos());
                    lastVoicedNanos = f.nanos();
                    quietMs = 0;
                    spokeSinceAnswer = true;
                } else {
                    quietMs += frame.samples().length * 1000L / frame.kind().sampleRate();
                }
            }
        }

        /** Quiet for how long, in robot audio received (not wall-clock: a stalled sender is not silence). */
        synchronized long quietFor() {
            poll();
            return quietMs;
        }

        /** True when a voiced robot frame arrived after {@code nanos}; for the noise feeder, any thread. */
        boolean voicedSince(long nanos) {
            return lastVoicedNanos > nanos;
        }

        synchronized long firstVoicedAfter(long nanos) {
            for (long t : voiced) {
                if (t > nanos) {
                    return t;
                }
            }
            return -1;
        }

        /** The last voiced frame that arrived in [from, to], or 0 when none did. */
        synchronized long lastVoicedBetween(long from, long to) {
            poll();
            long last = 0;
            for (long t : voiced) {
                if (t >= from && t <= to) {
                    last = t;
                }
            }
            return last;
        }

        boolean awaitVoice(long after, long giveUpMs) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(giveUpMs);
            while (System.nanoTime() < deadline && !peer.result().isDone()) {
                synchronized (this) {
                    poll();
                    if (firstVoicedAfter(after) > 0) {
                        return true;
                    }
                }
                Thread.sleep(10);
            }
            return false;
        }

        /** The robot spoke since the last answer and has now been quiet for {@code quiet} ms. */
        boolean awaitPromptEnd(long quiet, long giveUpMs) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(giveUpMs);
            try {
                while (System.nanoTime() < deadline && !peer.result().isDone()) {
                    synchronized (this) {
                        poll();
                        if (spokeSinceAnswer && quietMs >= quiet) {
                            return true;
                        }
                    }
                    Thread.sleep(10);
                }
                return false;
            } finally {
                synchronized (this) {
                    spokeSinceAnswer = false;
                }
            }
        }

        private static double meanSquare(short[] s) {
            return s == null ? 0 : Levels.meanSquare(s, 0, s.length);
        }
    }
}
