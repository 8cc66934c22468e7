package io.voicebot.call;

import io.voicebot.dialog.Dialog;
import io.voicebot.speech.tts.PrerenderBudget;
import io.voicebot.speech.tts.PromptCache;
import io.voicebot.speech.tts.PromptTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;

/**
 * Renders a call's personalized prompts before the call needs them: every prompt of the dialog whose variables
 * are all known (the contact's fields when the attempt is dialed; then each answer as it is given) goes to the
 * prompt cache's low-priority lane ({@link PromptCache#prefetch}), so the amount-and-date prompt or the goodbye
 * naming the caller plays at once instead of after a synthesis. Only texts the call might still say are rendered,
 * each once per call. Cheap on the caller's thread (filling templates); synthesis runs on the synthesizer's pool.
 */
public final class PromptLookahead {
    private static final Logger log = LoggerFactory.getLogger(PromptLookahead.class);
    /**
     * A compiled dialog's prompt templates with variables, parsed once: {@link #renderable} runs on each listen on
     * the call's executor. Weak keys: a dialog replaced by an upload leaves with its last call.
     */
    private static final Map<Dialog, List<PromptTemplate>> PARSED = Collections.synchronizedMap(new WeakHashMap<>());

    private final PromptCache prompts;
    private final Dialog dialog;
    private final int sampleRate;
    private final Set<String> asked = new HashSet<>();

    public PromptLookahead(PromptCache prompts, Dialog dialog, int sampleRate) {
        this.prompts = prompts;
        this.dialog = dialog;
        this.sampleRate = sampleRate;
    }

    /** Starts rendering the prompts {@code vars} now complete that were not asked for yet; returns when queued. */
    public synchronized CompletableFuture<Void> ahead(Map<String, String> vars) {
        List<String> texts = new ArrayList<>();
        for (String text : renderable(dialog, vars)) {
            if (asked.size() >= PrerenderBudget.PER_DIALOG) {
                break; // a dialog with thousands of prompts: the rest are rendered when reached
            }
            if (asked.add(text)) {
                texts.add(text);
            }
        }
        if (texts.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return prompts.prefetch(texts, sampleRate);
    }

    /**
     * The dialog's prompts that {@code vars} fill completely, rendered as the call renders them. Prompts that
     * need a variable not known yet (an answer still to come) are left out.
     */
    public static List<String> renderable(Dialog dialog, Map<String, String> vars) {
        List<String> out = new ArrayList<>();
        for (PromptTemplate t : PARSED.computeIfAbsent(dialog, PromptLookahead::parse)) {
            if (vars.keySet().containsAll(t.variables())) {
                try {
                    out.add(t.render(vars));
                } catch (RuntimeException e) {
                    // A value the template cannot format (yet): the call renders and reports it when it gets there.
                    log.debug("prompt of dialog {} not rendered ahead: {}", dialog.name(), e.toString());
                }
            }
        }
        return out;
    }

    /** The dialog's templates that have variables; one that does not parse is left to the call to report. */
    private static List<PromptTemplate> parse(Dialog dialog) {
        List<PromptTemplate> out = new ArrayList<>();
        for (String template : dialog.promptTemplates()) {
            try {
                PromptTemplate t = PromptTemplate.parse(dialog.name() + ":lookahead", template);
                if (!t.isConstant()) {
                    out.add(t);
                }
            } catch (RuntimeException e) {
                log.debug("prompt of dialog {} not rendered ahead: {}", dialog.name(), e.toString());
            }
        }
        return List.copyOf(out);
    }
}
