package io.voicebot.api;

import io.voicebot.call.DialogCatalog;
import io.voicebot.campaign.lists.ImportReport;
import io.voicebot.campaign.lists.ImportRequest;
import io.voicebot.campaign.lists.ListImportException;
import io.voicebot.campaign.lists.ListImporter;
import io.voicebot.dialog.Dialog;
import io.voicebot.log.PhoneMask;
import io.voicebot.phone.PhoneNumbers;
import io.voicebot.store.ListStore;
import io.voicebot.store.ListStore.Contact;
import io.voicebot.store.ListStore.ContactList;
import io.voicebot.store.ListStore.StoredRejection;
import io.voicebot.store.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * /api/lists: operators upload call lists as CSV (streamed to a file, imported on the import thread, never a
 * call's); agents and up read lists, their contacts (numbers masked for agents) and what each import rejected.
 */
public final class ListRoutes {
    private static final Logger log = LoggerFactory.getLogger(ListRoutes.class);
    /** The upload's answer lists this many rejections; the rest are paged from /rejections. */
    static final int REPORTED_REJECTIONS = 10_000;
    private static final Set<String> CSV_TYPES = Set.of("", "text/csv", "application/csv", "text/plain",
            "text/tab-separated-values", "application/vnd.ms-excel", "application/octet-stream");

    private final ListStore lists;
    private final ListImporter importer;
    private final DialogCatalog dialogs;
    private final ExecutorService imports;

    /** {@code imports}: the thread imports run on (one at a time, so they cannot crowd out calls). */
    public ListRoutes(ListStore lists, ListImporter importer, DialogCatalog dialogs, ExecutorService imports) {
        this.lists = lists;
        this.importer = importer;
        this.dialogs = dialogs;
        this.imports = imports;
    }

    public void register(HttpApi api) {
        api.upload("POST", "/api/lists", Role.OPERATOR, this::upload);
        api.route("GET", "/api/lists", Role.AGENT, r -> ApiResponse.ok(Map.of("lists",
                lists.lists().stream().map(ListRoutes::view).toList())));
        api.route("GET", "/api/lists/{id}", Role.AGENT, r -> ApiResponse.ok(view(list(r))));
        api.route("GET", "/api/lists/{id}/contacts", Role.AGENT, this::contacts);
        api.route("GET", "/api/lists/{id}/rejections", Role.AGENT, this::rejections);
    }

    /** ?name=N[&region=CC][&dialog=D], body CSV. 201 with the counts and the first 10,000 rejections. */
    private ApiResponse upload(ApiRequest r) throws Exception {
        String name = r.queryParam("name").map(String::strip).orElseThrow(() -> ApiException.badRequest(
                "query parameter 'name' is required (?name=march_reminders)"));
        if (name.isEmpty() || name.length() > 100) {
            throw ApiException.badRequest("query parameter 'name' must be 1 to 100 characters");
        }
        String region = r.queryParam("region").map(String::strip).orElse(null);
        if (region != null && !PhoneNumbers.isRegion(region)) {
            throw ApiException.badRequest("query parameter 'region': '" + region + "' is not a region code "
                    + "(ISO 3166 alpha-2, e.g. US, GB, DE)");
        }
        String dialogName = r.queryParam("dialog").map(String::strip).orElse(null);
        Set<String> required = Set.of();
        if (dialogName != null) {
            Dialog d = dialogs.find(dialogName).orElseThrow(() -> ApiException.badRequest("query parameter 'dialog': "
                    + "no dialog named '" + dialogName + "' (known: " + String.join(", ",
                    new TreeSet<>(dialogs.all().keySet())) + ")"));
            required = d.requiredContactFields();
        }
        String type = r.header("content-type").map(v -> v.split(";", 2)[0].strip().toLowerCase(Locale.ROOT))
                .orElse("");
        if (!CSV_TYPES.contains(type)) {
            throw new ApiException(415, "Content-Type " + type + " is not a call list; send text/csv");
        }
        Path file = r.bodyFile().orElseThrow(() -> new IllegalStateException("POST /api/lists is an upload route"));
        if (Files.size(file) == 0) {
            throw ApiException.badRequest("request body is empty; expected a CSV file with a phone column");
        }
        ImportRequest request = new ImportRequest(name, region, dialogName, required, fileName(r));
        ImportReport report = await(imports.submit(() -> importer.importFile(file, request)));
        log.info("list '{}' (id {}) uploaded by token '{}'", report.name(), report.listId(), r.principal().name());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", report.listId());
        out.put("name", report.name());
        out.put("rows", report.rows());
        out.put("imported", report.imported());
        out.put("rejected", report.rejected());
        out.put("duplicates", report.duplicates());
        out.put("do_not_call", report.doNotCall());
        out.put("charset", report.charset());
        out.put("delimiter", report.delimiterName());
        List<StoredRejection> first = lists.rejections(report.listId(), 0, REPORTED_REJECTIONS + 1);
        out.put("rejections", first.stream().limit(REPORTED_REJECTIONS).map(ListRoutes::view).toList());
        out.put("rejections_truncated", first.size() > REPORTED_REJECTIONS);
        return ApiResponse.created(out);
    }

    private static ImportReport await(Future<ImportReport> f) throws Exception {
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new ApiException(503, "the server is stopping; upload the list again later");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof ListImportException bad) {
                throw new ApiException(400, bad.problems().size() == 1 ? bad.getMessage()
                        : "list rejected: " + bad.problems().size() + " problems", Map.of("problems", bad.problems()));
            }
            if (c instanceof IllegalArgumentException taken
                    && String.valueOf(c.getMessage()).endsWith("already exists")) {
                throw ApiException.conflict(taken.getMessage());
            }
            if (c instanceof IllegalArgumentException bad) {
                throw ApiException.badRequest(bad.getMessage());
            }
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw (Exception) c;
        }
    }

    /** ?after=ID&limit=N; phone numbers in full for operators and admins, masked for agents. */
    private ApiResponse contacts(ApiRequest r) {
        ContactList l = list(r);
        boolean full = r.principal().role().includes(Role.OPERATOR);
        List<Contact> page = lists.contacts(l.id(), after(r), limit(r));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Contact c : page) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", c.id());
            m.put("phone", full ? c.phone() : PhoneMask.mask(c.phone()));
            m.put("name", c.name());
            m.put("fields", c.fields());
            m.put("timezone", c.timezone());
            m.put("country", c.country());
            m.put("line", c.lineNo());
            m.put("state", c.state());
            out.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("contacts", out);
        body.put("next", page.isEmpty() ? null : page.get(page.size() - 1).id());
        return ApiResponse.ok(body);
    }

    private ApiResponse rejections(ApiRequest r) {
        ContactList l = list(r);
        List<StoredRejection> page = lists.rejections(l.id(), after(r), limit(r));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("rejections", page.stream().map(ListRoutes::view).toList());
        body.put("next", page.isEmpty() ? null : page.get(page.size() - 1).id());
        return ApiResponse.ok(body);
    }

    private ContactList list(ApiRequest r) {
        String id = r.pathParam("id");
        try {
            long n = Long.parseLong(id);
            return lists.findList(n).orElseThrow(() -> ApiException.notFound("no contact list with id " + n));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("list id must be a number, got '" + id + "'");
        }
    }

    /** The file name a client gave in Content-Disposition, for messages; "upload.csv" without one. */
    private static String fileName(ApiRequest r) {
        String cd = r.header("content-disposition").orElse("");
        int i = cd.toLowerCase(Locale.ROOT).indexOf("filename=");
        if (i < 0) {
            return "upload.csv";
        }
        String f = cd.substring(i + 9).split(";", 2)[0].strip().replace("\"", "");
        f = f.substring(Math.max(f.lastIndexOf('/'), f.lastIndexOf('\\')) + 1);
        return f.isEmpty() || f.length() > 200 ? "upload.csv" : f;
    }

    static long after(ApiRequest r) {
        String v = r.queryParam("after").orElse("0");
        try {
            long n = Long.parseLong(v);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw ApiException.badRequest("query parameter 'after' must be an id (a whole number from 0), got '" + v
                + "'");
    }

    static int limit(ApiRequest r) {
        String v = r.queryParam("limit").orElse("100");
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= 1000) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw ApiException.badRequest("query parameter 'limit' must be 1 to 1000, got '" + v + "'");
    }

    private static Map<String, Object> view(ContactList l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", l.id());
        m.put("name", l.name());
        m.put("state", l.state());
        m.put("region", l.region());
        m.put("dialog", l.dialogName());
        m.put("fields", l.fieldNames());
        m.put("rows", l.rows());
        m.put("imported", l.imported());
        m.put("rejected", l.rejected());
        m.put("duplicates", l.duplicates());
        m.put("do_not_call", l.doNotCall());
        m.put("charset", l.sourceCharset());
        m.put("created_at", text(l.createdAt()));
        m.put("updated_at", text(l.updatedAt()));
        m.put("error", l.error());
        return m;
    }

    private static Map<String, Object> view(StoredRejection x) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", x.id());
        m.put("line", x.line());
        m.put("column", x.column());
        m.put("reason", x.reason());
        return m;
    }

    static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
