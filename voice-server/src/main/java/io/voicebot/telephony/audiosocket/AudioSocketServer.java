package io.voicebot.telephony.audiosocket;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.voicebot.config.VoicebotConfig;
import io.voicebot.telephony.access.PeerFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The AudioSocket listener (audiosocket.bind:audiosocket.port) that Asterisk's AudioSocket(uuid,host:port)
 * connects to. {@code executor} runs the acceptor and playback-completion callbacks; it should be bounded.
 */
public final class AudioSocketServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AudioSocketServer.class);
    private static final FrameEncoder ENCODER = new FrameEncoder();

    private final VoicebotConfig.AudioSocket config;
    private final AudioSessionAcceptor acceptor;
    private final Executor executor;
    private final FramePacer pacer;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel serverChannel;
    private PeerFilter filter;
    private Duration mediaTimeout = Duration.ZERO;

    public AudioSocketServer(VoicebotConfig.AudioSocket config, AudioSessionAcceptor acceptor, Executor executor) {
        this(config, acceptor, executor, 1);
    }

    /** @param pacerThreads threads sending the paced outbound frames of all sessions */
    public AudioSocketServer(VoicebotConfig.AudioSocket config, AudioSessionAcceptor acceptor, Executor executor,
                             int pacerThreads) {
        this.config = config;
        this.acceptor = acceptor;
        this.executor = executor;
        this.pacer = new FramePacer(pacerThreads);
    }

    /** Only peers of {@code peers} may connect (set before start; without it, any peer may). */
    public AudioSocketServer allowOnly(PeerFilter peers) {
        this.filter = peers;
        return this;
    }

    /** A session that sends no frame for this long is closed as a media timeout; zero: never (the default). */
    public AudioSocketServer mediaTimeout(Duration timeout) {
        this.mediaTimeout = timeout;
        return this;
    }

    public AudioSocketServer start() throws InterruptedException {
        boss = new NioEventLoopGroup(1, new DefaultThreadFactory("audiosocket-accept", true));
        workers = new NioEventLoopGroup(0, new DefaultThreadFactory("audiosocket-io", true));
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                // About 1 s of 8 kHz audio may queue before frames are dropped rather than buffered.
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(8 * 1024, 16 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (filter != null) {
                            ch.pipeline().addLast(filter);
                        }
                        ch.pipeline()
                                .addLast(new FrameDecoder(config.maxPayload()))
                                .addLast(ENCODER)
                                .addLast(new AudioSocketHandler(acceptor, executor, pacer, config.uuidTimeout(),
                                        mediaTimeout));
                    }
                });
        serverChannel = b.bind(config.bind(), config.port()).sync().channel();
        log.info("AudioSocket listening on {}:{} (peers: {})", config.bind(), port(),
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

    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        if (workers != null) {
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        pacer.close();
    }
}
