package io.voicebot.cli;

import io.voicebot.VoicebotServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** {@code serve}: starts everything and blocks until SIGTERM/SIGINT, then shuts down gracefully. */
public final class ServeCommand implements Command {
    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    @Override
    public String summary() {
        return "serve             run the server until SIGTERM/SIGINT (drains calls first)";
    }

    static final Help HELP = Help.of("voicebot serve",
            "Runs the server: FastAGI, AudioSocket, AMI (when ami.enabled), the HTTP API with /health and /metrics,\n"
            + "and the campaign dialer. SIGTERM or SIGINT stops new calls, waits up to shutdown.drain.timeout.s for\n"
            + "the calls in progress, then exits 0; a second signal exits at once. All settings come from the\n"
            + "configuration (voicebot config prints them).");

    @Override
    public Help help() {
        return HELP;
    }

    @Override
    public int run(CliContext ctx, List<String> args) throws Exception {
        Options o = Options.parse(args, HELP);
        if (!o.positionals().isEmpty()) {
            throw new UsageException("serve takes no arguments, got '" + o.positionals().get(0) + "'");
        }
        io.voicebot.config.VoicebotConfig config = ctx.config();
        io.voicebot.config.SampleSecrets.warnings(config).forEach(w -> log.warn("{}", w));
        VoicebotServer server = new VoicebotServer(config);
        CountDownLatch stop = new CountDownLatch(1);
        // The hook covers every other way the JVM ends (System.exit, SIGHUP); shutdown() runs once.
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown, "voicebot-shutdown-hook"));
        installSignalHandlers(stop);
        server.start();
        stop.await();
        server.shutdown();
        return 0;
    }

    /**
     * SIGTERM/SIGINT release the main thread, which drains and exits 0 (the JVM's default handling would exit
     * 143). A second signal while draining exits at once. Without signal support the shutdown hook still drains.
     */
    private static void installSignalHandlers(CountDownLatch stop) {
        AtomicInteger received = new AtomicInteger();
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), sig -> {
                    if (received.incrementAndGet() == 1) {
                        log.info("received SIG{}: shutting down", sig.getName());
                        stop.countDown();
                    } else {
                        log.warn("received SIG{} again while shutting down: exiting now", sig.getName());
                        Runtime.getRuntime().halt(130);
                    }
                });
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                log.debug("cannot handle SIG{} ({}); relying on the shutdown hook", name, e.getMessage());
            }
        }
    }
}
