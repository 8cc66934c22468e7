package io.voicebot.cli;

import io.voicebot.sim.AmiPeer;
import io.voicebot.sim.SimulatedCaller;
import io.voicebot.sim.Simulation;
import io.voicebot.store.ApiTokenStore;
import io.voicebot.store.Role;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code voicebot demo --serve}: the embedded server with the in-process Asterisk, left running so a person can use
 * the web console at /console: sign in with the admin token printed, upload the sample call list and
 * questionnaire written beside it, and run a campaign whose calls the simulated Asterisk answers (a person who
 * speaks, one busy line). Runs until Ctrl-C.
 */
final class ConsoleDemo {
    private ConsoleDemo() {
    }

    static int run(CliContext ctx, int port, Path dir) throws Exception {
        Map<String, String> extra = new HashMap<>();
        extra.put("campaign.compliance.file", dir.resolve("compliance.yaml").toString());
        extra.put("campaign.tick.ms", "250");
        extra.put("http.port", String.valueOf(port));
        Path samples = Files.createDirectories(dir.resolve("samples"));
        String due = LocalDate.now().minusDays(5).toString();
        Files.writeString(samples.resolve("reminders.csv"), "phone,name,amount,due_date,timezone\r\n"
                + "(202) 555-0144,John Smith,125.50," + due + ",America/New_York\r\n"
                + "202-555-0177,Mary Jones,80.00," + due + ",America/New_York\r\n"
                + "(202) 555-0161,Ann Lee,42.10," + due + ",America/New_York\r\n"
                + "555-01,Bo Chan,10.00," + due + ",America/New_York\r\n");
        Files.writeString(samples.resolve("branch_survey.csv"), """
                question,type,choices,required,key
                Was your problem solved?,yes_no,,yes,solved
                "How would you rate us, from one to five?",rating,,yes,score
                """);
        Simulation sim = Simulation.start(ctx.settings(), ctx.home(), extra);
        CountDownLatch stopped = new CountDownLatch(1);
        // Ctrl-C ends the JVM through its shutdown hooks: the data goes with it.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.close();
            DemoCommand.deleteTree(dir);
            stopped.countDown();
        }, "voicebot-demo-stop"));
        List<SimulatedCaller.Reply> person = sim.replies(DemoCommand.REMINDER_REPLIES);
        sim.ami().script(DemoCommand.BUSY, AmiPeer.Outcome.BUSY, Duration.ofMillis(800));
        sim.answerWith(oc -> new SimulatedCaller(person, 1200, 30_000));
        String token = new ApiTokenStore(sim.server().database(), Clock.systemUTC()).create("demo admin",
                Role.ADMIN).secret();
        ctx.out().println();
        ctx.out().println("voicebot is running with a simulated Asterisk: every number it calls answers and talks,");
        ctx.out().println("except 202-555-0177, which is busy.");
        ctx.out().println("  console:   http://127.0.0.1:" + sim.server().httpPort() + "/console/");
        ctx.out().println("  token:     " + token + "   (role admin; paste it to sign in)");
        ctx.out().println("  samples:   " + samples.resolve("reminders.csv") + " (a call list with one bad row, for"
                + " payment_reminder)");
        ctx.out().println("             " + samples.resolve("branch_survey.csv") + " (a questionnaire)");
        ctx.out().println("Everything is kept in a temporary database and removed at exit. Press Ctrl-C to stop.");
        ctx.out().flush();
        stopped.await();
        return 0;
    }
}
