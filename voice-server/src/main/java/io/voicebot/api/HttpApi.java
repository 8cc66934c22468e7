package io.voicebot.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.voicebot.config.VoicebotConfig;
import io.voicebot.metrics.Metrics;
import io.voicebot.store.ApiTokenStore;
import io.voicebot.store.AuditStore;
import io.voicebot.store.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP server: GET /health, GET /metrics, and /api/... routes with bearer-token auth. Requests are decoded
 * on Netty's event loop and handled on a bounded worker pool (handlers do JDBC).
 * <pre>api.route("POST", "/api/dialogs", Role.OPERATOR, dialogs::create);</pre>
 */
public final class HttpApi {
    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
    /** Idle keep-alive connections are closed after this long. */
    private static final int IDLE_SECONDS = 60;

    private final VoicebotConfig.Http cfg;
    private final ApiAuth auth;
    private final Path uploadDir;
    private final Metrics metrics;
    private final HealthChecks health;
    private final ObjectMapper json;
    private final Router router = new Router();
    private final ExecutorService workers;
    private final ApiAudit audit;
    private final ChannelGroup channels = new DefaultChannelGroup("http", GlobalEventExecutor.INSTANCE);
    private EventLoopGroup boss;
    private EventLoopGroup io;
    private Channel serverChannel;

    /** {@code uploadDir}: where bodies of upload routes are written while they arrive (emptied at start). */
    public HttpApi(VoicebotConfig.Http cfg, ApiTokenStore tokens, Metrics metrics, HealthChecks health,
                   ObjectMapper json, int workerThreads, Path uploadDir) {
        this(cfg, tokens, null, metrics, health, json, workerThreads, uploadDir);
    }

    /** As above, with every successful change through the API written to {@code audit} (see ApiAudit). */
    public HttpApi(VoicebotConfig.Http cfg, ApiTokenStore tokens, AuditStore audit, Metrics metrics,
                   HealthChecks health, ObjectMapper json, int workerThreads, Path uploadDir) {
        this.audit = audit == null ? null : new ApiAudit(audit, json);
        this.cfg = cfg;
        this.auth = new ApiAuth(tokens);
        this.uploadDir = uploadDir;
        this.metrics = metrics;
        this.health = health;
        this.json = json;
        // Bounded queue: when full the request gets 503 instead of piling up.
        this.workers = new ThreadPoolExecutor(workerThreads, workerThreads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(workerThreads * 64), new DefaultThreadFactory("http-worker", true));
        new TokenRoutes(tokens).register(this);
    }

    /** Adds a route; {@code role} is the least role allowed (admin ⊇ operator ⊇ agent). Patterns may use {name}. */
    public void route(String method, String pattern, Role role, ApiHandler handler) {
        router.add(method, pattern, role, handler, false);
    }

    /**
     * Adds a route whose body may be large (up to http.max.upload.bytes): the token is checked before the body is
     * read, and the handler gets the body as a file ({@link ApiRequest#bodyFile()}), never in memory.
     */
    public void upload(String method, String pattern, Role role, ApiHandler handler) {
        router.add(method, pattern, role, handler, true);
    }

    /**
     * Serves the files of classpath folder {@code root} under {@code prefix} to anyone (GET/HEAD): static pages
     * such as the web console, which then call /api with the token the user signs in with.
     */
    public void serveFiles(String prefix, String root) {
        router.files.add(new StaticFiles(prefix, root, HttpApi.class.getClassLoader()));
    }

    public HealthChecks health() {
        return health;
    }

    /** A registered route: "METHOD /api/pattern" and the least role allowed. */
    public record RouteInfo(String method, String pattern, Role role) {}

    /** Every /api route registered so far (the route table the OpenAPI description must match). */
    public java.util.List<RouteInfo> routes() {
        return router.routes().stream().map(r -> new RouteInfo(r.method(), r.pattern(), r.role())).toList();
    }

    public synchronized void start() throws InterruptedException {
        if (serverChannel != null) {
            throw new IllegalStateException("HTTP server already started");
        }
        removeStaleUploads();
        boss = new NioEventLoopGroup(1, new DefaultThreadFactory("http-accept"));
        io = new NioEventLoopGroup(2, new DefaultThreadFactory("http-io"));
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, io)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 256)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        channels.add(ch);
                        ch.pipeline()
                                .addLast("idle", new IdleStateHandler(0, 0, IDLE_SECONDS))
                                .addLast("codec", new HttpServerCodec(4096, 16 * 1024, 8192))
                                .addLast("anonymous", new AuthBeforeBody(router, auth, workers, metrics))
                                .addLast("upload", new UploadSpooler(router, auth, workers, uploadDir,
                                        cfg.maxUploadBytes(), json, metrics))
                                .addLast("aggregate", new JsonBodyLimit(cfg.maxBodyBytes()))
                                .addLast("api", new HttpApiHandler(router, auth, metrics, health, json, workers,
                                        audit));
                    }
                });
        try {
            serverChannel = b.bind(cfg.bind(), cfg.port()).sync().channel();
        } catch (Exception e) {
            shutdownLoops(Duration.ofSeconds(2));
            throw new IllegalStateException("cannot listen for HTTP on " + cfg.bind() + ":" + cfg.port() + ": "
                    + e.getMessage(), e);
        }
        log.info("HTTP listening on {}:{}", cfg.bind(), port());
    }

    /** Upload files left by a server that stopped mid-request; nothing else writes there. */
    private void removeStaleUploads() {
        if (!Files.isDirectory(uploadDir)) {
            return;
        }
        try (DirectoryStream<Path> stale = Files.newDirectoryStream(uploadDir, "upload-*.part")) {
            for (Path p : stale) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            log.warn("cannot clean the upload directory {}: {}", uploadDir, e.getMessage());
        }
    }

    /** The bound port (useful with http.port=0). */
    public int port() {
        Channel ch = serverChannel;
        if (ch == null) {
            throw new IllegalStateException("HTTP server is not started");
        }
        return ((InetSocketAddress) ch.localAddress()).getPort();
    }

    public boolean isBound() {
        Channel ch = serverChannel;
        return ch != null && ch.isActive();
    }

    /** Stops accepting, lets requests in progress finish for at most {@code timeout}, then closes. */
    public synchronized void stop(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (serverChannel != null) {
            serverChannel.close().await(timeout.toMillis());
        }
        workers.shutdown();
        if (!workers.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            log.warn("HTTP handlers still running after {} s; interrupting them", timeout.toSeconds());
            workers.shutdownNow();
        }
        channels.close().await(Math.max(100, (deadline - System.nanoTime()) / 1_000_000));
        shutdownLoops(Duration.ofNanos(Math.max(100_000_000L, deadline - System.nanoTime())));
        serverChannel = null;
    }

    private void shutdownLoops(Duration timeout) throws InterruptedException {
        if (io != null) {
            io.shutdownGracefully(0, timeout.toMillis(), TimeUnit.MILLISECONDS).await(timeout.toMillis());
        }
        if (boss != null) {
            boss.shutdownGracefully(0, timeout.toMillis(), TimeUnit.MILLISECONDS).await(timeout.toMillis());
        }
    }
}
