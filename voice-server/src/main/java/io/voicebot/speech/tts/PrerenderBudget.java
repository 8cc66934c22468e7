package io.voicebot.speech.tts;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * How many prompts of one dialog are rendered ahead of need — when the dialog is loaded at start-up or uploaded,
 * and per call by the lookahead. Rendering ahead is an optimisation, paid in synthesis time that live calls also
 * need: a dialog with thousands of `say` steps must not keep the synthesizer busy for minutes, nor bring that
 * backlog back at every restart. The first prompts of a dialog (in its order, which is what callers hear first)
 * are rendered ahead; the rest are rendered when a call reaches them, like any personalized prompt.
 */
public final class PrerenderBudget {
    private static final Logger log = LoggerFactory.getLogger(PrerenderBudget.class);
    /** Prompts of one dialog rendered ahead; a few times what a typical dialog has (10 to 60). */
    public static final int PER_DIALOG = 200;

    private PrerenderBudget() {}

    /** The first {@code max} of {@code prompts}; says in the log how many are left to render on demand. */
    public static List<String> take(String dialog, Collection<String> prompts, int max) {
        List<String> out = new ArrayList<>(Math.min(prompts.size(), max));
        for (String p : prompts) {
            if (out.size() == max) {
                log.info("dialog {}: {} of its {} fixed prompts rendered ahead; the other {} are rendered when a "
                        + "call first needs them", dialog, max, prompts.size(), prompts.size() - max);
                break;
            }
            out.add(p);
        }
        return out;
    }
}
