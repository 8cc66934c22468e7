package io.voicebot.cli;

import io.voicebot.config.VoicebotConfig;
import io.voicebot.speech.audio.Pcm;
import io.voicebot.speech.audio.WavFile;
import io.voicebot.speech.tts.MaryTtsSynthesizer;
import io.voicebot.speech.tts.PromptCache;
import io.voicebot.speech.tts.PromptTemplate;
import io.voicebot.speech.tts.TemplateException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code voicebot say "text" --out file.wav [--rate 8000|16000] [--var name=value ...] [--no-cache]}. */
public final class SayCommand implements Command {
    private static final long TIMEOUT_S = 120;

    @Override
    public String summary() {
        return "say TEXT --out F  speak a prompt template into a WAV file (--rate 8000|16000, --var k=v, --no-cache)";
    }

    static final Help HELP = Help.of("voicebot say 'TEXT' --out FILE.wav [--var NAME=VALUE]... [--rate 8000|16000]",
                    "Speaks a prompt template with MaryTTS into a WAV file, as a call would hear it. Quote TEXT with\n"
                    + "single quotes so the shell leaves ${name} alone: voicebot say 'Your balance is\n"
                    + "${amount:money}.' --var amount=1250.75 --out balance.wav")
            .option("out", "FILE.wav", "where to write the audio (required)")
            .option("var", "NAME=VALUE", "a value for ${NAME} in TEXT (repeatable)")
            .option("rate", "8000|16000", "sample rate (default speech.sample.rate)")
            .flag("no-cache", "synthesise again instead of using tts.cache.dir")
            .note("Formats: ${v}, ${v:number}, ${v:money}, ${v:date}, ${v:time}, ${v:digits}, ${v:ordinal}.");

    @Override
    public Help help() {
        return HELP;
    }

    @Override
    public int run(CliContext ctx, List<String> args) throws Exception {
        Options o = Options.parse(args, HELP);
        if (o.positionals().size() != 1) {
            throw new UsageException("say needs exactly one text argument (quote it), got "
                    + o.positionals().size());
        }
        String outArg = o.get("out", null);
        if (outArg == null) {
            throw new UsageException("option --out FILE.wav is required");
        }
        Path out = Path.of(outArg).toAbsolutePath();
        if (out.getParent() != null && !Files.isDirectory(out.getParent())) {
            throw new UsageException("--out: directory " + out.getParent() + " does not exist");
        }
        Map<String, String> vars = new LinkedHashMap<>();
        for (String v : o.all("var")) {
            int eq = v.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("--var needs name=value, got '" + v + "'");
            }
            vars.put(v.substring(0, eq), v.substring(eq + 1));
        }
        String text;
        try {
            PromptTemplate template = PromptTemplate.parse("command line", o.positionals().get(0));
            text = template.render(vars);
            warnUnused(ctx, template, vars);
        } catch (TemplateException e) {
            throw new UsageException(e.getMessage());
        }
        VoicebotConfig config = ctx.config();
        int rate = o.getInt("rate", config.speech().sampleRate());
        if (rate != 8000 && rate != 16000) {
            throw new UsageException("option --rate must be 8000 or 16000, got " + rate);
        }
        boolean cached;
        short[] samples;
        try (MaryTtsSynthesizer tts = MaryTtsSynthesizer.start(config.tts())) {
            if (o.has("no-cache")) {
                samples = tts.synthesize(text, rate).get(TIMEOUT_S, TimeUnit.SECONDS).samples();
                cached = false;
            } else {
                try (PromptCache cache = PromptCache.fromConfig(config, tts)) {
                    samples = cache.render(text, rate).get(TIMEOUT_S, TimeUnit.SECONDS);
                    cached = cache.stats().misses() == 0;
                }
            }
        } catch (ExecutionException e) {
            ctx.err().println("voicebot say: " + e.getCause().getMessage());
            return 1;
        } catch (TimeoutException e) {
            ctx.err().println("voicebot say: no audio after " + TIMEOUT_S + " s");
            return 1;
        }
        WavFile.write(out, new Pcm(samples, rate));
        ctx.out().println(String.format(Locale.ROOT, "wrote %s: %.2f s at %d Hz%s", out,
                samples.length / (double) rate, rate, cached ? " (from cache)" : ""));
        return 0;
    }

    /** A --var the text never uses is most often a ${...} the shell replaced inside double quotes. */
    private static void warnUnused(CliContext ctx, PromptTemplate template, Map<String, String> vars) {
        for (String name : vars.keySet()) {
            if (!template.variables().contains(name) && !name.equals(PromptTemplate.CURRENCY_VARIABLE)) {
                ctx.err().println("voicebot say: warning: --var " + name + " is not used by the text"
                        + (template.variables().isEmpty()
                        ? " (it has no ${...}: inside double quotes the shell replaces ${" + name
                        + "}; use single quotes)" : " (it uses " + String.join(", ", template.variables()) + ")"));
            }
        }
    }
}
