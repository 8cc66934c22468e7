package io.voicebot.telephony;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.voicebot.config.VoicebotConfig;
import io.voicebot.telephony.agi.AgiRouter;
import io.voicebot.telephony.agi.AgiServer;
import io.voicebot.telephony.audiosocket.AudioListener;
import io.voicebot.telephony.audiosocket.AudioSocketServer;
import io.voicebot.telephony.audiosocket.Frame;
import io.voicebot.telephony.audiosocket.FrameDecoder;
import io.voicebot.telephony.audiosocket.FrameEncoder;
import org.asteriskjava.fastagi.DefaultAgiServer;
import org.asteriskjava.fastagi.StaticMappingStrategy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Throughput benchmark (run by scripts/bench-telephony, not by the test suite):
 * AGI sessions/s (connect, environment, 3 commands, close) for voicebot's AgiServer and for Asterisk-Java's
 * DefaultAgiServer with the same client, and AudioSocket frames/s through the decoder alone and through the
 * whole server (TCP, decoder, handler, listener) on one connection (one event-loop thread).
 */
public final class TelephonyBench {
    private static final String ENV = "agi_network: yes\nagi_network_script: inbound\n"
            + "agi_request: agi://127.0.0.1/inbound\nagi_channel: PJSIP/bench-00000001\nagi_language: en\n"
            + "agi_type: PJSIP\nagi_uniqueid: 1700000000.1\nagi_version: 20.0.0\nagi_callerid: 5551234\n"
            + "agi_calleridname: unknown\nagi_callingpres: 0\nagi_callingani2: 0\nagi_callington: 0\n"
            + "agi_callingtns: 0\nagi_dnid: unknown\nagi_rdnis: unknown\nagi_context: voicebot-inbound\n"
            + "agi_extension: s\nagi_priority: 1\nagi_enhanced: 0.0\nagi_accountcode: \nagi_threadid: 1\n\n";

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        System.out.println("cores=" + Runtime.getRuntime().availableProcessors() + " seconds=" + seconds
                + " clients=" + clients);

        VoicebotConfig cfg = VoicebotConfig.defaults(Path.of("."), Map.of("agi.port", "0", "agi.bind", "127.0.0.1",
                "audiosocket.port", "0", "audiosocket.bind", "127.0.0.1"));
        AgiRouter router = new AgiRouter().register("/inbound", call -> {
            call.answer();
            call.setVariable("VOICEBOT_OUTCOME", "done");
            call.getVariable("VOICEBOT_ATTEMPT");
        });
        try (AgiServer server = new AgiServer(cfg.agi(), router).start()) {
            agiRun("voicebot AgiServer (warm-up)", server.port(), Math.max(2, seconds / 3), clients);
            agiRun("voicebot AgiServer", server.port(), seconds, clients);
        }

        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        DefaultAgiServer aj = new DefaultAgiServer(new StaticMappingStrategy(new org.asteriskjava.fastagi.BaseAgiScript() {
            @Override
            public void service(org.asteriskjava.fastagi.AgiRequest request, org.asteriskjava.fastagi.AgiChannel channel)
                    throws org.asteriskjava.fastagi.AgiException {
                channel.answer();
                channel.setVariable("VOICEBOT_OUTCOME", "done");
                channel.getVariable("VOICEBOT_ATTEMPT");
            }
        }));
        aj.setPort(port);
        aj.setPoolSize(clients);
        aj.setMaximumPoolSize(clients * 4);
        Thread t = new Thread(() -> {
            try {
                aj.startup();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }, "asterisk-java-agi");
        t.setDaemon(true);
        t.start();
        waitForPort(port);
        agiRun("Asterisk-Java DefaultAgiServer (warm-up)", port, Math.max(2, seconds / 3), clients);
        agiRun("Asterisk-Java DefaultAgiServer", port, seconds, clients);
        aj.shutdown();

        decoderRun(seconds);
        audioSocketRun(cfg, seconds);
    }

