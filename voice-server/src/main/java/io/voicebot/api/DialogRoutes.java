package io.voicebot.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.voicebot.call.DialogCatalog;
import io.voicebot.dialog.Dialog;
import io.voicebot.dialog.DialogException;
import io.voicebot.dialog.DialogLoader;
import io.voicebot.dialog.PhraseList;
import io.voicebot.dialog.ScriptWriter;
import io.voicebot.dialog.questionnaire.Questionnaire;
import io.voicebot.dialog.questionnaire.QuestionnaireCompiler;
import io.voicebot.store.DialogStore;
import io.voicebot.store.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * /api/dialogs and /api/questionnaires: operators upload dialog scripts and questionnaires, which are checked
 * with the server's own {@link DialogLoader}, stored, put in the {@link DialogCatalog} (the next call uses them)
 * and prepared for speech; agents list them and read them back as YAML.
 */
public final class DialogRoutes {
    private static final Logger log = LoggerFactory.getLogger(DialogRoutes.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Same rule as dialog names in DialogLoader and DialogStore. */
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,99}");
    static final String YAML_TYPE = "application/yaml";

    private final DialogLoader loader;
    private final QuestionnaireCompiler questionnaires;
    private final DialogStore store;
    private final DialogCatalog catalog;
    private final Consumer<Dialog> prepare;
    /** Store and catalog change together, so the catalog never keeps an older upload than the table. */
    private final Object installLock = new Object();

    /** {@code prepare} gets the recognizer and prompt cache ready for a new dialog (in the background). */
    private io.voicebot.speech.asr.Recognizer recognizer;
    private io.voicebot.net.WebhookTargets webhookTargets = io.voicebot.net.WebhookTargets.publicOnly();

    /** Internal webhook hosts an uploaded dialog may name (webhook.allow); by default public ones only. */
    /**
     * The recognizer calls listen with: a step whose phrases use a word it cannot recognize is refused at upload
     * (its whole phrase list would fail to compile, so the step could never understand speech).
     */
    public DialogRoutes recognizer(io.voicebot.speech.asr.Recognizer recognizer) {
        this.recognizer = recognizer;
        return this;
    }

    public DialogRoutes webhookTargets(io.voicebot.net.WebhookTargets targets) {
        this.webhookTargets = targets;
        return this;
    }

    public DialogRoutes(DialogLoader loader, DialogStore store, DialogCatalog catalog, Consumer<Dialog> prepare) {
        this.loader = loader;
        this.questionnaires = new QuestionnaireCompiler(loader);
        this.store = store;
        this.catalog = catalog;
        this.prepare = prepare;
    }

    public void register(HttpApi api) {
        api.route("POST", "/api/dialogs", Role.OPERATOR, this::upload);
        api.route("GET", "/api/dialogs", Role.AGENT, this::list);
        api.route("GET", "/api/dialogs/{name}", Role.AGENT, this::get);
        api.route("POST", "/api/questionnaires", Role.OPERATOR, this::uploadQuestionnaire);
    }

    /** Body: a script in YAML or JSON (by Content-Type, else sniffed). 201 {name, version, warnings}. */
    private ApiResponse upload(ApiRequest r) {
        String text = requireBody(r, "a dialog script (YAML or JSON)");
        String format = switch (mediaType(r)) {
            case "application/json" -> "json";
            case "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml" -> "yaml";
            case "", "text/plain", "application/octet-stream" -> looksLikeJson(text) ? "json" : "yaml";
            default -> throw new ApiException(415, "Content-Type " + mediaType(r) + " is not a dialog script; send "
                    + "application/yaml or application/json");
        };
        Dialog d;
        try {
            d = loader.parse("upload." + format, text);
        } catch (DialogException e) {
            throw ApiException.invalid("dialog script rejected: " + e.problems().size() + " problem(s)",
                    e.problems());
        }
        List<String> refused = new ArrayList<>();
        for (io.voicebot.dialog.Step step : d.steps().values()) {
            // a URL taken from a variable is checked when the call makes the request
            if (step instanceof io.voicebot.dialog.Step.Webhook w && !w.url().contains("${")) {
                webhookTargets.problem(w.url()).ifPresent(p -> refused.add("upload." + format + ": step '"
                        + w.id() + "': webhook: " + p));
            }
        }
        refused.addAll(unspeakable("upload." + format, d));
        if (!refused.isEmpty()) {
            throw ApiException.invalid("dialog script rejected: " + refused.size() + " problem(s)", refused);
        }
        int version = install(d, format, text);
        log.info("dialog {} version {} uploaded by token '{}'", d.name(), version, r.principal().name());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", d.name());
        out.put("version", version);
        out.put("warnings", d.warnings());
        return ApiResponse.created(out);
    }

    /** {"dialogs": [{name, description, source ("file" or "database"), version, updatedAt}]} by name. */
    private ApiResponse list(ApiRequest r) {
        Map<String, DialogStore.StoredDialog> stored = new LinkedHashMap<>();
        for (DialogStore.StoredDialog s : store.dialogs()) {
            stored.put(s.name(), s);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Dialog d : new TreeMap<>(catalog.all()).values()) {
            DialogStore.StoredDialog s = stored.get(d.name());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", d.name());
            m.put("description", d.description());
            m.put("source", s == null ? "file" : "database");
            m.put("version", s == null ? null : s.version());
            m.put("updatedAt", s == null ? null : s.updatedAt().toString());
            out.add(m);
        }
        return ApiResponse.ok(Map.of("dialogs", out));
    }

