package dev.consensus.store.cli;

import dev.consensus.store.cli.ServerConfig.Timing;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The rules a {@link ServerConfig} must meet that single values cannot check alone.
 *
 * <p>Why: etcd refuses these combinations at start with known messages; operators and scripts
 * read them, so we refuse the same ones in the same words (from etcd's embed and etcdserver
 * config checks). Where etcd has no message, the message names the flag and the value.
 */
public final class ConfigValidator {

    /** etcd's upper bound for the election timeout. */
    public static final long MAX_ELECTION_TIMEOUT_MS = 50_000;

    private static final Set<String> COMPACTION_MODES = Set.of("periodic", "revision");
    private static final Set<String> LOG_LEVELS = Set.of("debug", "info", "warn", "error", "panic", "fatal");
    private static final Pattern HOURS = Pattern.compile("\\d+");
    private static final Pattern DURATION = Pattern.compile("(\\d+(\\.\\d+)?(ns|us|µs|ms|s|m|h))+");

    private ConfigValidator() {
    }

    /** Throws a {@link FlagException} for the first rule the configuration breaks. */
    public static void validate(ServerConfig config, ParsedFlags flags) {
        timing(config.timing());
        if (flags.isSet(EtcdFlags.LISTEN_CLIENT_URLS) && !flags.isSet(EtcdFlags.ADVERTISE_CLIENT_URLS)) {
            throw FlagException.verify("--advertise-client-urls is required when --listen-client-urls is set"
                    + " explicitly");
        }
        compaction(config.compaction());
        if (!LOG_LEVELS.contains(config.logLevel())) {
            throw FlagException.verify("unknown log level \"" + config.logLevel()
                    + "\" (valid values are debug, info, warn, error, panic, fatal)");
        }
        tls("", config.clientTls());
        tls("peer-", config.peerTls());
        cluster(config);
    }

    private static void timing(Timing timing) {
        if (timing.heartbeatIntervalMs() <= 0) {
            throw FlagException.verify("--heartbeat-interval must be >0 (set to " + timing.heartbeatIntervalMs()
                    + "ms)");
        }
        if (timing.electionTimeoutMs() <= 0) {
            throw FlagException.verify("--election-timeout must be >0 (set to " + timing.electionTimeoutMs() + "ms)");
        }
        if (5 * timing.heartbeatIntervalMs() > timing.electionTimeoutMs()) {
            throw FlagException.verify("--election-timeout[" + timing.electionTimeoutMs()
                    + "ms] should be at least as 5 times as --heartbeat-interval[" + timing.heartbeatIntervalMs()
                    + "ms]");
        }
        if (timing.electionTimeoutMs() > MAX_ELECTION_TIMEOUT_MS) {
            throw FlagException.verify("--election-timeout[" + timing.electionTimeoutMs()
                    + "ms] is too long, and should be set less than " + MAX_ELECTION_TIMEOUT_MS + "ms");
        }
    }

    private static void compaction(ServerConfig.Compaction compaction) {
        if (!COMPACTION_MODES.contains(compaction.mode())) {
            throw FlagException.verify("unknown auto-compaction-mode \"" + compaction.mode() + "\"");
        }
        String retention = compaction.retention();
        boolean valid = HOURS.matcher(retention).matches()
                || ("periodic".equals(compaction.mode()) && DURATION.matcher(retention).matches());
        if (!valid) {
            throw FlagException.verify("invalid --auto-compaction-retention \"" + retention + "\" for mode "
                    + compaction.mode() + " (a whole number" + ("periodic".equals(compaction.mode())
                            ? " of hours, or a duration such as 30m or 1h30m)" : " of revisions)"));
        }
    }

    private static void tls(String prefix, ServerConfig.Tls tls) {
        if ((tls.certFile() == null) != (tls.keyFile() == null)) {
            throw FlagException.verify("--" + prefix + "cert-file and --" + prefix
                    + "key-file must be given together");
        }
    }

    private static void cluster(ServerConfig config) {
        List<URI> members = config.bootstrap().initialCluster().get(config.name());
        if (members == null) {
            throw FlagException.verify("couldn't find local name \"" + config.name()
                    + "\" in the initial cluster configuration");
        }
        List<String> clusterUrls = text(members);
        List<String> advertised = text(config.initialAdvertisePeerUrls());
        String initialCluster = InitialCluster.format(config.bootstrap().initialCluster());
        for (String url : clusterUrls) {
            if (!advertised.contains(url)) {
                throw FlagException.verify("--initial-cluster has " + config.name() + "=" + url
                        + " but missing from --initial-advertise-peer-urls=" + String.join(",", advertised));
            }
        }
        for (String url : advertised) {
            if (!clusterUrls.contains(url)) {
                throw FlagException.verify("--initial-advertise-peer-urls has " + url
                        + " but missing from --initial-cluster=" + initialCluster);
            }
        }
    }

    private static List<String> text(List<URI> urls) {
        return urls.stream().map(URI::toString).collect(Collectors.toList());
    }
}
