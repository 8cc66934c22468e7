package io.voicebot.telephony.agi;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.voicebot.config.VoicebotConfig;
import io.voicebot.telephony.access.PeerFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The FastAGI listener (agi.bind:agi.port). Netty reads and writes lines; each session's script runs on a
 * bounded pool of agi.max.sessions threads, because AGI commands block for as long as Asterisk takes.
 */
public final class AgiServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgiServer.class);

    private final VoicebotConfig.Agi config;
    private final AgiRouter router;
    private final AtomicInteger active = new AtomicInteger();
    private final ExecutorService executor;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel serverChannel;
    private PeerFilter filter;
    private int maxReplyChars = AgiCall.DEFAULT_MAX_REPLY_CHARS;

    public AgiServer(VoicebotConfig.Agi config, AgiRouter router) {
        this.config = config;
        this.router = router;
        ThreadPoolExecutor pool = new ThreadPoolExecutor(0, config.maxSessions(), 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), new DefaultThreadFactory("agi-script", true));
        this.executor = pool;
    }

    /** Only peers of {@code peers} may connect (set before start; without it, any peer may). */
    public AgiServer allowOnly(PeerFilter peers) {
        this.filter = peers;
        return this;
    }

    /** Longest 520- usage reply (all its lines) a session may send; more ends that session (set before start). */
    public AgiServer maxReplyBytes(int max) {
        this.maxReplyChars = max;
        return this;
    }

    /** Binds the port; returns this. */
    public AgiServer start() throws InterruptedException {
        boss = new NioEventLoopGroup(1, new DefaultThreadFactory("agi-accept", true));
        workers = new NioEventLoopGroup(0, new DefaultThreadFactory("agi-io", true));
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (filter != null) {
                            ch.pipeline().addLast(filter);
                        }
                        ch.pipeline()
                                .addLast(new LineBasedFrameDecoder(AgiRequest.MAX_LINE, true, false))
                                .addLast(new StringDecoder(StandardCharsets.UTF_8))
                                .addLast(new StringEncoder(StandardCharsets.UTF_8))
                                .addLast(new AgiSessionHandler(router, executor, config.commandTimeout(), active,
                                        maxReplyChars));
                    }
                });
        serverChannel = b.bind(config.bind(), config.port()).sync().channel();
        log.info("FastAGI listening on {}:{} (peers: {})", config.bind(), port(),
                filter == null ? "*" : filter.allowlist());
        return this;
    }

    /** True while the listening socket is open (for /health). */
    public boolean isBound() {
        Channel c = serverChannel;
        return c != null && c.isActive();
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** Scripts running now. */
    public int activeSessions() {
        return active.get();
    }

    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        if (workers != null) {
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        executor.shutdownNow();
    }
}
