package io.voicebot.cli;

import io.voicebot.config.VoicebotConfig;
import io.voicebot.dialog.Action;
import io.voicebot.dialog.Dialog;
import io.voicebot.dialog.DialogException;
import io.voicebot.dialog.DialogLoader;
import io.voicebot.dialog.DialogRun;
import io.voicebot.dialog.Input;
import io.voicebot.dialog.Knowledge;
import io.voicebot.dialog.KnowledgeLoader;
import io.voicebot.dialog.ScriptWriter;
import io.voicebot.dialog.Template;
import io.voicebot.dialog.grammar.GrammarException;
import io.voicebot.dialog.grammar.GrammarLibrary;
import io.voicebot.dialog.questionnaire.QuestionnaireCompiler;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code voicebot dialog check|compile|chat}: validate scripts, compile a questionnaire to a script, or talk to
 * a dialog by typing (no telephony, no speech).
 */
public final class DialogCommand implements Command {

    @Override
    public String summary() {
        return "dialog            check scripts, compile a questionnaire, or chat with a dialog (dialog help)";
    }

    @Override
    public Help help() {
        return Help.of("voicebot dialog check [PATH...]",
                        "check: validates dialog scripts (default: every file in dialogs.dir) and prints each problem\n"
                        + "with file, step and field. compile: turns a questionnaire (.json or .csv) into a dialog\n"
                        + "script. chat: talks to a dialog by typing, no telephony or speech. Chat lines: words are\n"
                        + "speech (end with @0.4 for confidence 0.4), #123 are keys, an empty line is silence,\n"
                        + "/hangup hangs up.")
                .usage("voicebot dialog compile FILE [--out FILE]")
                .usage("voicebot dialog chat NAME [--var NAME=VALUE]... [--tz ZONE] [--input FILE]")
                .option("out", "FILE", "compile: write the script here instead of stdout")
                .option("var", "NAME=VALUE", "chat: a call variable such as name=Anna (repeatable)")
                .option("tz", "ZONE", "chat: the caller's time zone, e.g. Europe/London (default: this machine's)")
                .option("input", "FILE", "chat: read the caller's lines from FILE instead of stdin");
    }

    @Override
    public int run(CliContext ctx, List<String> args) throws Exception {
        if (args.isEmpty()) {
            throw new UsageException("dialog needs an action: check [PATH...] | compile FILE [--out FILE]"
                    + " | chat NAME [--var k=v]... [--tz ZONE] [--input FILE]");
        }
        String action = args.get(0);
        List<String> rest = args.subList(1, args.size());
        return switch (action) {
            case "check" -> check(ctx, Options.parse(rest, Set.of(), Set.of()));
            case "compile" -> compile(ctx, Options.parse(rest, Set.of("out"), Set.of()));
            case "chat" -> chat(ctx, Options.parse(rest, Set.of("var", "tz", "input"), Set.of()));
            case "help" -> {
                ctx.out().println("voicebot dialog check [PATH...]      validate dialog scripts (default: dialogs.dir)");
                ctx.out().println("voicebot dialog compile FILE [--out FILE]  questionnaire (.json/.csv) to script YAML");
                ctx.out().println("voicebot dialog chat NAME [--var k=v]... [--tz ZONE] [--input FILE]");
                ctx.out().println("  chat lines: words = speech (end with @0.4 for confidence 0.4), #123 = keys,");
                ctx.out().println("  empty line = silence, /hangup = caller hangs up");
                yield 0;
            }
            default -> throw new UsageException("unknown dialog action '" + action + "' (check, compile, chat, help)");
        };
    }

    private record Setup(DialogLoader loader, VoicebotConfig.Dialogs paths) {}

    private static Setup setup(CliContext ctx) {
        VoicebotConfig.Dialogs d = ctx.config().dialogs();
        GrammarLibrary grammars = GrammarLibrary.load(d.grammarsDir());
        Knowledge knowledge = d.knowledgeFile() != null && Files.isRegularFile(d.knowledgeFile())
                ? KnowledgeLoader.load(d.knowledgeFile()) : Knowledge.EMPTY;
        return new Setup(new DialogLoader(grammars, knowledge), d);
    }

    private int check(CliContext ctx, Options o) throws IOException {
        Setup s;
        try {
            s = setup(ctx);
        } catch (GrammarException | DialogException e) {
            ctx.err().println(e.getMessage());
            return 1;
        }
        List<String> paths = o.positionals().isEmpty() ? List.of(s.paths().dialogsDir().toString()) : o.positionals();
        int bad = 0;
        for (String p : paths) {
            Path path = Path.of(p);
            try {
                Map<String, Dialog> dialogs = Files.isDirectory(path) ? s.loader().loadDir(path)
                        : Map.of("", s.loader().parse(path.toString(), Files.readString(path)));
                for (Dialog d : dialogs.values()) {
                    ctx.out().println("ok " + d.name() + " (" + d.steps().size() + " steps) " + d.source());
                    d.warnings().forEach(w -> ctx.out().println("warning: " + w));
                }
            } catch (DialogException e) {
                e.problems().forEach(ctx.err()::println);
                bad++;
            } catch (IOException e) {
                ctx.err().println(path + ": cannot read: " + e.getMessage());
                bad++;
            }
        }
        return bad == 0 ? 0 : 1;
    }

