package io.voicebot.telephony.access;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ipfilter.AbstractRemoteAddressFilter;
import io.voicebot.config.ConfigException;
import io.voicebot.config.VoicebotConfig;
import io.voicebot.log.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * First handler of a listener's pipeline: a peer outside the allowlist is closed before a byte is read, and
 * logged (at most once per 10 s per listener: a scan must not flood the log).
 */
@ChannelHandler.Sharable
public final class PeerFilter extends AbstractRemoteAddressFilter<InetSocketAddress> {
    private static final Logger log = LoggerFactory.getLogger(PeerFilter.class);

    private final String listener;
    private final PeerAllowlist allowlist;
    private final RateLimitedLog refusedLog = new RateLimitedLog(log, 10, TimeUnit.SECONDS);
    private final AtomicLong refused = new AtomicLong();

    public PeerFilter(String listener, PeerAllowlist allowlist) {
        this.listener = listener;
        this.allowlist = allowlist;
    }

    /**
     * The filter for a listener from its allowlist key ({@code agi.allow}, {@code audiosocket.allow}); empty
     * means loopback and {@code ami.host}. A bad entry is a ConfigException naming the key.
     */
    public static PeerFilter fromConfig(String listener, String key, String spec, VoicebotConfig.Ami ami) {
        try {
            return new PeerFilter(listener, PeerAllowlist.parse(spec, java.util.List.of(ami.host())));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("invalid " + key + ": " + e.getMessage());
        }
    }

    public PeerAllowlist allowlist() {
        return allowlist;
    }

    /** Connections refused so far. */
    public long refused() {
        return refused.get();
    }

    @Override
    protected boolean accept(ChannelHandlerContext ctx, InetSocketAddress remote) {
        return allowlist.allows(remote);
    }

    @Override
    protected ChannelFuture channelRejected(ChannelHandlerContext ctx, InetSocketAddress remote) {
        refused.incrementAndGet();
        refusedLog.warn("{} connection from {} refused: not in the allowlist ({})", listener,
                remote.getAddress().getHostAddress(), allowlist);
        return null; // the filter closes the channel
    }
}
