package io.voicebot.speech.asr;

import edu.cmu.sphinx.result.Result;
import edu.cmu.sphinx.result.WordResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Sphinx4 results as {@link RecognitionResult}s, with the confidence the dialogs act on. */
final class SphinxResults {
    private static final Logger log = LoggerFactory.getLogger(SphinxResults.class);

    private SphinxResults() {
    }

    /**
     * How a stream's grammar results are judged: {@code rejectBelow} (speech.sphinx.reject.below) on the acoustic
     * confidence; {@code marginNats} (speech.sphinx.margin.nats, 0 = off) the gap to the closest phrase of another
     * meaning of {@code vocabulary} that lowers the confidence to 0.5 ({@link PhraseMargin}); {@code unexplainedMs}
     * (speech.sphinx.unexplained.ms, 0 = off) the speech the words leave unexplained that lowers it to 0.5
     * ({@link AcousticConfidence#unexplainedConfidence}).
     */
    record Rules(double rejectBelow, double marginNats, Vocabulary vocabulary, int unexplainedMs) {
        static final Rules NONE = new Rules(0, 0, null, 0);
    }

    /**
     * The result of one utterance: words with their confidence (acoustic path gaps for grammars, Sphinx's own word
     * confidence for free speech); empty when nothing was heard or the least sure word is under the rules'
     * {@code rejectBelow}. A grammar result's confidence is then lowered by a close runner-up of another meaning,
     * which makes the dialog read it back but never rejects it: the words did sound like the speech.
     */
    static RecognitionResult of(Result r, int samples, CiFrameScorer scorer, Rules rules) {
        long audioMs = audioMs(samples);
        RecognitionResult empty = new RecognitionResult("", 0, true, 0, audioMs, List.of());
        if (r == null) {
            return empty;
        }
        String text = clean(r.getBestFinalResultNoFiller());
        List<WordResult> timed = new ArrayList<>();
        for (WordResult w : r.getTimedBestResult(false)) {
            if (!w.isFiller() && !w.getWord().getSpelling().startsWith("<")) {
                timed.add(w);
            }
        }
        if (text.isEmpty() || timed.isEmpty()) {
            return empty;
        }
        // Grammar results: acoustic confidence per word (a single JSGF path has no posterior of its own).
        AcousticConfidence.PathGaps path = scorer == null ? null : AcousticConfidence.pathGaps(r, scorer);
        List<Double> gaps = path == null ? List.of() : path.words();
    
        List<RecognitionResult.Word> words = new ArrayList<>();
        double minConf = 1;
        for (int i = 0; i < timed.size(); i++) {
            WordResult w = timed.get(i);
            double conf;
            if (scorer == null) {
                conf = clamp(r.getLogMath().logToLinear((float) w.getConfidence()));
            } else if (gaps.size() == timed.size()) {
                conf = AcousticConfidence.confidence(gaps.get(i));
            } else {
                conf = 0; // path and words disagree: nothing to vouch for the words
            }
            minConf = Math.min(minConf, conf);
            words.add(new RecognitionResult.Word(w.getWord().getSpelling(), conf, w.getTimeFrame().getStart(),
                    w.getTimeFrame().getEnd()));
        }
        String why = "the words fit the speech poorly";
        if (path != null) {
            // Out-of-grammar speech mostly ends up as "silence" around one short forced word.
            double coverage = AcousticConfidence.coverageConfidence(path.coverage());
            if (coverage < minConf) {
                minConf = coverage;
                why = String.format(Locale.ROOT, "the words cover %.0f%% of the speech", 100 * path.coverage());
            }
            if (rules.unexplainedMs() > 0) { // ... or, a long sentence matched into one phrase, as speech left over
                double unexplained = AcousticConfidence.unexplainedConfidence(path.unexplainedFrames(),
                        rules.unexplainedMs());
                if (unexplained < minConf) {
                    minConf = unexplained;
                    why = path.unexplainedFrames() * 1000 / AcousticConfidence.FRAMES_PER_SECOND
                            + " ms of speech outside the words";
                }
            }
        }
        if (scorer != null && minConf < rules.rejectBelow()) {
            String reason = String.format(Locale.ROOT, "confidence %.2f below %.2f: %s", minConf,
                    rules.rejectBelow(), why);
            log.debug("Sphinx4 rejected '{}' ({})", loggable(text, rules), reason);
            return RecognitionResult.rejected(0, audioMs, reason);
        }
        if (scorer != null && rules.vocabulary() != null && rules.marginNats() > 0) {
            PhraseMargin.RunnerUp next = PhraseMargin.of(r, rules.vocabulary());
            double margin = PhraseMargin.confidence(next.gap(), rules.marginNats());
            if (margin < minConf) {
                log.debug("Sphinx4 '{}': '{}' {} nats behind (confidence {} -> {})", loggable(text, rules),
                        loggable(next.phrase(), rules), String.format("%.1f", next.gap()),
                        String.format("%.2f", minConf), String.format("%.2f", margin));
                minConf = margin;
            }
        }
        return new RecognitionResult(text, minConf, true, words.get(0).startMs(),
                words.get(words.size() - 1).endMs(), words);
    }

    /** The length in ms of {@code samples} of decoder input (16 kHz). */
    static long audioMs(int samples) {
        return samples * 1000L / SphinxRecognizer.DECODER_RATE;
    }

    /** Digit strings may be account numbers: of a sequence grammar's text only the length goes to the log. */
    static String loggable(String text, Rules rules) {
        return rules.vocabulary() != null && rules.vocabulary().sequence() ? text.split(" ").length + " words"
                : text;
    }

    /** Sphinx text without the out-of-grammar marker. */
    static String clean(String hyp) {
        if (hyp == null) {
            return "";
        }
        return hyp.replace("<unk>", " ").replaceAll("\\s+", " ").trim();
    }

    private static double clamp(double v) {
        return Double.isNaN(v) ? 0 : Math.max(0, Math.min(1, v));
    }
}
