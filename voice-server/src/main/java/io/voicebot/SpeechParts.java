package io.voicebot;

import io.voicebot.api.HealthChecks;
import io.voicebot.config.VoicebotConfig;
import io.voicebot.dialog.Dialog;
import io.voicebot.dialog.PhraseList;
import io.voicebot.monitoring.ServerMeters;
import io.voicebot.speech.asr.Recognizer;
import io.voicebot.speech.asr.Recognizers;
import io.voicebot.speech.asr.TimedRecognizer;
import io.voicebot.speech.asr.Vocabulary;
import io.voicebot.speech.tts.MaryTtsSynthesizer;
import io.voicebot.speech.tts.PromptCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/** The recognizer, the synthesizer with its prompt cache, and getting both ready for the dialogs. */
final class SpeechParts {
    private static final Logger log = LoggerFactory.getLogger(VoicebotServer.class); // its name before the split

    private final VoicebotConfig config;
    private final ServerMeters meters;
    private Recognizer recognizer;
    private MaryTtsSynthesizer synthesizer;
    private PromptCache prompts;
    private volatile boolean ready;

    SpeechParts(VoicebotConfig config, ServerMeters meters) {
        this.config = config;
        this.meters = meters;
    }

    void startRecognizer() {
        recognizer = new TimedRecognizer(Recognizers.create(config.speech()),
                meters.asrDecodeSeconds(config.speech().engine()));
    }

    void stopRecognizer() {
        recognizer.close();
    }

    void startSynthesis() throws Exception {
        synthesizer = MaryTtsSynthesizer.start(config.tts());
        prompts = PromptCache.fromConfig(config, synthesizer);
        prompts.timeRenders(meters.ttsRenderSeconds());
        meters.watchPrompts(prompts);
        meters.watchSynthesizer(synthesizer);
    }

    void stopSynthesis() {
        prompts.close();
        // Calls have drained by now; what may still be queued is prerendering, not worth waiting for.
        synthesizer.close(Duration.ofSeconds(2));
    }

    Recognizer recognizer() {
        return recognizer;
    }

    PromptCache prompts() {
        return prompts;
    }

    /**
     * Gets the recognizer ready for every phrase list and renders every fixed prompt of the loaded dialogs, in
     * the background: the server takes calls at once, and the first callers mostly find both ready.
     */
    void prepare(Collection<Dialog> loaded, ExecutorService speechPrepare) {
        speechPrepare.execute(() -> {
            long t0 = System.nanoTime();
            Set<PhraseList> lists = new LinkedHashSet<>();
            Set<String> fixedPrompts = new LinkedHashSet<>();
            for (Dialog d : loaded) {
                lists.addAll(d.vocabularies());
                fixedPrompts.addAll(io.voicebot.speech.tts.PrerenderBudget.take(d.name(), fixedSentences(d),
                        io.voicebot.speech.tts.PrerenderBudget.PER_DIALOG)); // a huge upload cannot hog synthesis
            }
            prompts.prefetch(fixedPrompts, config.speech().sampleRate()); // low priority: calls go first
            for (PhraseList list : lists) {
                try {
                    recognizer.prepare(new Vocabulary(list.phrases(), list.repeat(), list.secondary(),
                            list.minLength(), list.maxLength()));
                } catch (RuntimeException e) {
                    log.warn("cannot prepare the recognizer for a dialog phrase list: {}", e.getMessage());
                }
            }
            log.info("speech ready for {} phrase lists and {} fixed prompts in {} ms", lists.size(),
                    fixedPrompts.size(), (System.nanoTime() - t0) / 1_000_000);
        });
    }

    /**
     * What of a dialog can be rendered before any call, in the dialog's order: its fixed prompts whole, and the
     * sentences without contact details of the other prompts ("Hello, this is an automated survey from Example
     * Bank about your recent call." before "Am I speaking with ${name}?"), which the prompt cache renders and keeps
     * sentence by sentence, so a call to a new name waits only for the sentence with the name.
     */
    static Set<String> fixedSentences(Dialog d) {
        Set<String> out = new LinkedHashSet<>();
        for (String tmpl : d.promptTemplates()) {
            if (fixed(tmpl, d)) {
                out.add(io.voicebot.dialog.Template.fill(tmpl, d.vars())); // its sentences are rendered with it
                continue;
            }
            for (String sentence : io.voicebot.speech.tts.Sentences.split(PromptCache.normalize(tmpl))) {
                if (fixed(sentence, d)) {
                    out.add(io.voicebot.dialog.Template.fill(sentence, d.vars()));
                }
            }
        }
        return out;
    }

    private static boolean fixed(String template, Dialog d) {
        return !io.voicebot.dialog.Template.hasFormatHints(template)
                && d.vars().keySet().containsAll(io.voicebot.dialog.Template.variables(template));
    }

    /** GET /ready: ready once the first preparation is done (the executor runs tasks in order). */
    void readyAfterQueued(ExecutorService speechPrepare, HealthChecks health) {
        speechPrepare.execute(() -> ready = true);
        health.readiness("speech", () -> ready);
    }
}
