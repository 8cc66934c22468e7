package io.voicebot.cli;

import io.voicebot.campaign.CampaignService;
import io.voicebot.campaign.lists.ImportReport;
import io.voicebot.campaign.lists.ImportRequest;
import io.voicebot.campaign.lists.ListImporter;
import io.voicebot.log.PhoneMask;
import io.voicebot.sim.AmiPeer;
import io.voicebot.sim.CallPlacer;
import io.voicebot.sim.SimulatedCaller;
import io.voicebot.sim.Simulation;
import io.voicebot.store.CampaignReports;
import io.voicebot.store.CampaignStore;
import io.voicebot.store.DialQueueStore;
import io.voicebot.store.ListStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code voicebot demo}: an embedded server on H2 with the in-process Asterisk running the main job end to end. A
 * call list is imported from CSV (one bad row is rejected), a payment-reminder campaign dials it through AMI: John
 * Smith answers and talks with the robot, one number is busy, one is an answering machine that gets the voicemail.
 * Then one inbound hotline call. Prints the import report, the transcripts, the campaign's progress and the
 * compliance gate's reasons.
 */
public final class DemoCommand implements Command {
    static final List<String> REMINDER_REPLIES = List.of("yes", "i will pay", "next friday", "yes");
    static final List<String> HOTLINE_REPLIES = List.of("my card", "no", "when will my card arrive", "yes", "agent", "yes");
    static final String JOHN = "+12025550144";
    static final String BUSY = "+12025550177";
    static final String MACHINE = "+13125550190";

    @Override
    public String summary() {
        return "demo              import a call list, run a campaign and an inbound call end to end, print it all";
    }

    static final Help HELP = Help.of("voicebot demo [--verbose] | voicebot demo --serve [--port N]",
                    "Runs the main job end to end on an embedded server (H2 in a temporary directory, the\n"
                    + "in-process Asterisk, real speech recognition and synthesis): imports a call list with one bad\n"
                    + "row, runs a payment-reminder campaign (a person, a busy line, an answering machine) and one\n"
                    + "inbound hotline call, and prints the transcripts, outcomes and the campaign's progress.")
            .flag("verbose", "also print what the simulated callers heard and did, with times")
            .flag("serve", "instead: keep the server running for the web console (/console), calls answered by "
                    + "the simulated Asterisk, until Ctrl-C")
            .option("port", "N", "with --serve: the HTTP port of the console (default 8080)");

    @Override
    public Help help() {
        return HELP;
    }

    @Override
    public int run(CliContext ctx, List<String> args) throws Exception {
        Options o = Options.parse(args, HELP);
        if (!o.positionals().isEmpty()) {
            throw new UsageException("demo takes no arguments");
        }
        ctx.out().println("voicebot demo: starting an embedded server (H2, simulated Asterisk, "
                + "speech recognition and synthesis); this takes a few seconds");
        Path dir = Files.createTempDirectory("voicebot-demo");
        // The demo must run at any hour: its calling window is open all day. config/compliance.yaml has real rules.
        Files.writeString(dir.resolve("compliance.yaml"), """
                default: {weekdays: "00:00-24:00", saturday: "00:00-24:00", sunday: "00:00-24:00"}
                caps: {per_day: 1, per_week: 3, per_month: 8}
                """);
        Map<String, String> extra = new HashMap<>();
        extra.put("campaign.compliance.file", dir.resolve("compliance.yaml").toString());
        extra.put("campaign.tick.ms", "250");
        if (o.has("serve")) {
            try {
                return ConsoleDemo.run(ctx, o.getInt("port", 8080), dir);
            } finally {
                deleteTree(dir);
            }
        }
        try (Simulation sim = Simulation.start(ctx.settings(), ctx.home(), extra)) {
            int code = campaign(ctx, sim, dir, o.has("verbose"));
            ctx.out().println("placing an inbound call to the hotline from +1 202 555 0199...");
            Simulation.CallReport hotline = sim.inbound("hotline", "+12025550199",
                    new SimulatedCaller(sim.replies(HOTLINE_REPLIES), 1200, 30_000), Duration.ofMinutes(3));
            ctx.out().println(Simulation.transcript("inbound hotline", hotline));
            if (o.has("verbose")) {
                hotline.callerEvents().forEach(e -> ctx.out().println("    " + e.atMs() + " ms " + e.what()));
            }
            boolean ok = code == 0 && !"failed".equals(hotline.outcome());
            ctx.out().println(ok ? "demo finished: the campaign and the inbound call ran to stored outcomes"
                    : "demo finished with a failure (see the log above)");
            return ok ? 0 : 1;
        } finally {
            deleteTree(dir);
        }
    }

