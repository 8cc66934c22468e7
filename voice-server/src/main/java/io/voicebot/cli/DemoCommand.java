package io.voicebot.cli;

import io.voicebot.sim.SimulatedCaller;
import io.voicebot.sim.Simulation;

import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code voicebot demo}: an embedded server on H2 with the in-process Asterisk; one outbound payment reminder
 * (stored contact and attempt, AMI Originate, answered, AGI + AudioSocket) and one inbound hotline call, each
 * caller answering with synthesized speech. Prints each transcript and the stored outcome.
 */
public final class DemoCommand implements Command {
    static final List<String> REMINDER_REPLIES = List.of("yes", "i will pay", "next friday", "yes");
    static final List<String> HOTLINE_REPLIES = List.of("my card", "no", "when will my card arrive", "yes", "agent");

    @Override
    public String summary() {
        return "demo              run one outbound and one inbound simulated call end to end, print transcripts";
    }

    @Override
    public int run(CliContext ctx, List<String> args) throws Exception {
        Options o = Options.parse(args, Set.of(), Set.of("verbose"));
        if (!o.positionals().isEmpty()) {
            throw new UsageException("demo takes no arguments");
        }
        ctx.out().println("voicebot demo: starting an embedded server (H2, simulated Asterisk, "
                + "speech recognition and synthesis); this takes a few seconds");
        Duration timeout = Duration.ofMinutes(3);
        try (Simulation sim = Simulation.start(ctx.settings(), ctx.home(), Map.of())) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("amount", "125.50");
            fields.put("due_date", LocalDate.now().minusDays(5).toString());
            ctx.out().println("placing an outbound payment reminder to +1 555 010 4477 (John Smith)...");
            Simulation.CallReport reminder = sim.originate("payment_reminder", "+15550104477", "John Smith", fields,
                    new SimulatedCaller(sim.replies(REMINDER_REPLIES), 1200, 30_000), timeout);
            ctx.out().println(Simulation.transcript("outbound payment reminder", reminder));
            if (o.has("verbose")) {
                reminder.callerEvents().forEach(e -> ctx.out().println("    " + e.atMs() + " ms " + e.what()));
            }
            ctx.out().println("placing an inbound call to the hotline from +1 555 010 9912...");
            Simulation.CallReport hotline = sim.inbound("hotline", "+15550109912",
                    new SimulatedCaller(sim.replies(HOTLINE_REPLIES), 1200, 30_000), timeout);
            ctx.out().println(Simulation.transcript("inbound hotline", hotline));
            if (o.has("verbose")) {
                hotline.callerEvents().forEach(e -> ctx.out().println("    " + e.atMs() + " ms " + e.what()));
            }
            boolean ok = !"failed".equals(reminder.outcome()) && !"failed".equals(hotline.outcome());
            ctx.out().println(ok ? "demo finished: both calls ran to a stored outcome"
                    : "demo finished with a failed call (see the log above)");
            return ok ? 0 : 1;
        }
    }
}
