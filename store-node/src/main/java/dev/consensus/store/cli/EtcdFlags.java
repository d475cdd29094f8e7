package dev.consensus.store.cli;

import static dev.consensus.store.cli.FlagDefinition.toggle;
import static dev.consensus.store.cli.FlagDefinition.valued;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The etcd 3.5 flags {@code store-node} accepts, with etcd's names and defaults.
 *
 * <p>Why: the operator and the seed StatefulSet start members with etcd's command line; keeping
 * the same names, defaults and {@code ETCD_*} variables lets {@code store-node} stand in for
 * {@code etcd} unchanged. Flags etcd has and this list lacks are refused as unknown, never
 * silently ignored.
 */
public final class EtcdFlags {

    public static final String NAME = "name";
    public static final String DATA_DIR = "data-dir";
    public static final String LISTEN_PEER_URLS = "listen-peer-urls";
    public static final String LISTEN_CLIENT_URLS = "listen-client-urls";
    public static final String INITIAL_ADVERTISE_PEER_URLS = "initial-advertise-peer-urls";
    public static final String ADVERTISE_CLIENT_URLS = "advertise-client-urls";
    public static final String LISTEN_METRICS_URLS = "listen-metrics-urls";
    public static final String INITIAL_CLUSTER = "initial-cluster";
    public static final String INITIAL_CLUSTER_STATE = "initial-cluster-state";
    public static final String INITIAL_CLUSTER_TOKEN = "initial-cluster-token";
    public static final String HEARTBEAT_INTERVAL = "heartbeat-interval";
    public static final String ELECTION_TIMEOUT = "election-timeout";
    public static final String SNAPSHOT_COUNT = "snapshot-count";
    public static final String MAX_SNAPSHOTS = "max-snapshots";
    public static final String MAX_WALS = "max-wals";
    public static final String QUOTA_BACKEND_BYTES = "quota-backend-bytes";
    public static final String MAX_REQUEST_BYTES = "max-request-bytes";
    public static final String MAX_TXN_OPS = "max-txn-ops";
    public static final String MAX_LEARNERS = "max-learners";
    /** The name {@link #MAX_LEARNERS} had in etcd 3.6's development releases; still accepted. */
    public static final String EXPERIMENTAL_MAX_LEARNERS = "experimental-max-learners";
    public static final String AUTO_COMPACTION_MODE = "auto-compaction-mode";
    public static final String AUTO_COMPACTION_RETENTION = "auto-compaction-retention";
    public static final String CERT_FILE = "cert-file";
    public static final String KEY_FILE = "key-file";
    public static final String TRUSTED_CA_FILE = "trusted-ca-file";
    public static final String CLIENT_CERT_AUTH = "client-cert-auth";
    public static final String PEER_CERT_FILE = "peer-cert-file";
    public static final String PEER_KEY_FILE = "peer-key-file";
    public static final String PEER_TRUSTED_CA_FILE = "peer-trusted-ca-file";
    public static final String PEER_CLIENT_CERT_AUTH = "peer-client-cert-auth";
    public static final String LOG_LEVEL = "log-level";
    public static final String WATCH_PROGRESS_NOTIFY_INTERVAL = "experimental-watch-progress-notify-interval";

