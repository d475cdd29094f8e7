package dev.consensus.store.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Real store-node processes on loopback, started with etcd's flags as a person would start
 * them: members {@code m0..m(n-1)} of a new cluster, or one joining it. Each keeps its data
 * directory across kills and restarts. Timing is etcd's default unless given.
 */
public final class StoreNodeCluster implements AutoCloseable {

    /** One member: its name, URLs and data directory; the process is replaced on restart. */
    public static final class Member {
        final String name;
        final int clientPort;
        final int peerPort;
        final Path dataDir;
        StoreNodeProcess process;
        List<String> args;

        Member(String name, int clientPort, int peerPort, Path dataDir) {
            this.name = name;
            this.clientPort = clientPort;
            this.peerPort = peerPort;
            this.dataDir = dataDir;
        }

        public String name() {
            return name;
        }

        String scheme = "http";

        public String clientUrl() {
            return scheme + "://127.0.0.1:" + clientPort;
        }

        public String peerUrl() {
            return scheme + "://127.0.0.1:" + peerPort;
        }

        public StoreNodeProcess process() {
            return process;
        }
    }

    private final Path dir;
    private final ProcessCleanup cleanup;
    private final Map<String, Member> members = new LinkedHashMap<>();
    private final List<String> extraFlags = new ArrayList<>();
    private String token = "store-node-it";
    private TestCertificates authority;

    public StoreNodeCluster(Path dir, ProcessCleanup cleanup) {
        this.dir = dir;
        this.cleanup = cleanup;
    }

    /** Flags every member gets in addition (say {@code --snapshot-count=1000}). */
    public StoreNodeCluster withFlags(String... flags) {
        extraFlags.addAll(List.of(flags));
        return this;
    }

    /**
     * Client and peer TLS for every member: https URLs, a certificate per member from {@code ca},
     * and client certificates required on both (etcd's {@code --client-cert-auth} and
     * {@code --peer-client-cert-auth}).
     */
    public StoreNodeCluster withTls(TestCertificates ca) {
        this.authority = ca;
        return this;
    }

    public StoreNodeCluster withToken(String clusterToken) {
        this.token = clusterToken;
        return this;
    }

    /** Starts a new cluster of {@code size} members and waits until each serves clients. */
    public StoreNodeCluster start(int size) {
        return start(size, null);
    }

    /**
     * Starts a new cluster of {@code size} members whose data comes from {@code snapshot}: each
     * member's data directory is first made by {@code store-node snapshot restore} with the flags
     * the member then starts with, as the operations guide says to do it.
     */
    public StoreNodeCluster startRestored(Path snapshot, int size) {
        return start(size, snapshot);
    }

    private StoreNodeCluster start(int size, Path snapshot) {
        List<Integer> ports = LoopbackPorts.pick(size * 2);
        List<Member> created = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            Member m = new Member("m" + i, ports.get(2 * i), ports.get(2 * i + 1), dir.resolve("m" + i + "-data"));
            if (authority != null) {
                m.scheme = "https";
            }
            members.put(m.name, m);
            created.add(m);
        }
        String initial = initialCluster(created);
        for (Member m : created) {
            m.args = flags(m, initial, "new");
            if (snapshot != null) {
                restore(snapshot, m);
            }
            launch(m);
        }
        for (Member m : created) {
            m.process.awaitPort(m.clientPort, Duration.ofSeconds(60));
        }
        return this;
    }

    /**
     * Starts a member that {@code member add} already announced, with {@code
     * --initial-cluster-state existing}, and waits until it serves clients.
     */
    public Member join(String name, int clientPort, int peerPort) {
        Member m = new Member(name, clientPort, peerPort, dir.resolve(name + "-data"));
        if (authority != null) {
            m.scheme = "https";
        }
        List<Member> all = new ArrayList<>(members.values());
        all.add(m);
        members.put(name, m);
        m.args = flags(m, initialCluster(all), "existing");
        launch(m);
        m.process.awaitPort(m.clientPort, Duration.ofSeconds(60));
        return m;
    }

    private List<String> flags(Member m, String initial, String state) {
        List<String> flags = new ArrayList<>(List.of(
                "--name", m.name, "--data-dir", m.dataDir.toString(),
                "--listen-client-urls", m.clientUrl(), "--advertise-client-urls", m.clientUrl(),
                "--listen-peer-urls", m.peerUrl(), "--initial-advertise-peer-urls", m.peerUrl(),
                "--initial-cluster", initial, "--initial-cluster-state", state,
                "--initial-cluster-token", token));
        if (authority != null) {
            TestCertificates.Issued cert = authority.issue(m.name);
            flags.addAll(List.of("--cert-file", cert.certFile().toString(), "--key-file", cert.keyFile().toString(),
                    "--trusted-ca-file", authority.caFile().toString(), "--client-cert-auth",
                    "--peer-cert-file", cert.certFile().toString(), "--peer-key-file", cert.keyFile().toString(),
                    "--peer-trusted-ca-file", authority.caFile().toString(), "--peer-client-cert-auth"));
        }
        flags.addAll(extraFlags);
        return flags;
    }

    private void restore(Path snapshot, Member m) {
        List<String> args = new ArrayList<>(List.of("snapshot", "restore", snapshot.toString()));
        args.addAll(m.args);
        try (StoreNodeProcess restore = StoreNodeProcess.builder(dir).args(args).start()) {
            int status = restore.awaitExit(Duration.ofSeconds(60));
            if (status != 0) {
                throw new IllegalStateException("store-node snapshot restore for " + m.name + " exited " + status
                        + ":\n" + restore.log());
            }
        }
    }

    private static String initialCluster(List<Member> list) {
        return String.join(",", list.stream().map(m -> m.name + "=" + m.peerUrl()).toList());
    }

    private void launch(Member m) {
        m.process = cleanup.track(StoreNodeProcess.builder(dir).args(m.args).start());
    }

    public Member member(String name) {
        return members.get(name);
    }

    public List<Member> members() {
        return List.copyOf(members.values());
    }

    /** SIGKILL, as a crash. */
    public void kill(String name) {
        Member m = members.get(name);
        m.process.kill();
        m.process.awaitExit(Duration.ofSeconds(30));
    }

    /** Starts a killed member again with the same flags and data directory. */
    public void restart(String name) {
        Member m = members.get(name);
        launch(m);
        m.process.awaitPort(m.clientPort, Duration.ofSeconds(60));
    }

    public String endpoints(String... names) {
        List<String> urls = new ArrayList<>();
        for (String n : names.length == 0 ? members.keySet().toArray(String[]::new) : names) {
            urls.add(members.get(n).clientUrl());
        }
        return String.join(",", urls);
    }

    @Override
    public void close() {
        for (Member m : members.values()) {
            if (m.process != null) {
                m.process.close();
            }
        }
    }
}
