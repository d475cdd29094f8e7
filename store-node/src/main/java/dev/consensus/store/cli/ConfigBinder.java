package dev.consensus.store.cli;

import static dev.consensus.store.cli.EtcdFlags.*;

import dev.consensus.store.cli.ServerConfig.Bootstrap;
import dev.consensus.store.cli.ServerConfig.ClusterState;
import dev.consensus.store.cli.ServerConfig.Compaction;
import dev.consensus.store.cli.ServerConfig.Limits;
import dev.consensus.store.cli.ServerConfig.Timing;
import dev.consensus.store.cli.ServerConfig.Tls;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * Turns {@link ParsedFlags} into a checked {@link ServerConfig}.
 *
 * <p>Why: typing and defaulting happen in one place, so the rest of the server sees only a
 * record. Promises: every value is typed with etcd's parse rules and defaults; the result has
 * passed {@link ConfigValidator}; bad input ends in a {@link FlagException}.
 */
public final class ConfigBinder {

    private ConfigBinder() {
    }

    /** Types, defaults and checks the flags. */
    public static ServerConfig bind(ParsedFlags flags) {
        String name = flags.valueOrDefault(NAME);
        Path dataDir = Path.of(flags.given(DATA_DIR).orElse(name + ".etcd"));
        ServerConfig config = new ServerConfig(
                name,
                dataDir,
                urls(flags, LISTEN_PEER_URLS),
                urls(flags, LISTEN_CLIENT_URLS),
                urls(flags, INITIAL_ADVERTISE_PEER_URLS),
                urls(flags, ADVERTISE_CLIENT_URLS),
                urls(flags, LISTEN_METRICS_URLS),
                bootstrap(flags),
                new Timing(
                        Values.unsigned(HEARTBEAT_INTERVAL, flags.valueOrDefault(HEARTBEAT_INTERVAL)),
                        Values.unsigned(ELECTION_TIMEOUT, flags.valueOrDefault(ELECTION_TIMEOUT)),
                        Values.duration(WATCH_PROGRESS_NOTIFY_INTERVAL,
                                flags.valueOrDefault(WATCH_PROGRESS_NOTIFY_INTERVAL))),
                limits(flags),
                new Compaction(Values.word(flags.valueOrDefault(AUTO_COMPACTION_MODE)),
                        flags.valueOrDefault(AUTO_COMPACTION_RETENTION).trim()),
                tls(flags, CERT_FILE, KEY_FILE, TRUSTED_CA_FILE, CLIENT_CERT_AUTH),
                tls(flags, PEER_CERT_FILE, PEER_KEY_FILE, PEER_TRUSTED_CA_FILE, PEER_CLIENT_CERT_AUTH),
                Values.word(flags.valueOrDefault(LOG_LEVEL)));
        ConfigValidator.validate(config, flags);
        return config;
    }

    private static List<URI> urls(ParsedFlags flags, String flag) {
        String text = flags.valueOrDefault(flag);
        // Only the metrics list may be empty: its default is "no extra listener".
        if (text.isEmpty() && LISTEN_METRICS_URLS.equals(flag)) {
            return List.of();
        }
        return Urls.parseList(flag, text);
    }

    private static Bootstrap bootstrap(ParsedFlags flags) {
        String stateText = flags.valueOrDefault(INITIAL_CLUSTER_STATE);
        ClusterState state = switch (stateText) {
            case "new" -> ClusterState.NEW;
            case "existing" -> ClusterState.EXISTING;
            default -> throw FlagException.invalidValue(INITIAL_CLUSTER_STATE, stateText,
                    "invalid value \"" + stateText + "\" (valid values are \"existing\", \"new\")");
        };
        return new Bootstrap(InitialCluster.parse(flags.valueOrDefault(INITIAL_CLUSTER)), state,
                flags.valueOrDefault(INITIAL_CLUSTER_TOKEN));
    }

    private static Limits limits(ParsedFlags flags) {
        long quota = Values.signed(QUOTA_BACKEND_BYTES, flags.valueOrDefault(QUOTA_BACKEND_BYTES));
        if (quota < 0) {
            throw FlagException.verify("--quota-backend-bytes must not be negative (set to " + quota + ")");
        }
        long maxLearners = Values.signed(MAX_LEARNERS, flags.valueOrDefault(MAX_LEARNERS));
        if (maxLearners < 1) {
            throw FlagException.verify("--max-learners must be at least 1 (set to " + maxLearners + ")");
        }
        return new Limits(
                Values.unsigned(SNAPSHOT_COUNT, flags.valueOrDefault(SNAPSHOT_COUNT)),
                quota,
                Values.unsigned(MAX_REQUEST_BYTES, flags.valueOrDefault(MAX_REQUEST_BYTES)),
                Values.unsigned(MAX_TXN_OPS, flags.valueOrDefault(MAX_TXN_OPS)),
                maxLearners,
                Values.unsigned(MAX_SNAPSHOTS, flags.valueOrDefault(MAX_SNAPSHOTS)),
                Values.unsigned(MAX_WALS, flags.valueOrDefault(MAX_WALS)));
    }

    private static Tls tls(ParsedFlags flags, String cert, String key, String ca, String clientCertAuth) {
        return new Tls(path(flags, cert), path(flags, key), path(flags, ca),
                Values.bool(clientCertAuth, flags.valueOrDefault(clientCertAuth)));
    }

    private static Path path(ParsedFlags flags, String flag) {
        String text = flags.valueOrDefault(flag);
        return text.isEmpty() ? null : Path.of(text);
    }
}
