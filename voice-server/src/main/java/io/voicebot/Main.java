package io.voicebot;

import io.voicebot.cli.CliContext;
import io.voicebot.cli.ConfigCommand;
import io.voicebot.cli.ServeCommand;
import io.voicebot.cli.TokenCommand;
import io.voicebot.cli.Command;
import io.voicebot.cli.UsageException;
import io.voicebot.cli.VersionCommand;
import io.voicebot.config.ConfigException;
import io.voicebot.cli.SayCommand;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Entry point of scripts/voicebot: global options, then a sub-command. */
public final class Main {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Main.class);

    /** The sub-commands, in the order the usage text lists them. */
    static Map<String, Command> commands() {
        Map<String, Command> c = new LinkedHashMap<>();
        c.put("serve", new ServeCommand());
        c.put("token", new TokenCommand());
        c.put("config", new ConfigCommand());
        c.put("version", new VersionCommand());
        c.put("dialog", new io.voicebot.cli.DialogCommand());
        c.put("say", new SayCommand());
        c.put("demo", new io.voicebot.cli.DemoCommand());
        c.put("recognize", new io.voicebot.cli.RecognizeCommand());
        c.put("simulate-call", new io.voicebot.cli.SimulateCallCommand());
        c.put("import-list", new io.voicebot.cli.ImportListCommand());
        return c;
    }

    public static void main(String[] args) {
        io.voicebot.log.JulBridge.install();
        // serve returns only after its graceful shutdown, so every command can end the JVM here.
        System.exit(run(List.of(args), System.getenv(), System.out, System.err));
    }

    public static int run(List<String> argv, Map<String, String> env, PrintStream out, PrintStream err) {
        Path home = Path.of(System.getProperty("voicebot.home", env.getOrDefault("VOICEBOT_HOME", ".")))
                .toAbsolutePath().normalize();
        Path configFile = env.containsKey("VOICEBOT_CONFIG") ? Path.of(env.get("VOICEBOT_CONFIG")) : null;
        List<String> rest = new ArrayList<>(argv);
        // Global options come before the sub-command.
        while (!rest.isEmpty() && rest.get(0).startsWith("--")) {
            String opt = rest.remove(0);
            if (opt.equals("--config") && !rest.isEmpty()) {
                configFile = Path.of(rest.remove(0));
            } else if (opt.startsWith("--config=")) {
                configFile = Path.of(opt.substring("--config=".length()));
            } else if (opt.equals("--help") || opt.equals("-h")) {
                usage(out, null);
                return 0;
            } else {
                usage(err, "unknown option " + opt);
                return 2;
            }
        }
        if (rest.isEmpty()) {
            usage(err, "missing sub-command");
            return 2;
        }
        String name = rest.remove(0);
        if (name.equals("help")) {
            if (rest.isEmpty()) {
                usage(out, null);
                return 0;
            }
            name = rest.get(0);
            rest = new ArrayList<>(List.of("--help"));
        }
        Command command = commands().get(name);
        if (command == null) {
            usage(err, "unknown sub-command '" + name + "'");
            return 2;
        }
        if (rest.contains("--help") || rest.contains("-h")) {
            command.help().print(out);
            return 0;
        }
        CliContext ctx = new CliContext(home, configFile, env, out, err);
        try {
            io.voicebot.config.Settings.unknownEnvironment(env).forEach(w -> log.warn("{}", w));
            String format = env.get("VOICEBOT_LOG_FORMAT");
            if (format != null && !format.equals("text") && !format.equals("json")) {
                // logback found no appender of that name, so this cannot go to the log
                err.println("voicebot: VOICEBOT_LOG_FORMAT must be text or json, not '" + format + "'; nothing is "
                        + "logged");
            }
            return command.run(ctx, rest);
        } catch (UsageException e) {
            err.println("voicebot " + name + ": " + e.getMessage());
            err.println("(voicebot " + name + " --help lists its options)");
            return 2;
        } catch (ConfigException e) {
            err.println("voicebot: configuration error: " + e.getMessage());
            return 3;
        } catch (Exception e) {
            err.println("voicebot " + name + ": " + io.voicebot.cli.CliErrors.message(e));
            if (!io.voicebot.cli.CliErrors.expected(e)) {
                log.error("voicebot {} failed", name, e);
            }
            return 1;
        }
    }

    static void usage(PrintStream ps, String problem) {
        if (problem != null) {
            ps.println("voicebot: " + problem);
        }
        ps.println("usage: voicebot [--config FILE] <command> [options]");
        ps.println("commands:");
        for (Command c : commands().values()) {
            ps.println("  " + c.summary());
        }
        ps.println("'voicebot <command> --help' (or 'voicebot help <command>') lists a command's options.");
        ps.println("--config FILE (or VOICEBOT_CONFIG=FILE) overrides config/voicebot.properties; VOICEBOT_<KEY>");
        ps.println("environment variables override both.");
        ps.println("exit codes:");
        io.voicebot.cli.Help.EXIT_CODES.forEach(c -> ps.println("  " + c));
    }
}