    /** The dialog calls run now, written back as a YAML script an operator can edit and upload again. */
    private ApiResponse get(ApiRequest r) {
        String name = r.pathParam("name");
        Dialog d = catalog.find(name).orElseThrow(() -> ApiException.notFound("no dialog named '" + name + "'"));
        return ApiResponse.text(YAML_TYPE, ScriptWriter.toYaml(d));
    }

    /**
     * ?name=NAME, body CSV (text/csv) or JSON (application/json), else sniffed. The questionnaire is compiled to
     * a dialog named NAME (for JSON, NAME replaces the "name" field; without ?name= the field is used).
     * 201 {name, version, warnings, dialog (the YAML script)}.
     */
    private ApiResponse uploadQuestionnaire(ApiRequest r) {
        String text = requireBody(r, "a questionnaire (CSV or JSON)");
        String source = switch (mediaType(r)) {
            case "text/csv", "application/csv" -> "csv";
            case "application/json" -> "json";
            case "", "text/plain", "application/octet-stream" -> looksLikeJson(text) ? "json" : "csv";
            default -> throw new ApiException(415, "Content-Type " + mediaType(r) + " is not a questionnaire; send "
                    + "text/csv or application/json");
        };
        Optional<String> name = r.queryParam("name").map(String::trim);
        name.ifPresent(n -> {
            if (!NAME.matcher(n).matches()) {
                throw ApiException.badRequest("query parameter 'name': must be lower_snake_case, 1 to 100 "
                        + "characters, got '" + n + "'");
            }
        });
        Questionnaire q;
        String file;
        try {
            if (source.equals("csv")) {
                file = name.orElseThrow(() -> ApiException.badRequest(
                        "query parameter 'name' is required for a CSV questionnaire (?name=my_survey)")) + ".csv";
                q = QuestionnaireCompiler.parseCsv(file, text);
            } else {
                file = name.orElse("questionnaire") + ".json";
                q = QuestionnaireCompiler.parseJson(file, name.isPresent() ? withName(text, name.get()) : text);
            }
        } catch (DialogException e) {
            throw ApiException.invalid("questionnaire rejected: " + e.problems().size() + " problem(s)", e.problems());
        }
        Dialog d;
        try {
            d = questionnaires.toDialog(file, q);
        } catch (DialogException e) {
            throw ApiException.invalid("questionnaire rejected: " + e.problems().size() + " problem(s)", e.problems());
        }
        List<String> unspeakable = unspeakable(file, d);
        if (!unspeakable.isEmpty()) {
            throw ApiException.invalid("questionnaire rejected: " + unspeakable.size() + " problem(s)", unspeakable);
        }
        String yaml = ScriptWriter.toYaml(d);
        int version;
        synchronized (installLock) {
            version = install(d, "yaml", yaml);
            long dialogId = store.findDialog(d.name()).orElseThrow().id();
            store.saveQuestionnaire(d.name(), source, text, dialogId);
        }
        log.info("questionnaire {} ({}, {} questions) uploaded by token '{}' as dialog version {}", d.name(), source,
                q.questions().size(), r.principal().name(), version);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", d.name());
        out.put("version", version);
        out.put("warnings", d.warnings());
        out.put("dialog", yaml);
        return ApiResponse.created(out);
    }

    /** Stores the script, makes it the one calls run and prepares speech for it; returns its stored version. */
    private int install(Dialog d, String format, String text) {
        int version;
        synchronized (installLock) {
            store.saveDialog(d.name(), format, text);
            version = store.findDialog(d.name()).orElseThrow().version();
            catalog.put(d);
        }
        prepare.accept(d);
        return version;
    }

    /** One problem per listening step that uses words the recognizer cannot recognize, naming step and words. */
    private List<String> unspeakable(String source, Dialog d) {
        List<String> out = new ArrayList<>();
        if (recognizer == null) {
            return out;
        }
        for (String id : d.steps().keySet()) {
            java.util.Set<String> words = new java.util.LinkedHashSet<>();
            for (PhraseList l : d.vocabularies(id)) {
                words.addAll(recognizer.unknownWords(
                        new io.voicebot.speech.asr.Vocabulary(l.phrases(), l.repeat(), l.secondary(),
                                l.minLength(), l.maxLength())));
            }
            if (!words.isEmpty()) {
                out.add(source + ": step '" + id + "': the " + recognizer.engine() + " recognizer cannot recognize "
                        + String.join(", ", words.stream().map(w -> "'" + w + "'").toList())
                        + " (not in its dictionary); use other words or spell numbers as words");
            }
        }
        return out;
    }

    private static String requireBody(ApiRequest r, String what) {
        String text = r.bodyText();
        if (text.isBlank()) {
            throw ApiException.badRequest("request body is empty; expected " + what);
        }
        return text;
    }

    /** The Content-Type without parameters, lower case; "" when absent. */
    private static String mediaType(ApiRequest r) {
        return r.header("content-type").map(v -> v.split(";", 2)[0].trim().toLowerCase(Locale.ROOT)).orElse("");
    }

    private static boolean looksLikeJson(String text) {
        String t = text.stripLeading();
        return t.startsWith("{") || t.startsWith("[");
    }

    /** The JSON questionnaire with its "name" set to {@code name}; malformed JSON is left for the compiler. */
    private static String withName(String text, String name) {
        try {
            JsonNode root = JSON.readTree(text);
            if (root instanceof ObjectNode o) {
                o.put("name", name);
                return JSON.writeValueAsString(o);
            }
            return text;
        } catch (JsonProcessingException e) {
            return text;
        }
    }
}
