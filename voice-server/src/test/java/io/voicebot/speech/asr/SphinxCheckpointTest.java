package io.voicebot.speech.asr;

import io.voicebot.dialog.grammar.GrammarLibrary;
import io.voicebot.speech.audio.Levels;
import io.voicebot.speech.tts.MaryTtsSynthesizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * A checkpoint decode (early endpointing) must not change what the stream finally hears: the final result of an
 * utterance with a checkpoint in its pause is the result of the same audio decoded without one, on the same
 * decoder (one thread, so the checkpoint and the final decode share the decoder, its front end and its scorer).
 * The audio is the survey benchmark's rating answer: MaryTTS "four" followed by white noise at -50 dBFS, the answer
 * that came back as "two" on the first early-endpointing branch.
 */
class SphinxCheckpointTest {
    static MaryTtsSynthesizer tts;
    static SphinxRecognizer sphinx;
    static Vocabulary rating;

    @BeforeAll
    static void start() {
        tts = MaryTtsSynthesizer.start("cmu-slt-hsmm", 1.0, 1);
        sphinx = new SphinxRecognizer(1, 8000);
        GrammarLibrary grammars = GrammarLibrary.load(
                Path.of(System.getProperty("voicebot.home", "..")).resolve("grammars"));
        rating = Vocabulary.of(grammars.get("rating_1_5"));
    }

    @AfterAll
    static void stop() {
        sphinx.close();
        tts.close();
    }

    @Test
    void aCheckpointInThePauseDoesNotChangeTheFinalResult() throws Exception {
        short[] words = tts.synthesize("four", 8000).join().samples();
        int voicedEnd = voicedEnd(words);
        short[] utterance = TestAudio.concat(new short[2400], words, TestAudio.noise(700, -50, 7), new short[4800]);
        // Where SpeechListener asks for the checkpoint: 220 ms after the last voiced sample.
        int pause = 2400 + voicedEnd + 8 * (int) EarlyEndpoint.QUIET_MS;
        pause -= pause % 160; // on a frame boundary, as the listener sees it

        RecognitionResult plain = SphinxRecognizerTest.recognize(sphinx, rating, utterance,
                new CopyOnWriteArrayList<>());
        RecognitionResult partOnly = SphinxRecognizerTest.recognize(sphinx, rating, Arrays.copyOf(utterance, pause),
                new CopyOnWriteArrayList<>());

        CompletableFuture<RecognitionResult> checkpoint = new CompletableFuture<>();
        CompletableFuture<RecognitionResult> fin = new CompletableFuture<>();
        RecognitionStream s = sphinx.open(8000, rating, finalTo(fin, new java.util.ArrayList<>(), checkpoint));
        List<short[]> frames = TestAudio.frames(utterance);
        int at = 0;
        for (short[] f : frames) {
            if (at == pause) {
                s.checkpoint();
                checkpoint.get(120, TimeUnit.SECONDS); // the checkpoint has used the decoder before the rest comes
            }
            s.accept(f, 0, f.length);
            at += f.length;
        }
        s.finish();
        RecognitionResult withCheckpoint = fin.get(120, TimeUnit.SECONDS);

        assertEquals("four", plain.text(), "the benchmark's answer, decoded whole");
        assertEquals(plain.text(), withCheckpoint.text());
        assertEquals(plain.confidence(), withCheckpoint.confidence(), 1e-9);
        assertEquals(plain.words(), withCheckpoint.words());
        RecognitionResult cp = checkpoint.get();
        assertEquals(partOnly.text(), cp.text(), "the checkpoint is the audio so far, decoded as a whole");
        assertEquals(partOnly.confidence(), cp.confidence(), 1e-9);
    }

    @Test
    void checkpointsQueuedBehindABusyDecoderCollapseIntoOneOfTheNewestAudio() throws Exception {
        short[] two = tts.synthesize("two", 8000).join().samples();
        short[] four = tts.synthesize("four", 8000).join().samples();
        short[] first = TestAudio.concat(new short[2400], two, new short[2400]);
        short[] whole = TestAudio.concat(first, four, new short[2400]);
        RecognitionResult ofFirst = SphinxRecognizerTest.recognize(sphinx, rating, first, new CopyOnWriteArrayList<>());
        RecognitionResult ofWhole = SphinxRecognizerTest.recognize(sphinx, rating, whole, new CopyOnWriteArrayList<>());
        assertNotEquals(ofFirst.text(), ofWhole.text(), "the two checkpoints' audio must decode differently");

        // Another call's long answer keeps the only decoding thread busy while this stream pauses three times.
        short[] longAnswer = TestAudio.concat(TestAudio.noise(6000, -30, 3), four, TestAudio.noise(6000, -30, 4));
        CompletableFuture<RecognitionResult> other = new CompletableFuture<>();
        RecognitionStream busy = sphinx.open(8000, rating, finalTo(other, null, null));
        for (short[] f : TestAudio.frames(longAnswer)) {
            busy.accept(f, 0, f.length);
        }
        List<RecognitionResult> checkpoints = new CopyOnWriteArrayList<>();
        CompletableFuture<RecognitionResult> firstCheckpoint = new CompletableFuture<>();
        CompletableFuture<RecognitionResult> fin = new CompletableFuture<>();
        RecognitionStream s = sphinx.open(8000, rating, finalTo(fin, checkpoints, firstCheckpoint));
        busy.finish();
        feed(s, first);
        s.checkpoint();
        s.checkpoint();
        feed(s, Arrays.copyOfRange(whole, first.length, whole.length));
        s.checkpoint();
        other.get(120, TimeUnit.SECONDS);
        RecognitionResult cp = firstCheckpoint.get(120, TimeUnit.SECONDS);
        s.finish();
        fin.get(120, TimeUnit.SECONDS);

        assertEquals(1, checkpoints.size(), "one checkpoint decode for the three pauses queued behind the busy thread");
        assertEquals(ofWhole.text(), cp.text(), "the checkpoint decoded the newest audio");
        assertEquals(ofWhole.confidence(), cp.confidence(), 1e-9);
    }

    private static void feed(RecognitionStream s, short[] pcm) {
        for (short[] f : TestAudio.frames(pcm)) {
            s.accept(f, 0, f.length);
        }
    }

    private static RecognitionListener finalTo(CompletableFuture<RecognitionResult> fin,
                                               List<RecognitionResult> checkpoints,
                                               CompletableFuture<RecognitionResult> firstCheckpoint) {
        return new RecognitionListener() {
            @Override
            public void onCheckpoint(RecognitionResult soFar) {
                checkpoints.add(soFar);
                firstCheckpoint.complete(soFar);
            }

            @Override
            public void onFinal(RecognitionResult result) {
                fin.complete(result);
            }

            @Override
            public void onError(Exception error) {
                fin.completeExceptionally(error);
            }
        };
    }

    private static int voicedEnd(short[] pcm) {
        int end = 0;
        for (int off = 0; off + 80 <= pcm.length; off += 80) {
            if (Levels.rmsDbfs(pcm, off, 80) > -45) {
                end = off + 80;
            }
        }
        return end;
    }
}
