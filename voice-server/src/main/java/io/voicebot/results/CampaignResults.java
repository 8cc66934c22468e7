package io.voicebot.results;

import io.voicebot.store.CampaignReports;
import io.voicebot.store.ResultQueries;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A campaign's results as operators read them: what the dialer's attempts came to, the funnel by contact, the
 * answers per question and where calls that did not complete stopped. Definitions: docs/results-and-qa.md.
 */
public final class CampaignResults {

    /** Attempt outcomes that are failures to reach anyone, reported by cause. */
    static final List<String> FAILURE_CAUSES = List.of("busy", "no_answer", "congestion", "rejected", "failed");
    /** The funnel's last stage by default: the callee named a date to pay (payment_reminder's promise_date). */
    public static final String DEFAULT_POSITIVE = "promise_date=*";
    /** Distinct values listed per question; the rest are left out of its distribution. */
    static final int MAX_VALUES = 50;

    private final CampaignReports reports;
    private final ResultQueries queries;

    public CampaignResults(CampaignReports reports, ResultQueries queries) {
        this.reports = reports;
        this.queries = queries;
    }

    /**
     * {@code positive}: "key=value" or "key=*" (any value), comma separated: answers that put a completed call in
     * the funnel's last stage. Throws IllegalArgumentException naming what is wrong with it.
     */
    public Map<String, Object> results(long campaignId, String positive) {
        List<ResultQueries.PositiveAnswer> pos = parsePositive(positive);
        CampaignReports.Progress progress = reports.progress(campaignId);
        ResultQueries.AttemptCounts counts = queries.attemptCounts(campaignId);
        Map<String, Integer> outcomes = progress.outcomes();

        Map<String, Object> calls = new LinkedHashMap<>();
        calls.put("attempts", counts.attempts());
        calls.put("dialed", counts.dialed());
        calls.put("answered", counts.answered());
        calls.put("machine", outcomes.getOrDefault("machine", 0) + outcomes.getOrDefault("voicemail", 0));
        calls.put("completed", outcomes.getOrDefault("completed", 0));
        calls.put("transferred", outcomes.getOrDefault("transferred", 0));
        calls.put("opted_out", outcomes.getOrDefault("opted_out", 0));
        Map<String, Integer> failed = new LinkedHashMap<>();
        for (String cause : FAILURE_CAUSES) {
            failed.put(cause, outcomes.getOrDefault(cause, 0));
        }
        calls.put("failed", failed);
        calls.put("outcomes", outcomes);

        ResultQueries.Funnel f = queries.funnel(campaignId, pos);
        Map<String, Object> funnel = new LinkedHashMap<>();
        funnel.put("contacts_called", f.contactsCalled());
        funnel.put("reached", f.reached());
        funnel.put("identity_confirmed", f.identityConfirmed());
        funnel.put("completed", f.completed());
        funnel.put("positive", f.positive());
        funnel.put("positive_answers", positive == null || positive.isBlank() ? DEFAULT_POSITIVE : positive.strip());

        List<Map<String, Object>> questions = new ArrayList<>();
        queries.answerDistribution(campaignId, MAX_VALUES).forEach((key, values) -> {
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("key", key);
            q.put("answers", values.values().stream().mapToInt(Integer::intValue).sum());
            q.put("values", values);
            questions.add(q);
        });
        List<Map<String, Object>> dropOff = new ArrayList<>();
        for (ResultQueries.DropOff d : queries.dropOff(campaignId)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("step", d.stepId() == null ? "unknown" : d.stepId());
            m.put("calls", d.calls());
            dropOff.add(m);
        }

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("campaign_id", campaignId);
        out.put("contacts", progress.contacts());
        out.put("calls", calls);
        out.put("funnel", funnel);
        out.put("questions", questions);
        out.put("drop_off", dropOff);
        return out;
    }

    static List<ResultQueries.PositiveAnswer> parsePositive(String text) {
        String t = text == null || text.isBlank() ? DEFAULT_POSITIVE : text.strip();
        List<ResultQueries.PositiveAnswer> out = new ArrayList<>();
        for (String part : t.split(",")) {
            String p = part.strip();
            int eq = p.indexOf('=');
            if (eq <= 0 || eq == p.length() - 1) {
                throw new IllegalArgumentException("positive: '" + p + "' must be key=value or key=* "
                        + "(e.g. promise_date=*,response=already_paid)");
            }
            String key = p.substring(0, eq).strip();
            String value = p.substring(eq + 1).strip();
            out.add(new ResultQueries.PositiveAnswer(key, value.equals("*") ? null : value));
        }
        return out;
    }
}
