package dev.consensus.faults.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The addresses of a run's members and the proxies on every directed peer link between them.
 *
 * <p>Why this shape: partitions must cut A's messages to B without touching C's, with no root
 * and no network namespaces (they need root and iptables or netns tooling, which CI containers
 * and developer machines often lack). Members name each other in their peer URLs by host name
 * ({@code m2.faults}); every member's JVM resolves names only from its own hosts file
 * ({@code -Djdk.net.hosts.file}), in which {@code m2.faults} is the address of the proxy for the
 * link from that member to m2. All members agree on the URL strings (member IDs hash them), yet
 * each one's traffic to a peer goes through its own proxy.
 *
 * <p>Addresses: slot {@code i} (1-based) listens for clients and peers on {@code 127.N.0.i};
 * the proxy for the link from {@code j} to {@code i} listens on {@code 127.N.j.i} at i's peer
 * port. {@code N} is random per run so runs side by side do not meet.
 */
final class PeerNetwork implements AutoCloseable {

    private final int octet;
    private final int slots;
    private final int[] clientPorts;
    private final int[] peerPorts;
    private final Map<String, LinkProxy> links = new LinkedHashMap<>();
    private final Path dir;

    private PeerNetwork(int octet, int slots, Path dir) {
        this.octet = octet;
        this.slots = slots;
        this.clientPorts = new int[slots + 1];
        this.peerPorts = new int[slots + 1];
        this.dir = dir;
    }

    /** Picks addresses and ports for {@code slots} members, starts every link's proxy, writes the hosts files. */
    static PeerNetwork create(Path dir, int slots, Random random) {
        for (int attempt = 0; ; attempt++) {
            PeerNetwork net = new PeerNetwork(20 + random.nextInt(230), slots, dir);
            try {
                net.open();
                return net;
            } catch (IOException e) {
                net.close();
                if (attempt == 5) {
                    throw new UncheckedIOException("could not bind the peer proxies after 6 attempts", e);
                }
            }
        }
    }

    private void open() throws IOException {
        for (int i = 1; i <= slots; i++) {
            clientPorts[i] = freePort(memberHost(i));
            peerPorts[i] = freePort(memberHost(i));
        }
        for (int to = 1; to <= slots; to++) {
            for (int from = 1; from <= slots; from++) {
                if (from != to) {
                    String host = "127." + octet + "." + from + "." + to;
                    links.put(key(from, to), LinkProxy.start("m" + from + "->m" + to, host, peerPorts[to],
                            new InetSocketAddress(memberHost(to), peerPorts[to])));
                }
            }
        }
        for (int self = 1; self <= slots; self++) {
            List<String> lines = new ArrayList<>(List.of("127.0.0.1 localhost"));
            for (int i = 1; i <= slots; i++) {
                String address = i == self ? memberHost(i) : "127." + octet + "." + self + "." + i;
                lines.add(address + " " + peerHost(i));
            }
            Files.write(hostsFile(self), lines);
        }
    }

    private static int freePort(String host) throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return s.getLocalPort();
        }
    }

    private static String key(int from, int to) {
        return from + ">" + to;
    }

    int slots() {
        return slots;
    }

    String memberHost(int slot) {
        return "127." + octet + ".0." + slot;
    }

    static String peerHost(int slot) {
        return "m" + slot + ".faults";
    }

    int clientPort(int slot) {
        return clientPorts[slot];
    }

    String clientUrl(int slot) {
        return "http://" + memberHost(slot) + ":" + clientPorts[slot];
    }

    String listenPeerUrl(int slot) {
        return "http://" + memberHost(slot) + ":" + peerPorts[slot];
    }

    /** The URL every member knows slot's peer listener by; resolved per member to its own proxy. */
    String advertisedPeerUrl(int slot) {
        return "http://" + peerHost(slot) + ":" + peerPorts[slot];
    }

    Path hostsFile(int slot) {
        return dir.resolve("hosts-m" + slot);
    }

    /** Drops every message from each of {@code from} to each of {@code to} (one way). */
    void cut(Collection<Integer> from, Collection<Integer> to) {
        for (int f : from) {
            for (int t : to) {
                LinkProxy link = links.get(key(f, t));
                if (link != null) {
                    link.cut();
                }
            }
        }
    }

    /** A symmetric partition: {@code side} and every other slot cannot reach each other. */
    void partition(Collection<Integer> side) {
        List<Integer> rest = new ArrayList<>();
        for (int i = 1; i <= slots; i++) {
            if (!side.contains(i)) {
                rest.add(i);
            }
        }
        cut(side, rest);
        cut(rest, side);
    }

    void healAll() {
        links.values().forEach(LinkProxy::heal);
    }

    /** The links cut now, as "m1->m2" names, for the history. */
    List<String> cutLinks() {
        return links.values().stream().filter(LinkProxy::isCut).map(LinkProxy::name).toList();
    }

    @Override
    public void close() {
        links.values().forEach(LinkProxy::close);
    }
}