    private static void waitForPort(int port) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(50); // polling a server that is starting; bench only
            }
        }
        throw new IllegalStateException("port " + port + " never opened");
    }

    /** A minimal Asterisk: environment, then a fixed reply per command, until the server closes. */
    private static void agiRun(String name, int port, int seconds, int clients) throws Exception {
        AtomicLong sessions = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        CountDownLatch done = new CountDownLatch(clients);
        long start = System.nanoTime();
        for (int i = 0; i < clients; i++) {
            Thread c = new Thread(() -> {
                while (System.nanoTime() < end) {
                    try (Socket s = new Socket("127.0.0.1", port)) {
                        s.setTcpNoDelay(true);
                        OutputStream out = s.getOutputStream();
                        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                                StandardCharsets.UTF_8));
                        out.write(ENV.getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        String line;
                        int commands = 0;
                        while ((line = in.readLine()) != null) {
                            String u = line.toUpperCase();
                            String reply = u.startsWith("GET VARIABLE") ? "200 result=1 (7)\n"
                                    : u.startsWith("SET VARIABLE") ? "200 result=1\n" : "200 result=0\n";
                            out.write(reply.getBytes(StandardCharsets.UTF_8));
                            out.flush();
                            commands++;
                        }
                        if (commands >= 3) { // Asterisk-Java adds SET VARIABLE AJ_AGISTATUS
                            sessions.incrementAndGet();
                        } else {
                            errors.incrementAndGet();
                        }
                    } catch (IOException e) {
                        errors.incrementAndGet();
                    }
                }
                done.countDown();
            });
            c.start();
        }
        done.await();
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("%-45s %9.0f sessions/s  (%d sessions, %d errors, %.1f s)%n", name,
                sessions.get() / secs, sessions.get(), errors.get(), secs);
    }

    private static byte[] audioFrames(int count) {
        ByteBuf buf = Unpooled.buffer();
        short[] samples = new short[160];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (short) (i * 97);
        }
        for (int i = 0; i < count; i++) {
            FrameEncoder.write(Frame.audio(8000, samples), buf);
        }
        byte[] b = new byte[buf.readableBytes()];
        buf.readBytes(b);
        return b;
    }

    private static void decoderRun(int seconds) {
        byte[] chunk = audioFrames(1000);
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(8192));
        long frames = 0;
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            ch.writeInbound(Unpooled.wrappedBuffer(chunk));
            Object f;
            while ((f = ch.readInbound()) != null) {
                frames++;
            }
        }
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("%-45s %9.0f frames/s  (%.1f x realtime 8 kHz channels, one thread)%n",
                "AudioSocket FrameDecoder (EmbeddedChannel)", frames / secs, frames / secs / 50);
    }

    private static void audioSocketRun(VoicebotConfig cfg, int seconds) throws Exception {
        AtomicLong frames = new AtomicLong();
        // The handler pool's threads are not daemons: shut it down, or the JVM never exits after printing.
        java.util.concurrent.ExecutorService handlers = Executors.newFixedThreadPool(2);
        try (AudioSocketServer server = new AudioSocketServer(cfg.audioSocket(), ch -> Optional.of(new AudioListener() {
            @Override
            public void onAudio(short[] samples, int sampleRate) {
                frames.incrementAndGet();
            }

            @Override
            public void onDtmf(char digit) {
            }

            @Override
            public void onHangup() {
            }
        }), handlers).start();
             Socket s = new Socket("127.0.0.1", server.port())) {
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            ByteBuf uuid = Unpooled.buffer();
            FrameEncoder.write(Frame.uuid(UUID.randomUUID()), uuid);
            byte[] u = new byte[uuid.readableBytes()];
            uuid.readBytes(u);
            out.write(u);
            byte[] chunk = audioFrames(1000);
            // Drain what the pacer sends back so the server never blocks on a full socket.
            Thread drain = new Thread(() -> {
                try {
                    s.getInputStream().transferTo(OutputStream.nullOutputStream());
                } catch (IOException ignored) {
                    // socket closed at the end
                }
            });
            drain.setDaemon(true);
            drain.start();
            long start = System.nanoTime();
            long end = start + seconds * 1_000_000_000L;
            long sent = 0;
            while (System.nanoTime() < end) {
                out.write(chunk);
                sent += 1000;
            }
            out.flush();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (frames.get() < sent && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            double secs = (System.nanoTime() - start) / 1e9;
            System.out.printf("%-45s %9.0f frames/s  (%d of %d frames, %.1f x realtime channels, one event loop)%n",
                    "AudioSocket server (TCP+decoder+handler)", frames.get() / secs, frames.get(), sent,
                    frames.get() / secs / 50);
        } finally {
            handlers.shutdownNow();
        }
    }
}