    private int compile(CliContext ctx, Options o) throws IOException {
        if (o.positionals().size() != 1) {
            throw new UsageException("compile takes one questionnaire file (.json or .csv)");
        }
        Path in = Path.of(o.positionals().get(0));
        Setup s = setup(ctx);
        Dialog d;
        try {
            d = new QuestionnaireCompiler(s.loader()).compile(in.toString(), Files.readString(in));
        } catch (DialogException e) {
            e.problems().forEach(ctx.err()::println);
            return 1;
        }
        String yaml = ScriptWriter.toYaml(d);
        if (o.has("out")) {
            Files.writeString(Path.of(o.get("out", "")), yaml);
            ctx.out().println("wrote " + o.get("out", "") + " (dialog " + d.name() + ")");
        } else {
            ctx.out().print(yaml);
        }
        return 0;
    }

    private int chat(CliContext ctx, Options o) throws IOException {
        if (o.positionals().size() != 1) {
            throw new UsageException("chat takes one dialog name");
        }
        Setup s = setup(ctx);
        Dialog d = s.loader().loadDir(s.paths().dialogsDir()).get(o.positionals().get(0));
        if (d == null) {
            throw new UsageException("no dialog named '" + o.positionals().get(0) + "' in " + s.paths().dialogsDir());
        }
        Map<String, String> vars = new LinkedHashMap<>();
        for (String kv : o.all("var")) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("--var needs name=value, got '" + kv + "'");
            }
            vars.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        ZoneId zone;
        try {
            zone = o.has("tz") ? ZoneId.of(o.get("tz", "")) : ZoneId.systemDefault();
        } catch (DateTimeException e) {
            throw new UsageException("--tz: unknown time zone '" + o.get("tz", "") + "'");
        }
        DialogRun run = d.newRun(Clock.system(zone), zone);
        try (BufferedReader in = o.has("input") ? Files.newBufferedReader(Path.of(o.get("input", "")))
                : new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            List<Action> actions = run.start(vars);
            while (true) {
                Input next = print(ctx, actions, in);
                if (run.state() == DialogRun.State.ENDED) {
                    break;
                }
                if (next == null) {
                    String line = in.readLine();
                    if (line == null) {
                        next = new Input.Hangup();
                    } else {
                        next = parseLine(line.trim());
                    }
                }
                actions = run.onInput(next);
                if (run.state() == DialogRun.State.ENDED && actions.isEmpty()) {
                    break;
                }
            }
        }
        ctx.out().println("outcome: " + run.outcome().scriptName());
        run.answers().forEach((k, v) -> ctx.out().println("answer " + k + " = " + v));
        return 0;
    }

    /** Prints the actions; returns an input the chat supplies itself (disclosure played, webhook result) or null. */
    private static Input print(CliContext ctx, List<Action> actions, BufferedReader in) throws IOException {
        Input auto = null;
        for (Action a : actions) {
            if (a instanceof Action.Say say) {
                ctx.out().println("bot: " + Template.fill(say.template(), say.vars()));
                if (say.nonInterruptible()) {
                    auto = new Input.PlaybackFinished(say.stepId(), true);
                }
            } else if (a instanceof Action.Listen l) {
                ctx.out().println("  (listening: " + l.slot().scriptName() + (l.dtmfAllowed() ? ", keys allowed" : "")
                        + ")");
            } else if (a instanceof Action.Webhook w) {
                ctx.out().println("  webhook " + w.url() + " " + w.payload()
                        + " -- type the result as name=value pairs, or /fail");
                String line = in.readLine();
                if (line == null || line.trim().equals("/fail")) {
                    auto = new Input.WebhookResult(w.stepId(), false, Map.of());
                } else {
                    Map<String, String> values = new LinkedHashMap<>();
                    for (String kv : line.trim().split("\\s+")) {
                        int eq = kv.indexOf('=');
                        if (eq > 0) {
                            values.put(kv.substring(0, eq), kv.substring(eq + 1));
                        }
                    }
                    auto = new Input.WebhookResult(w.stepId(), true, values);
                }
            } else {
                ctx.out().println("  " + a);
            }
        }
        return auto;
    }

    private static Input parseLine(String line) {
        if (line.isEmpty()) {
            return new Input.NoInput();
        }
        if (line.equals("/hangup")) {
            return new Input.Hangup();
        }
        if (line.startsWith("#") && line.length() > 1 && line.substring(1).matches("[0-9*#A-D]+")) {
            return new Input.Dtmf(line.substring(1));
        }
        double confidence = 1.0;
        int at = line.lastIndexOf('@');
        if (at > 0 && line.substring(at + 1).matches("0?\\.\\d+|1(\\.0+)?|0")) {
            confidence = Double.parseDouble(line.substring(at + 1));
            line = line.substring(0, at).trim();
        }
        return new Input.Speech(line, confidence);
    }
}