    /** The demo's call list and compliance file are only for this run. */
    static void deleteTree(Path dir) {
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            // a leftover temporary directory is not worth failing the demo for
        }
    }

    private int campaign(CliContext ctx, Simulation sim, Path dir, boolean verbose) throws Exception {
        String due = LocalDate.now().minusDays(5).toString();
        Path csv = dir.resolve("reminders.csv");
        Files.writeString(csv, "phone,name,amount,due_date,timezone\r\n"
                + "(202) 555-0144,John Smith,125.50," + due + ",America/New_York\r\n"
                + "202-555-0177,Mary Jones,80.00," + due + ",America/New_York\r\n"
                + "312 555 0190,Ann Lee,42.10," + due + ",America/Chicago\r\n"
                + "555-01,Bo Chan,10.00," + due + ",America/New_York\r\n");
        ctx.out().println("importing a call list (" + csv.getFileName()
                + ", 4 rows) for the payment_reminder dialog...");
        ListImporter importer = new ListImporter(sim.server().listStore(), sim.server().dncStore(),
                sim.server().phones(), java.time.Clock.systemUTC());
        Set<String> needed = sim.server().dialogs().find("payment_reminder").orElseThrow().requiredContactFields();
        ImportReport report = importer.importFile(csv, new ImportRequest("demo reminders", "US", "payment_reminder",
                needed, csv.getFileName().toString()));
        ctx.out().printf("  %d rows: %d imported, %d rejected%n", report.rows(), report.imported(), report.rejected());
        for (ListStore.StoredRejection r : sim.server().listStore().rejections(report.listId(), 0, 10)) {
            ctx.out().printf("  %s:%d: %s: %s%n", csv.getFileName(), r.line(), r.column(), r.reason());
        }

        SimulatedCaller john = new SimulatedCaller(sim.replies(REMINDER_REPLIES), 1200, 30_000);
        SimulatedCaller machine = new SimulatedCaller(List.of(), 1200, 60_000).withGreeting("voicemail greeting",
                sim.answeringMachine("Hi, this is Ann. I cannot take your call. Please leave a message after the "
                        + "tone."));
        sim.ami().script(BUSY, AmiPeer.Outcome.BUSY, Duration.ofMillis(800));
        sim.answerWith(oc -> oc.number().equals(JOHN) ? john : oc.number().equals(MACHINE) ? machine : null);

        CampaignService campaigns = sim.server().campaigns();
        CampaignStore.Campaign c = campaigns.create(new CampaignStore.CampaignSpec("demo reminders",
                "payment_reminder", List.of(report.listId()), LocalTime.MIDNIGHT, LocalTime.of(23, 59),
                EnumSet.allOf(DayOfWeek.class), 2, Duration.ofHours(2), 3, null, null, "Example Bank <2025550100>", 0,
                2.0, 2, Map.of("busy", Duration.ofMinutes(10)), "voicemail",
                "Hello, this is Example Bank with a message for ${name}. Please call us back at your convenience. "
                        + "Goodbye.", 15, false));
        // Open all day like the demo's compliance file: a window of 08:00-21:00 left the New York contacts uncalled
        // whenever the demo ran between 21:00 and 08:00 there.
        ctx.out().println("starting campaign '" + c.name() + "' (dialog payment_reminder, 3 numbers, window 00:00-23:59"
                + " in each contact's time zone, answering machines get a voicemail)...");
        campaigns.start(c.id());

        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        CampaignReports queue = sim.server().campaignReports();
        while (queue.progress(c.id()).contacts().getOrDefault("dialing", 0) > 0
                || queue.progress(c.id()).attempts() < 3) {
            if (System.nanoTime() > deadline) {
                ctx.out().println("the campaign's first round did not finish within 4 minutes");
                return 1;
            }
            Thread.sleep(200);
        }
        for (var f : sim.campaignCalls()) {
            CallPlacer.Placed placed = f.get(1, TimeUnit.MINUTES);
            boolean isJohn = sim.server().callStore().findCall(placed.id().toString()).map(r -> JOHN.equals(
                    r.calledNumber())).orElse(false);
            Simulation.CallReport r = sim.report(placed, isJohn ? john : machine);
            ctx.out().println(Simulation.transcript(isJohn ? "outbound payment reminder" : "answering machine", r));
            if (verbose) {
                r.callerEvents().forEach(e -> ctx.out().println("    " + e.atMs() + " ms " + e.what()));
            }
        }
        CampaignReports.Progress p = queue.progress(c.id());
        ctx.out().println("campaign progress: contacts " + p.contacts() + ", attempts " + p.attempts()
                + ", outcomes " + p.outcomes());
        for (ListStore.Contact k : sim.server().listStore().contacts(report.listId())) {
            CampaignReports.Entry e = queue.entry(c.id(), k.id()).orElseThrow();
            ctx.out().printf("  %s (%s): %s, last outcome %s%s%n", PhoneMask.mask(k.phone()), k.name(),
                    e.state().id(), e.lastOutcome(), e.state() == DialQueueStore.EntryState.PENDING
                            ? ", next attempt " + e.nextAt() + " (" + e.nextKind() + ")" : "");
            List<CampaignReports.Decision> ds = queue.decisions(c.id(), k.id());
            if (!ds.isEmpty()) {
                ctx.out().println("    gate: " + ds.get(0).reason());
            }
        }
        return 0;
    }
}
