package io.voicebot.speech.asr;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Early endpointing with the real Sphinx4 engine on espeak-ng speech: a whole answer ends the turn after a short
 * pause, a phrase that may go on (or a sequence) waits for the long trailing silence. Audio is fed up to 300 ms
 * after the words and the test then waits for the recognizer, so a slow machine changes nothing; a missed early
 * end gets more quiet after a bounded wait, so it fails on the words heard (see {@link #earlyOrAfterSilence}).
 */
class EarlyEndpointTest {
    static SphinxRecognizer sphinx;
    /** Counts the checkpoints delivered to the listener, so a test knows the early decision has been made. */
    static final Semaphore checkpoints = new Semaphore(0);
    /** What each checkpoint of the current test heard, with its confidence: why a turn did or did not end early. */
    static final List<String> checkpointsHeard = new java.util.concurrent.CopyOnWriteArrayList<>();
    static Recognizer recognizer;
    /** Ample time to decode a few seconds of speech on a loaded machine (under one second on an idle one). */
    static final long EARLY_END_WAIT_S = 15;

    @BeforeAll
    static void load() {
        sphinx = new SphinxRecognizer(1, 8000);
        recognizer = new Recognizer() {
            @Override
            public RecognitionStream open(int sampleRate, Vocabulary vocabulary, RecognitionListener listener) {
                return sphinx.open(sampleRate, vocabulary, new RecognitionListener() {
                    @Override
                    public void onCheckpoint(RecognitionResult soFar) {
                        checkpointsHeard.add("'" + soFar.text() + "' " + soFar.confidence());
                        listener.onCheckpoint(soFar);
                        checkpoints.release();
                    }

                    @Override
                    public void onFinal(RecognitionResult result) {
                        listener.onFinal(result);
                    }

                    @Override
                    public void onError(Exception error) {
                        listener.onError(error);
                    }
                });
            }

            @Override
            public String engine() {
                return "sphinx";
            }

            @Override
            public void close() {
            }
        };
    }

    @AfterAll
    static void close() {
        sphinx.close();
    }

    /**
     * 500 ms of line, the words (without espeak's own trailing silence), then 300 ms of quiet: past the early
     * pause, far from the 600 ms endpoint.
     */
    private static short[] answer(String words) {
        short[] spoken = SphinxRecognizerTest.VOICE.speak(words);
        int end = 0;
        for (int off = 0; off + 80 <= spoken.length; off += 80) {
            if (io.voicebot.speech.audio.Levels.rmsDbfs(spoken, off, 80) > -50) {
                end = off + 80;
            }
        }
        return TestAudio.concat(TestAudio.noise(500, -60, 1), java.util.Arrays.copyOf(spoken, end),
                TestAudio.noise(300, -60, 2));
    }

    /**
     * The turn's result. A turn that should end early but has not within {@link #EARLY_END_WAIT_S} missed its early
     * end (the recognizer heard other words, three digits of four): a second of quiet then ends it at the
     * trailing silence, so that the test fails at once on what was heard instead of waiting for a silence that
     * {@link #answer} does not bring.
     */
    private static Utterance earlyOrAfterSilence(SpeechListener l, SpeechListenerTest.Recorder r) throws Exception {
        try {
            return r.result.get(EARLY_END_WAIT_S, TimeUnit.SECONDS);
        } catch (TimeoutException missed) {
            SpeechListenerTest.feed(l, TestAudio.noise(1000, -60, 3));
            return r.await();
        }
    }

    @Test
    void aCompleteAnswerEndsTheTurnAfterAShortPause() throws Exception {
        assertEndsEarly(Vocabulary.of(List.of("yes", "no", "call me later")), "no");
    }

    private static void assertEndsEarly(Vocabulary v, String words) throws Exception {
        assertEndsEarly(v, words, words);
    }

    /**
     * {@code spoken}, heard as {@code heard}, ends the turn 220-300 ms after the words stop, not after the 600 ms
     * trailing silence.
     */
    private static void assertEndsEarly(Vocabulary v, String spoken, String heard) throws Exception {
        checkpoints.drainPermits();
        checkpointsHeard.clear();
        try (SpeechListener l = new SpeechListener(recognizer, 8000, SpeechListenerTest.OPTIONS)) {
            SpeechListenerTest.Recorder r = new SpeechListenerTest.Recorder();
            l.listen(v, SpeechListenerTest.OPTIONS, r);
            SpeechListenerTest.feed(l, answer(spoken));
            Utterance u = earlyOrAfterSilence(l, r);
            assertEquals(heard, u.text(), "checkpoints heard " + checkpointsHeard);
            long waited = r.speechEndAt - r.speechEndMs;
            assertTrue(waited >= EarlyEndpoint.QUIET_MS && waited <= 300, "ended " + waited + " ms after the words,"
                    + " expected " + EarlyEndpoint.QUIET_MS + " to 300 (not the 600 ms trailing silence): " + r.events
                    + "; checkpoints heard " + checkpointsHeard);
            assertFalse(l.isListening());
            // the checkpoint is counted after it ended the turn: taken here, it cannot stand for the next one's
            assertTrue(checkpoints.tryAcquire(60, TimeUnit.SECONDS), "the pause was checked");
        }
    }

    @Test
    void aPhraseThatMayGoOnWaitsForALongerPause() throws Exception {
        assertEndsAfter(Vocabulary.of(List.of("yes", "yes please", "no")), "yes", EarlyEndpoint.PREFIX_QUIET_MS, 600);
    }

    @Test
    void aSequenceWaitsForTheTrailingSilence() throws Exception {
        assertLongTimeout(new Vocabulary(List.of("one", "two", "three", "four"), true), "four");
    }

    private void assertLongTimeout(Vocabulary v, String words) throws Exception {
        assertEndsAfter(v, words, 600, Long.MAX_VALUE);
    }

    /** The turn goes on through the short pause and ends {@code minMs} to {@code maxMs} after the words. */
    private void assertEndsAfter(Vocabulary v, String words, long minMs, long maxMs) throws Exception {
        try (SpeechListener l = new SpeechListener(recognizer, 8000, SpeechListenerTest.OPTIONS)) {
            SpeechListenerTest.Recorder r = new SpeechListenerTest.Recorder();
            checkpoints.drainPermits();
            l.listen(v, SpeechListenerTest.OPTIONS, r);
            SpeechListenerTest.feed(l, answer(words));
            if (EarlyEndpoint.possible(v)) {
                assertTrue(checkpoints.tryAcquire(60, TimeUnit.SECONDS), "the pause was checked");
            } else {
                Thread.sleep(300);
            }
            assertFalse(r.result.isDone(), "the turn goes on after the short pause: " + r.events);
            SpeechListenerTest.feed(l, TestAudio.noise(1000, -60, 3));
            Utterance u = r.await();
            assertEquals(words, u.text());
            long waited = r.speechEndAt - r.speechEndMs;
            assertTrue(waited >= minMs && waited < maxMs, "ended " + waited + " ms after the words, expected "
                    + minMs + " to " + maxMs + ": " + r.events);
        }
    }

    @Test
    void aPhraseWhoseLongerPhrasesMeanTheSameEndsTheTurnAfterAShortPause() throws Exception {
        Vocabulary v = new Vocabulary(List.of("yes", "no", "no thanks", "no more calls"), false,
                List.of("no more calls"), java.util.Map.of("yes", "answer:yes", "no", "answer:no",
                "no thanks", "answer:no", "no more calls", "global:OPT_OUT"));
        // "no thanks" means no too
        assertEndsEarly(new Vocabulary(List.of("yes", "no", "no thanks"), false, List.of(),
                java.util.Map.of("no", "answer:no", "no thanks", "answer:no")), "no");
        // "no more calls" means something else: "no" waits for a longer pause, still short of the 600 ms endpoint
        assertEndsAfter(v, "no", EarlyEndpoint.PREFIX_QUIET_MS, 600);
    }

    @Test
    void sameMeaningNeedsEveryLongerPhraseToMeanTheSame() {
        Vocabulary v = new Vocabulary(List.of("no", "no thanks", "no more calls", "yes", "yes please"), false,
                List.of("no more calls"), java.util.Map.of("no", "answer:no", "no thanks", "answer:no",
                "no more calls", "global:OPT_OUT", "yes", "answer:yes"));
        assertFalse(EarlyEndpoint.complete(v, "no"), "'no more calls' is an opt-out");
        RecognitionResult no = new RecognitionResult("no", 0.9, true, 0, 500, List.of());
        assertEquals(EarlyEndpoint.PREFIX_QUIET_MS, EarlyEndpoint.quietToEnd(v, no, 0.5), "a longer pause ends it");
        assertEquals(EarlyEndpoint.QUIET_MS, EarlyEndpoint.quietToEnd(v,
                new RecognitionResult("no thanks", 0.9, true, 0, 500, List.of()), 0.5));
        assertEquals(-1, EarlyEndpoint.quietToEnd(v, no, 0.95), "too doubtful to end early at all");
        Vocabulary account = new Vocabulary(List.of("one", "two", "four"), true).withLength(6, 12);
        assertEquals(-1, EarlyEndpoint.quietToEnd(account, new RecognitionResult("four", 0.9, true, 0, 500,
                List.of()), 0.5), "a digit may be followed by more after a pause between groups");
        assertEquals(-1, EarlyEndpoint.quietToEnd(v, new RecognitionResult("more", 0.9, true, 0, 500, List.of()),
                0.5), "not a phrase");
        assertFalse(EarlyEndpoint.complete(v, "yes"), "'yes please' has no known meaning");
        Vocabulary same = new Vocabulary(List.of("no", "no thanks", "yes", "yes please"), false, List.of(),
                java.util.Map.of("no", "answer:no", "no thanks", "answer:no", "yes", "answer:yes",
                        "yes please", "answer:yes"));
        assertTrue(EarlyEndpoint.complete(same, "no"));
        assertTrue(EarlyEndpoint.complete(same, "yes"));
        assertTrue(EarlyEndpoint.complete(same, "no thanks"));
    }

    @Test
    void completeMeansAWholePhraseThatNoLongerPhraseContinues() {
        Vocabulary v = new Vocabulary(List.of("yes", "yes please", "no", "agent"), false, List.of("agent"));
        assertTrue(EarlyEndpoint.complete(v, "no"));
        assertTrue(EarlyEndpoint.complete(v, "yes please"));
        assertTrue(EarlyEndpoint.complete(v, "agent"));
        assertFalse(EarlyEndpoint.complete(v, "yes"), "may go on to 'yes please'");
        assertFalse(EarlyEndpoint.complete(v, ""));
        assertFalse(EarlyEndpoint.complete(v, "please"));
        assertFalse(EarlyEndpoint.complete(Vocabulary.freeSpeech(), "no"), "open answers wait");
        assertFalse(EarlyEndpoint.complete(new Vocabulary(List.of("one", "two"), true), "one"), "digits may go on");
        Vocabulary digits = Vocabulary.of(List.of("one", "two", "four"));
        assertTrue(EarlyEndpoint.endsTurn(digits, new RecognitionResult("four", 0.97, true, 0, 500, List.of())));
        assertFalse(EarlyEndpoint.endsTurn(digits, new RecognitionResult("two", 0.15, true, 0, 500, List.of())),
                "a doubtful decode waits for the whole utterance");
        assertTrue(EarlyEndpoint.endsTurn(digits, new RecognitionResult("four", 0, false, 0, 500, List.of())),
                "a hypothesis only finishes the stream; the final result brings the confidence");
        RecognitionResult unsure = new RecognitionResult("four", 0.57, true, 0, 500, List.of());
        TurnOptions rating = SpeechListenerTest.OPTIONS.withEarlyMinConfidence(0.6);
        assertFalse(EarlyEndpoint.endsTurn(digits, unsure, rating.earlyMinConfidence()),
                "the step would read 0.57 back: the whole utterance decides");
        assertTrue(EarlyEndpoint.endsTurn(digits, unsure,
                SpeechListenerTest.OPTIONS.withEarlyMinConfidence(0).earlyMinConfidence()), "0.5 at least");
        assertEquals(EarlyEndpoint.MIN_CONFIDENCE, SpeechListenerTest.OPTIONS.earlyMinConfidence());
    }

    @Test
    void aSequenceOfItsMaximumLengthIsComplete() {
        List<String> digits = List.of("zero", "oh", "one", "two", "three", "four", "agent");
        Vocabulary account = new Vocabulary(digits, true, List.of("agent"), 6, 12);
        assertTrue(EarlyEndpoint.possible(account), "a known maximum can end a turn");
        assertTrue(EarlyEndpoint.complete(account, "one two three four oh one two three four oh one two"),
                "twelve digits cannot go on");
        assertFalse(EarlyEndpoint.complete(account, "one two three four oh one"), "six of up to twelve may go on");
        assertFalse(EarlyEndpoint.complete(account, "one two three"), "fewer than the minimum is no answer yet");
        assertTrue(EarlyEndpoint.complete(account, "agent"), "a global is never part of a sequence");
        assertFalse(EarlyEndpoint.complete(account, "one two agent"));

        Vocabulary code = new Vocabulary(digits, true, List.of("agent"), 4, 4);
        assertTrue(EarlyEndpoint.complete(code, "four oh one two"));
        assertFalse(EarlyEndpoint.complete(code, "four oh one"));
        assertFalse(EarlyEndpoint.complete(code, "four oh one two three"), "past the maximum: not an answer");
        assertTrue(EarlyEndpoint.endsTurn(code, new RecognitionResult("four oh one two", 0.9, true, 0, 900, List.of())));
        assertFalse(EarlyEndpoint.endsTurn(code, new RecognitionResult("four oh one two", 0.2, true, 0, 900,
                List.of())), "a doubtful decode waits");

        Vocabulary unbounded = new Vocabulary(digits, true, List.of("agent"), 6, 0);
        assertFalse(EarlyEndpoint.possible(unbounded), "no maximum: more may always follow");
        assertFalse(EarlyEndpoint.complete(unbounded, "one two three four oh one two three four oh one two"));
    }

    @Test
    void aFourDigitCodeEndsTheTurnAfterItsFourthDigit() throws Exception {
        Vocabulary code = new Vocabulary(List.of("zero", "oh", "one", "two", "three", "four"), true, List.of(), 4, 4);
        assertEndsEarly(code, "four, one, two, three", "four one two three");
    }

    @Test
    void aSequenceShortOfItsMaximumWaitsForTheTrailingSilence() throws Exception {
        assertLongTimeout(new Vocabulary(List.of("one", "two", "three", "four"), true, List.of(), 2, 4),
                "four one");
    }
}
