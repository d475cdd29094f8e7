package dev.consensus.store.cli;

import java.net.URI;
import java.time.Duration;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything a {@code store-node} member is told at start, typed and checked.
 *
 * <p>Why: configuration is built once from flags and handed around as one value, so no code
 * downstream reads a string key or re-parses a URL. Promises: a {@code ServerConfig} returned by
 * {@link ConfigBinder} has passed {@link ConfigValidator}; URL lists are in the order etcd keeps
 * them (sorted), and every limit carries etcd 3.5's default when not given.
 *
 * @param name this member's name, as in {@code --initial-cluster}
 * @param dataDir where the member keeps its WAL, snapshots and state
 * @param listenPeerUrls where to accept peer (Raft) connections
 * @param listenClientUrls where to accept client (gRPC) connections
 * @param initialAdvertisePeerUrls the peer URLs this member announces
 * @param advertiseClientUrls the client URLs this member announces
 * @param listenMetricsUrls extra URLs serving only metrics and health; empty when none
 * @param bootstrap how the cluster is first formed
 * @param timing Raft's heartbeat and election timing
 * @param limits sizes and counts with etcd's defaults
 * @param compaction automatic compaction of old revisions
 * @param clientTls TLS for client connections
 * @param peerTls TLS for peer connections
 * @param logLevel one of debug, info, warn, error, panic, fatal
 */
public record ServerConfig(
        String name,
        Path dataDir,
        List<URI> listenPeerUrls,
        List<URI> listenClientUrls,
        List<URI> initialAdvertisePeerUrls,
        List<URI> advertiseClientUrls,
        List<URI> listenMetricsUrls,
        Bootstrap bootstrap,
        Timing timing,
        Limits limits,
        Compaction compaction,
        Tls clientTls,
        Tls peerTls,
        String logLevel) {

    public ServerConfig {
        listenPeerUrls = List.copyOf(listenPeerUrls);
        listenClientUrls = List.copyOf(listenClientUrls);
        initialAdvertisePeerUrls = List.copyOf(initialAdvertisePeerUrls);
        advertiseClientUrls = List.copyOf(advertiseClientUrls);
        listenMetricsUrls = List.copyOf(listenMetricsUrls);
    }

    /** Whether a fresh member creates a cluster or joins a running one. */
    public enum ClusterState {
        NEW("new"),
        EXISTING("existing");

        private final String flagValue;

        ClusterState(String flagValue) {
            this.flagValue = flagValue;
        }

        /** The word used on the command line. */
        public String flagValue() {
            return flagValue;
        }
    }

    /**
     * The cluster as it is first formed.
     *
     * @param initialCluster member name to its peer URLs, in the order given
     * @param state whether this member starts a new cluster or joins an existing one
     * @param token mixed into every member ID, so two clusters with the same URLs differ
     */
    public record Bootstrap(Map<String, List<URI>> initialCluster, ClusterState state, String token) {
        public Bootstrap {
            initialCluster = InitialCluster.copyOf(initialCluster);
        }
    }

    /**
     * Raft timing in milliseconds, and how often watches created with progress_notify hear
     * the current revision.
     *
     * <p>Invariant: {@code electionTimeoutMs >= 5 * heartbeatIntervalMs}.
     */
    public record Timing(long heartbeatIntervalMs, long electionTimeoutMs, Duration watchProgressNotifyInterval) {

        /** etcd's default progress interval, 10 minutes. */
        public static final Duration DEFAULT_WATCH_PROGRESS_NOTIFY_INTERVAL = Duration.ofMinutes(10);

        public Timing(long heartbeatIntervalMs, long electionTimeoutMs) {
            this(heartbeatIntervalMs, electionTimeoutMs, DEFAULT_WATCH_PROGRESS_NOTIFY_INTERVAL);
        }
    }

    /**
     * Sizes and counts, each with etcd 3.5's default.
     *
     * @param quotaBackendBytes as given; 0 means {@link #DEFAULT_QUOTA_BACKEND_BYTES}
     * @param maxSnapshots 0 keeps every snapshot file
     * @param maxWals 0 keeps every WAL file
     */
    public record Limits(long snapshotCount, long quotaBackendBytes, long maxRequestBytes, long maxTxnOps,
            long maxLearners, long maxSnapshots, long maxWals) {

        /** etcd's backend quota when {@code --quota-backend-bytes} is 0: 2 GiB. */
        public static final long DEFAULT_QUOTA_BACKEND_BYTES = 2L * 1024 * 1024 * 1024;

        /** The quota in force: the given one, or 2 GiB when 0 was given. */
        public long effectiveQuotaBackendBytes() {
            return quotaBackendBytes == 0 ? DEFAULT_QUOTA_BACKEND_BYTES : quotaBackendBytes;
        }
    }

    /**
     * Automatic compaction.
     *
     * @param mode {@code periodic} or {@code revision}
     * @param retention as given; "0" turns automatic compaction off
     */
    public record Compaction(String mode, String retention) {
        public boolean enabled() {
            return !"0".equals(retention);
        }
    }

    /**
     * TLS settings of one listener kind; paths are null when not given.
     */
    public record Tls(Path certFile, Path keyFile, Path trustedCaFile, boolean clientCertAuth) {
        /** TLS is on when a certificate is given. */
        public boolean enabled() {
            return certFile != null;
        }
    }
}
