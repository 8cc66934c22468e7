package io.voicebot.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voicebot.config.VoicebotConfig;
import io.voicebot.dialog.grammar.Grammar;
import io.voicebot.dialog.grammar.GrammarLibrary;
import io.voicebot.speech.asr.AsrException;
import io.voicebot.speech.asr.Recognizer;
import io.voicebot.speech.asr.Recognizers;
import io.voicebot.speech.asr.SpeechListener;
import io.voicebot.speech.asr.TurnCallback;
import io.voicebot.speech.asr.TurnOptions;
import io.voicebot.speech.asr.Utterance;
import io.voicebot.speech.asr.Vocabulary;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code voicebot recognize file.wav [--grammar NAME | --phrases "yes,no"] [--engine vosk|sphinx]}: streams a
 * WAV through the same VAD and recognizer as a call, in 20 ms frames as fast as possible, and prints one JSON line
 * per utterance.
 */
public final class RecognizeCommand implements Command {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long RESULT_TIMEOUT_S = 120;

    @Override
    public String summary() {
        return "recognize FILE.wav [--grammar NAME | --phrases \"a,b\"] [--engine vosk|sphinx]  "
                + "print one JSON line per utterance";
    }

    static final Help HELP = Help.of("voicebot recognize FILE.wav [--grammar NAME | --phrases 'A,B'] [--engine vosk|sphinx]",
                    "Streams a WAV file through the same voice activity detector and recognizer as a call and\n"
                    + "prints one JSON line per utterance: text, intent (with a grammar), confidence, start_ms,\n"
                    + "end_ms. The WAV must be mono at 8 or 16 kHz (sox in.wav -r 8000 -c 1 -b 16 out.wav).\n"
                    + "Without --grammar or --phrases it recognises free speech.")
            .option("grammar", "NAME", "a grammar file in grammars.dir, e.g. yes_no")
            .option("phrases", "'A,B'", "a comma-separated phrase list instead of a grammar")
            .option("engine", "vosk|sphinx", "overrides speech.engine")
            .note("A sample to try: voicebot say 'No, thank you.' --out answer.wav, then\n"
                    + "voicebot recognize answer.wav --grammar yes_no  (prints text \"no thank you\", intent \"no\")");

    @Override
    public Help help() {
        return HELP;
    }

    @Override
    public int run(CliContext ctx, List<String> args) throws Exception {
        Options o = Options.parse(args, HELP);
        if (o.positionals().size() != 1) {
            throw new UsageException("expected exactly one WAV file, got " + o.positionals().size());
        }
        if (o.has("grammar") && o.has("phrases")) {
            throw new UsageException("give --grammar or --phrases, not both");
        }
        Path file = Path.of(o.positionals().get(0));
        VoicebotConfig config = ctx.config();
        Grammar grammar = null;
        if (o.has("grammar")) {
            grammar = GrammarLibrary.load(config.dialogs().grammarsDir()).get(o.get("grammar", ""));
        } else if (o.has("phrases")) {
            List<String> phrases = Arrays.stream(o.get("phrases", "").split(",")).map(String::trim)
                    .filter(s -> !s.isEmpty()).toList();
            if (phrases.isEmpty()) {
                throw new UsageException("--phrases needs at least one phrase, e.g. --phrases \"yes,no\"");
            }
            grammar = Grammar.ofPhrases("phrases", phrases);
        }
        String engine = o.get("engine", config.speech().engine());
        if (!engine.equals("vosk") && !engine.equals("sphinx")) {
            throw new UsageException("--engine must be vosk or sphinx, got '" + engine + "'");
        }
        Pcm pcm = readWav(file);
        Vocabulary vocabulary = grammar == null ? Vocabulary.freeSpeech() : Vocabulary.of(grammar);
        TurnOptions options = TurnOptions.from(config.speech())
                .withNoInput(Duration.ofMillis(Math.max(1, pcm.samples.length * 1000L / pcm.rate + 1000)));
        try (Recognizer recognizer = Recognizers.create(engine, config.speech());
             SpeechListener listener = new SpeechListener(recognizer, pcm.rate, options)) {
            int frame = pcm.rate / 50;
            CompletableFuture<Utterance> result = startTurn(listener, vocabulary, options);
            for (int off = 0; off < pcm.samples.length; off += frame) {
                listener.accept(pcm.samples, off, Math.min(frame, pcm.samples.length - off));
                // Offline, wait for each result before reading on, so no audio passes between two turns.
                if (listener.isRecognizing() || !listener.isListening()) {
                    print(ctx, grammar, await(result, file));
                    result = startTurn(listener, vocabulary, options);
                }
            }
            // Speech still going at the end of the file ends there.
            listener.flush();
            if (listener.isRecognizing() || result.isDone()) {
                print(ctx, grammar, await(result, file));
            } else {
                listener.cancel();
            }
        }
        return 0;
    }

