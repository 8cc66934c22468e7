package io.voicebot.api;

import io.voicebot.results.CampaignResults;
import io.voicebot.results.CsvExport;
import io.voicebot.store.Role;

import java.util.Locale;
import java.util.function.LongPredicate;

/**
 * A campaign's results (agents may read them) and its CSV export (operators: it carries every contact's number and
 * answers). The export streams from database cursors to the client on the API worker that took the request.
 */
public final class ResultRoutes {
    private final LongPredicate campaignExists;
    private final CampaignResults results;
    private final CsvExport export;

    public ResultRoutes(LongPredicate campaignExists, CampaignResults results, CsvExport export) {
        this.campaignExists = campaignExists;
        this.results = results;
        this.export = export;
    }

    public void register(HttpApi api) {
        api.route("GET", "/api/campaigns/{id}/results", Role.AGENT, this::results);
        api.route("GET", "/api/campaigns/{id}/export.csv", Role.OPERATOR, this::export);
    }

    private ApiResponse results(ApiRequest r) {
        long id = campaign(r);
        try {
            return ApiResponse.ok(results.results(id, r.queryParam("positive").orElse(null)));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private ApiResponse export(ApiRequest r) {
        long id = campaign(r);
        String phones = r.queryParam("phones").orElse("full").toLowerCase(Locale.ROOT);
        if (!phones.equals("full") && !phones.equals("masked")) {
            throw ApiException.badRequest("phones: must be full or masked, got '" + phones + "'");
        }
        CsvExport.Job job;
        try {
            job = export.prepare(id, CsvExport.Phones.valueOf(phones.toUpperCase(Locale.ROOT)));
        } catch (CsvExport.Busy e) {
            throw new ApiException(503, e.getMessage());
        }
        return ApiResponse.streamed("text/csv", new ApiResponse.Streamed() {
            @Override
            public void writeTo(java.io.OutputStream out) throws Exception {
                job.writeTo(out);
            }

            @Override
            public void abandon() {
                job.cancel();
            }
        });
    }

    private long campaign(ApiRequest r) {
        String s = r.pathParam("id");
        long id;
        try {
            id = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("campaign id must be a number, got '" + s + "'");
        }
        if (!campaignExists.test(id)) {
            throw ApiException.notFound("no campaign " + id);
        }
        return id;
    }
}
