package io.voicebot.net;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where a dialog's webhook may point. An uploaded dialog is operator input, and a webhook runs inside the bank's
 * network: one aimed at loopback, link-local (169.254.169.254, a cloud's metadata service), private or
 * carrier-grade NAT addresses would reach what the operator cannot reach themselves. Those are refused unless
 * webhook.allow lists the host or its range.
 */
public final class WebhookTargets {
    private final Set<String> hosts;
    private final List<IpSubnetFilterRule> ranges;

    private WebhookTargets(Set<String> hosts, List<IpSubnetFilterRule> ranges) {
        this.hosts = hosts;
        this.ranges = ranges;
    }

    /** Public addresses only. */
    public static WebhookTargets publicOnly() {
        return new WebhookTargets(Set.of(), List.of());
    }

    /**
     * {@code spec}: comma-separated host names, addresses or CIDR ranges that may be called although they are
     * internal (e.g. "crm.bank.internal, 10.20.0.0/16"). Throws IllegalArgumentException naming a bad entry.
     */
    public static WebhookTargets parse(String spec) {
        Set<String> hosts = new TreeSet<>();
        List<IpSubnetFilterRule> ranges = new ArrayList<>();
        for (String raw : (spec == null ? "" : spec).split(",")) {
            String e = raw.strip();
            if (e.isEmpty()) {
                continue;
            }
            int slash = e.indexOf('/');
            if (slash < 0 && !looksNumeric(e)) {
                hosts.add(e.toLowerCase(Locale.ROOT));
                continue;
            }
            String ip = slash < 0 ? e : e.substring(0, slash);
            if (!looksNumeric(ip)) {
                throw new IllegalArgumentException("'" + e + "': a range needs an address before '/'");
            }
            try {
                InetAddress a = InetAddress.getByName(ip);
                int bits = a.getAddress().length * 8;
                int prefix = slash < 0 ? bits : Integer.parseInt(e.substring(slash + 1));
                if (prefix < 0 || prefix > bits) {
                    throw new IllegalArgumentException("'" + e + "': prefix must be 0 to " + bits);
                }
                ranges.add(new IpSubnetFilterRule(a, prefix, IpFilterRuleType.ACCEPT));
            } catch (UnknownHostException | NumberFormatException ex) {
                throw new IllegalArgumentException("'" + e + "' is not an address or a CIDR range");
            }
        }
        return new WebhookTargets(Set.copyOf(hosts), List.copyOf(ranges));
    }

    private static boolean looksNumeric(String s) {
        return s.matches("[0-9.]+") || s.contains(":");
    }

    /**
     * Why {@code url} may not be called, or empty when it may. A host that does not resolve is not refused here:
     * the call's request fails by itself.
     */
    public Optional<String> problem(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return Optional.of("'" + url + "' is not a URL");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            return Optional.of("'" + url + "' names no host");
        }
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (hosts.contains(bare.toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(bare);
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
        for (InetAddress a : addresses) {
            String kind = internalKind(a);
            if (kind != null && !allowed(a)) {
                return Optional.of(url + " points to " + kind + " address " + a.getHostAddress()
                        + " (internal targets are refused; list the host or its range in webhook.allow)");
            }
        }
        return Optional.empty();
    }

    private boolean allowed(InetAddress a) {
        InetSocketAddress s = new InetSocketAddress(a, 0);
        return ranges.stream().anyMatch(r -> r.matches(s));
    }

    /** "a loopback", "a link-local", ... or null for a public address. */
    static String internalKind(InetAddress a) {
        byte[] b = a.getAddress();
        if (a.isLoopbackAddress()) {
            return "a loopback";
        }
        if (a.isLinkLocalAddress()) {
            return "a link-local";
        }
        if (a.isAnyLocalAddress()) {
            return "an unspecified";
        }
        if (a.isSiteLocalAddress() || (b.length == 16 && (b[0] & 0xfe) == 0xfc)) {
            return "a private";
        }
        if (b.length == 4 && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64) {
            return "a carrier-grade NAT";
        }
        if (a.isMulticastAddress()) {
            return "a multicast";
        }
        return null;
    }
}