    /** Every flag, in the order help and the documentation list them. */
    public static final List<FlagDefinition> ALL = List.of(
            valued(NAME, "name", "default", "Human-readable name for this member."),
            valued(DATA_DIR, "dir", "${name}.etcd", "Path to the data directory."),
            valued(LISTEN_PEER_URLS, "urls", "http://localhost:2380",
                    "List of URLs to listen on for peer traffic."),
            valued(LISTEN_CLIENT_URLS, "urls", "http://localhost:2379",
                    "List of URLs to listen on for client traffic."),
            valued(INITIAL_ADVERTISE_PEER_URLS, "urls", "http://localhost:2380",
                    "This member's peer URLs to advertise to the rest of the cluster."),
            valued(ADVERTISE_CLIENT_URLS, "urls", "http://localhost:2379",
                    "This member's client URLs to advertise to the public."),
            valued(LISTEN_METRICS_URLS, "urls", "",
                    "List of additional URLs to listen on for /metrics and /health."),
            valued(INITIAL_CLUSTER, "name=url,...", "default=http://localhost:2380",
                    "Initial cluster configuration for bootstrapping."),
            valued(INITIAL_CLUSTER_STATE, "new|existing", "new",
                    "Initial cluster state ('new' or 'existing')."),
            valued(INITIAL_CLUSTER_TOKEN, "token", "etcd-cluster",
                    "Initial cluster token for the cluster during bootstrap; part of every member ID."),
            valued(HEARTBEAT_INTERVAL, "ms", "100", "Time (in milliseconds) of a heartbeat interval."),
            valued(ELECTION_TIMEOUT, "ms", "1000", "Time (in milliseconds) for an election to timeout."),
            valued(SNAPSHOT_COUNT, "count", "100000",
                    "Number of committed transactions to trigger a snapshot to disk."),
            valued(MAX_SNAPSHOTS, "count", "5", "Maximum number of snapshot files to retain (0 is unlimited)."),
            valued(MAX_WALS, "count", "5", "Maximum number of wal files to retain (0 is unlimited)."),
            valued(QUOTA_BACKEND_BYTES, "bytes", "0",
                    "Raise alarms when backend size exceeds the given quota (0 defaults to 2 GiB)."),
            valued(MAX_REQUEST_BYTES, "bytes", "1572864",
                    "Maximum client request size in bytes the server will accept."),
            valued(MAX_TXN_OPS, "count", "128", "Maximum number of operations permitted in a transaction."),
            valued(MAX_LEARNERS, "count", "1", "Maximum number of learners allowed in the cluster membership."),
            valued(EXPERIMENTAL_MAX_LEARNERS, "count", "1",
                    "Deprecated name of --max-learners; setting both is refused."),
            valued(AUTO_COMPACTION_MODE, "periodic|revision", "periodic",
                    "Interpret 'auto-compaction-retention' as a duration (periodic) or a revision count."),
            valued(AUTO_COMPACTION_RETENTION, "retention", "0",
                    "Auto compaction retention (0 disables it); hours or a duration for periodic."),
            valued(CERT_FILE, "file", "", "Path to the client server TLS cert file."),
            valued(KEY_FILE, "file", "", "Path to the client server TLS key file."),
            valued(TRUSTED_CA_FILE, "file", "", "Path to the client server TLS trusted CA cert file."),
            toggle(CLIENT_CERT_AUTH, "Enable client cert authentication."),
            valued(PEER_CERT_FILE, "file", "", "Path to the peer server TLS cert file."),
            valued(PEER_KEY_FILE, "file", "", "Path to the peer server TLS key file."),
            valued(PEER_TRUSTED_CA_FILE, "file", "", "Path to the peer server TLS trusted CA file."),
            toggle(PEER_CLIENT_CERT_AUTH, "Enable peer client cert authentication."),
            valued(LOG_LEVEL, "level", "info",
                    "Configures log level: debug, info, warn, error, panic, or fatal."),
            valued(WATCH_PROGRESS_NOTIFY_INTERVAL, "duration", "10m0s",
                    "Duration of periodic watch progress notifications."));

    /**
     * Deprecated flag names and the flags they set. etcd renamed experimental flags in 3.6 and
     * kept the old names for a release: the old name fills the new flag with a deprecation
     * warning, and giving both is refused. Its old name is how some 3.5-era manifests spell it.
     */
    public static final Map<String, String> RENAMED = Map.of(EXPERIMENTAL_MAX_LEARNERS, MAX_LEARNERS);

    private static final Map<String, FlagDefinition> BY_NAME =
            ALL.stream().collect(Collectors.toUnmodifiableMap(FlagDefinition::name, Function.identity()));

    private EtcdFlags() {
    }

    /** The definition of the flag with this name (no dashes), if there is one. */
    public static java.util.Optional<FlagDefinition> find(String name) {
        return java.util.Optional.ofNullable(BY_NAME.get(name));
    }

    /** The definition of the flag with this name (no dashes); fails for a name not in {@link #ALL}. */
    public static FlagDefinition get(String name) {
        FlagDefinition flag = BY_NAME.get(name);
        if (flag == null) {
            throw new IllegalArgumentException("no such flag: " + name);
        }
        return flag;
    }
}
