package io.voicebot.cli;

import io.voicebot.Main;
import io.voicebot.store.ListStore;
import io.voicebot.store.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** voicebot import-list as a user runs it: arguments, the configured database, output and exit code. */
class ImportListCommandTest {
    static TestDatabase tdb;
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    @BeforeAll
    static void setUp() {
        tdb = TestDatabase.fresh();
    }

    @AfterAll
    static void tearDown() {
        tdb.close();
    }

    static Run run(String... args) {
        Map<String, String> env = new HashMap<>();
        tdb.overrides().forEach((k, v) -> env.put("VOICEBOT_" + k.toUpperCase(Locale.ROOT).replace('.', '_'), v));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(List.of(args), env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    Path csv(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void importsAListAndPrintsEachRejectionWithFileAndLine() throws Exception {
        Path f = csv("april.csv", "phone,name,amount,due_date\n"
                + "212-555-0100,Ann,10,2024-07-01\n"
                + "555-0100,Bob,10,2024-07-01\n"
                + "310 555 0199,Cid,,2024-07-01\n"
                + "(212) 555-0100,Ann,10,2024-07-01\n"
                + "+49 30 12345678,Dora,5,2024-07-09\n");
        Run r = run("import-list", f.toString(), "--name", "april", "--dialog", "payment_reminder");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).matches("list 'april' \\(id \\d+\\) created from .*april\\.csv \\(UTF-8, "
                + "comma-separated\\)"), lines.get(0));
        assertEquals(List.of("rows: 5, imported: 2, rejected: 3 (duplicates: 1, do-not-call: 0, other problems: 2)",
                f + ":3: phone: is a local number: add the area code",
                f + ":4: amount: is empty; dialog 'payment_reminder' needs the contact field 'amount'",
                f + ":5: phone: duplicate of line 2"), lines.subList(1, lines.size()));
        ListStore.ContactList stored = new ListStore(tdb.database(), Clock.systemUTC()).lists().stream()
                .filter(l -> l.name().equals("april")).findFirst().orElseThrow();
        assertEquals("payment_reminder", stored.dialogName());
        assertEquals(2, stored.imported());

        Run again = run("import-list", f.toString(), "--name", "april");
        assertEquals(1, again.code());
        assertTrue(again.err().contains("voicebot import-list: contact list 'april' already exists"), again.err());
    }

    @Test
    void theRegionOptionReadsNationalNumbers() throws Exception {
        Path f = csv("berlin.csv", "telefon;name\n030 12345678;Jonas\n");
        Run r = run("import-list", f.toString(), "--name", "berlin", "--region", "DE");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("rows: 1, imported: 1, rejected: 0"), r.out());
        assertTrue(r.out().contains("semicolon-separated"), r.out());
    }

    @Test
    void fileProblemsExit1AndNameTheLine() throws Exception {
        Path f = csv("nophone.csv", "name,amount\nAnn,5\n");
        Run r = run("import-list", f.toString(), "--name", "nophone");
        assertEquals(1, r.code());
        assertTrue(r.err().contains(f + ": line 1: no phone number column"), r.err());
        assertTrue(r.err().contains("nothing imported"), r.err());
        assertEquals("", r.out());

        Run missing = run("import-list", dir.resolve("absent.csv").toString(), "--name", "x");
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("cannot read " + dir.resolve("absent.csv") + ": no such file"),
                missing.err());
    }

    @Test
    void badOptionsExit2WithAPointerToTheHelp() throws Exception {
        Path f = csv("ok.csv", "phone\n2125550100\n");
        Run noName = run("import-list", f.toString());
        assertEquals(2, noName.code());
        assertTrue(noName.err().contains("import-list needs --name N"), noName.err());
        assertTrue(noName.err().contains("(voicebot import-list --help lists its options)"), noName.err());
        assertEquals(2, run("import-list", "--name", "x").code());
        assertEquals(2, run("import-list", f.toString(), f.toString(), "--name", "x").code());
        Run region = run("import-list", f.toString(), "--name", "x", "--region", "XX");
        assertEquals(2, region.code());
        assertTrue(region.err().contains("--region: 'XX' is not a region code"), region.err());
        Run dialog = run("import-list", f.toString(), "--name", "x", "--dialog", "nope");
        assertEquals(2, dialog.code());
        assertTrue(dialog.err().contains("--dialog: no dialog named 'nope' (known: "), dialog.err());
        assertEquals(2, run("import-list", f.toString(), "--name", "x", "--colour", "red").code());
    }
}