    private static CompletableFuture<Utterance> startTurn(SpeechListener l, Vocabulary v, TurnOptions o) {
        CompletableFuture<Utterance> f = new CompletableFuture<>();
        l.listen(v, o, new TurnCallback() {
            @Override
            public void onResult(Utterance u) {
                f.complete(u);
            }

            @Override
            public void onError(Exception e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    private static Utterance await(CompletableFuture<Utterance> f, Path file) throws Exception {
        try {
            return f.get(RESULT_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AsrException(file + ": recognition failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new AsrException(file + ": no recognition result within " + RESULT_TIMEOUT_S + " s");
        }
    }

    private static void print(CliContext ctx, Grammar grammar, Utterance u) {
        if (u.kind() != Utterance.Kind.SPEECH) {
            return;
        }
        ObjectNode n = JSON.createObjectNode();
        n.put("text", u.text());
        if (grammar != null) {
            String intent = grammar.intentOf(u.text()).orElse(null);
            if (intent == null) {
                n.putNull("intent");
            } else {
                n.put("intent", intent);
            }
        }
        n.put("confidence", Math.round(u.confidence() * 1000) / 1000.0);
        n.put("start_ms", u.startMs());
        n.put("end_ms", u.endMs());
        ctx.out().println(n.toString());
    }

    private record Pcm(short[] samples, int rate) {
    }

    /** 16-bit (or 8-bit/mu-law/a-law, converted) mono WAV at 8 or 16 kHz. */
    static Pcm readWav(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CommandException(file + ": " + (Files.exists(file) ? "not a file" : "no such file"));
        }
        try (AudioInputStream in = AudioSystem.getAudioInputStream(file.toFile())) {
            AudioFormat f = in.getFormat();
            int rate = Math.round(f.getSampleRate());
            if (rate != 8000 && rate != 16000) {
                throw new CommandException(file + ": sample rate " + rate + " Hz; convert it to 8000 or 16000 Hz "
                        + "(e.g. sox in.wav -r 8000 -c 1 -b 16 out.wav)");
            }
            if (f.getChannels() != 1) {
                throw new CommandException(file + ": " + f.getChannels() + " channels; give a mono file "
                        + "(e.g. sox in.wav -c 1 out.wav)");
            }
            AudioFormat pcm16 = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, rate, 16, 1, 2, rate, false);
            try (AudioInputStream s = AudioSystem.getAudioInputStream(pcm16, in)) {
                byte[] b = s.readAllBytes();
                short[] out = new short[b.length / 2];
                for (int i = 0; i < out.length; i++) {
                    out[i] = (short) ((b[2 * i] & 0xff) | (b[2 * i + 1] << 8));
                }
                return new Pcm(out, rate);
            } catch (IllegalArgumentException e) {
                throw new CommandException(file + ": cannot convert " + f + " to 16-bit PCM");
            }
        } catch (UnsupportedAudioFileException e) {
            throw new CommandException(file + ": not a WAV file this reader understands (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new CommandException(file + ": cannot read: " + e.getMessage());
        }
    }
}
