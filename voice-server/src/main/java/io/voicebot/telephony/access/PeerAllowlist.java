package io.voicebot.telephony.access;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The peer addresses a listener (FastAGI, AudioSocket) accepts: addresses, CIDR ranges ("10.0.0.0/8") and host
 * names (resolved once, at start-up), or "*" for any. Only Asterisk connects to these ports, so the default is
 * loopback plus the Asterisk host voicebot's AMI client talks to.
 */
public final class PeerAllowlist {
    private final List<IpSubnetFilterRule> rules;
    private final boolean any;
    private final String description;

    private PeerAllowlist(List<IpSubnetFilterRule> rules, boolean any, String description) {
        this.rules = rules;
        this.any = any;
        this.description = description;
    }

    /** Any address: for tests and for operators who restrict the port with a firewall instead. */
    public static PeerAllowlist any() {
        return new PeerAllowlist(List.of(), true, "*");
    }

    /**
     * Parses a comma-separated list; empty means loopback plus {@code defaultHosts} (the configured Asterisk
     * hosts). Throws IllegalArgumentException naming the entry that is neither an address, a range nor a host
     * that resolves.
     */
    public static PeerAllowlist parse(String spec, List<String> defaultHosts) {
        Set<String> entries = new LinkedHashSet<>();
        String s = spec == null ? "" : spec.strip();
        if (s.isEmpty()) {
            entries.add("127.0.0.0/8");
            entries.add("::1");
            entries.addAll(defaultHosts);
        } else {
            for (String e : s.split(",")) {
                if (!e.isBlank()) {
                    entries.add(e.strip());
                }
            }
        }
        if (entries.contains("*")) {
            return any();
        }
        List<IpSubnetFilterRule> rules = new ArrayList<>();
        for (String e : entries) {
            int slash = e.indexOf('/');
            String host = slash < 0 ? e : e.substring(0, slash);
            try {
                for (InetAddress a : InetAddress.getAllByName(host)) {
                    int bits = a.getAddress().length * 8;
                    int prefix = bits;
                    if (slash >= 0) {
                        prefix = Integer.parseInt(e.substring(slash + 1));
                        if (prefix < 0 || prefix > bits) {
                            throw new IllegalArgumentException("'" + e + "': prefix must be 0 to " + bits);
                        }
                    }
                    rules.add(new IpSubnetFilterRule(a, prefix, IpFilterRuleType.ACCEPT));
                }
            } catch (UnknownHostException ex) {
                throw new IllegalArgumentException("'" + e + "' is neither an address nor a host name that resolves");
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("'" + e + "': the prefix after '/' must be a number");
            }
        }
        return new PeerAllowlist(List.copyOf(rules), false, String.join(", ", entries));
    }

    public boolean allows(InetSocketAddress peer) {
        if (any) {
            return true;
        }
        for (IpSubnetFilterRule r : rules) {
            if (r.matches(peer)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return description;
    }
}
