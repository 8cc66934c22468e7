package io.voicebot.cli;

import io.voicebot.campaign.lists.ImportReport;
import io.voicebot.campaign.lists.ImportRequest;
import io.voicebot.campaign.lists.ListImportException;
import io.voicebot.campaign.lists.ListImporter;
import io.voicebot.config.VoicebotConfig;
import io.voicebot.dialog.Dialog;
import io.voicebot.dialog.DialogException;
import io.voicebot.dialog.DialogLoader;
import io.voicebot.dialog.Knowledge;
import io.voicebot.dialog.KnowledgeLoader;
import io.voicebot.dialog.grammar.GrammarLibrary;
import io.voicebot.phone.PhoneNumbers;
import io.voicebot.store.AuditStore;
import io.voicebot.store.Database;
import io.voicebot.store.DialogStore;
import io.voicebot.store.DncStore;
import io.voicebot.store.ListStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code import-list FILE --name N [--region CC] [--dialog D]}: imports a CSV call list straight into the
 * database (the server may be running), then prints the counts and every rejected row as FILE:LINE: column:
 * reason. Exit 0 when the list was created, even with rejected rows; 1 when the file cannot be read or imported;
 * 2 for bad options.
 */
public final class ImportListCommand implements Command {

    @Override
    public String summary() {
        return "import-list       FILE --name N [--region CC] [--dialog D]  import a CSV call list";
    }

    static final Help HELP = Help.of("voicebot import-list FILE --name NAME [--region CC] [--dialog DIALOG]",
                    "Imports a CSV call list (UTF-8 or Windows-1252, comma/semicolon/tab separated) straight into\n"
                    + "the database (the server may be running), then prints the counts and every rejected row as\n"
                    + "FILE:LINE: column: reason. Exit 0 when the list was created, even with rejected rows.")
            .option("name", "NAME", "the new list's name, 1 to 100 characters (required)")
            .option("region", "CC", "region of numbers written without +country code (default "
                    + "phone.default.region)")
            .option("dialog", "DIALOG", "check that every contact has the fields this dialog needs");

    @Override
    public Help help() {
        return HELP;
    }

    @Override
    public int run(CliContext ctx, List<String> args) throws Exception {
        Options o = Options.parse(args, HELP);
        if (o.positionals().size() != 1) {
            throw new UsageException("import-list needs exactly one FILE, got " + o.positionals().size());
        }
        String name = o.get("name", null);
        if (name == null || name.isBlank() || name.strip().length() > 100) {
            throw new UsageException("import-list needs --name N (1 to 100 characters): the new list's name");
        }
        String region = o.get("region", null);
        if (region != null && !PhoneNumbers.isRegion(region)) {
            throw new UsageException("--region: '" + region + "' is not a region code (ISO 3166 alpha-2, e.g. US, GB, "
                    + "DE)");
        }
        String shown = o.positionals().get(0);
        Path file = Path.of(shown);
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            ctx.err().println("voicebot import-list: cannot read " + shown + ": "
                    + (Files.exists(file) ? "not a readable file" : "no such file"));
            return 1;
        }
        VoicebotConfig cfg = ctx.config();
        Clock clock = Clock.systemUTC();
        try (Database db = Database.connect(cfg.db())) {
            db.migrate();
            String dialog = o.get("dialog", null);
            Set<String> required = dialog == null ? Set.of() : requiredFields(cfg, db, dialog);
            ListStore lists = new ListStore(db, clock);
            ListImporter importer = new ListImporter(lists, new DncStore(db),
                    new PhoneNumbers(cfg.phone().defaultRegion()), clock, cfg.campaign().nodeId());
            ImportReport r;
            try {
                r = importer.importFile(file, new ImportRequest(name.strip(), region, dialog, required, shown));
            } catch (ListImportException e) {
                e.problems().forEach(ctx.err()::println);
                ctx.err().println("voicebot import-list: nothing imported");
                return 1;
            } catch (IOException e) {
                ctx.err().println("voicebot import-list: cannot read " + shown + ": " + e.getMessage());
                return 1;
            } catch (IllegalArgumentException e) {
                ctx.err().println("voicebot import-list: " + e.getMessage());
                return 1;
            }
            new AuditStore(db, clock).record(null, AuditStore.CLI, "cli import-list", "id=" + r.listId(),
                    "{\"name\": " + quote(r.name()) + ", \"imported\": " + r.imported() + ", \"rejected\": "
                    + r.rejected() + "}");
            print(ctx, shown, r, lists);
        }
        return 0;
    }

    private static String quote(String s) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void print(CliContext ctx, String shown, ImportReport r, ListStore lists) {
        ctx.out().printf("list '%s' (id %d) created from %s (%s, %s-separated)%n", r.name(), r.listId(), shown,
                r.charset(), r.delimiterName());
        ctx.out().printf("rows: %d, imported: %d, rejected: %d (duplicates: %d, do-not-call: %d, other problems: %d)%n",
                r.rows(), r.imported(), r.rejected(), r.duplicates(), r.doNotCall(),
                r.rejected() - r.duplicates() - r.doNotCall());
        long after = 0;
        for (List<ListStore.StoredRejection> page; !(page = lists.rejections(r.listId(), after, 1000)).isEmpty(); ) {
            for (ListStore.StoredRejection x : page) {
                ctx.out().println(shown + ":" + x.line() + ": " + x.column() + ": " + x.reason());
            }
            after = page.get(page.size() - 1).id();
        }
    }

    /** The dialog as the server would run it: uploaded (database) first, else the file in dialogs.dir. */
    private static Set<String> requiredFields(VoicebotConfig cfg, Database db, String name) {
        VoicebotConfig.Dialogs paths = cfg.dialogs();
        Knowledge knowledge = paths.knowledgeFile() != null && Files.isRegularFile(paths.knowledgeFile())
                ? KnowledgeLoader.load(paths.knowledgeFile()) : Knowledge.EMPTY;
        DialogLoader loader = new DialogLoader(GrammarLibrary.load(paths.grammarsDir()), knowledge);
        Optional<DialogStore.StoredDialog> stored = new DialogStore(db, Clock.systemUTC()).findDialog(name);
        try {
            if (stored.isPresent()) {
                return loader.parse("dialogs table: " + name, stored.get().body()).requiredContactFields();
            }
            Map<String, Dialog> files = loader.loadDir(paths.dialogsDir());
            Dialog d = files.get(name);
            if (d == null) {
                throw new UsageException("--dialog: no dialog named '" + name + "' (known: "
                        + String.join(", ", new TreeSet<>(files.keySet())) + ")");
            }
            return d.requiredContactFields();
        } catch (DialogException e) {
            throw new UsageException("--dialog: dialog '" + name + "' does not load: "
                    + String.join("; ", e.problems()));
        }
    }
}
