package dev.consensus.store.cli;

import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A readable account of a {@link ServerConfig}, as etcd logs its settings at start.
 *
 * <p>Why: the first thing an operator checks when a member misbehaves is what it was told;
 * this prints it one setting a line, with the member and cluster IDs it will have.
 */
public final class ConfigSummary {

    private ConfigSummary() {
    }

    public static String of(ServerConfig c) {
        var b = c.bootstrap();
        var l = c.limits();
        StringBuilder s = new StringBuilder();
        line(s, "name", c.name());
        line(s, "data dir", c.dataDir());
        line(s, "listen peer URLs", urls(c.listenPeerUrls()));
        line(s, "listen client URLs", urls(c.listenClientUrls()));
        line(s, "advertise peer URLs", urls(c.initialAdvertisePeerUrls()));
        line(s, "advertise client URLs", urls(c.advertiseClientUrls()));
        line(s, "listen metrics URLs", c.listenMetricsUrls().isEmpty() ? "(none)" : urls(c.listenMetricsUrls()));
        line(s, "initial cluster", InitialCluster.format(b.initialCluster()));
        line(s, "initial cluster state", b.state().flagValue());
        line(s, "initial cluster token", b.token());
        line(s, "member ID", MemberIds.hex(MemberIds.memberIds(b.initialCluster(), b.token()).get(c.name())));
        line(s, "cluster ID", MemberIds.hex(MemberIds.clusterId(b.initialCluster(), b.token())));
        line(s, "heartbeat interval", c.timing().heartbeatIntervalMs() + "ms");
        line(s, "election timeout", c.timing().electionTimeoutMs() + "ms");
        line(s, "snapshot count", l.snapshotCount());
        line(s, "max snapshots / wals", l.maxSnapshots() + " / " + l.maxWals());
        line(s, "backend quota", l.effectiveQuotaBackendBytes() + " bytes");
        line(s, "max request bytes", l.maxRequestBytes());
        line(s, "max txn ops", l.maxTxnOps());
        line(s, "max learners", l.maxLearners());
        line(s, "auto compaction", c.compaction().mode() + ", retention " + c.compaction().retention());
        line(s, "client TLS", tls(c.clientTls()));
        line(s, "peer TLS", tls(c.peerTls()));
        line(s, "log level", c.logLevel());
        return s.toString();
    }

    private static void line(StringBuilder s, String key, Object value) {
        s.append(key).append(" = ").append(value).append('\n');
    }

    private static String urls(List<URI> urls) {
        return urls.stream().map(URI::toString).collect(Collectors.joining(","));
    }

    private static String tls(ServerConfig.Tls tls) {
        if (!tls.enabled()) {
            return "off";
        }
        return "cert " + tls.certFile() + ", key " + tls.keyFile() + ", trusted CA "
                + (tls.trustedCaFile() == null ? "(none)" : tls.trustedCaFile())
                + ", client cert auth " + tls.clientCertAuth();
    }
}
