package dev.consensus.store.server;

import dev.consensus.store.cluster.Member;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What the server needs to run, in the server's own terms; the command line (package cli) builds
 * it from etcd's flags. {@code initialMembers} and {@code clusterId} matter only when a new
 * cluster is bootstrapped; a joining member learns both from the cluster.
 *
 * <p>{@code unsafeLocalLinearizableReads} is a planted bug, not a feature: linearizable reads are
 * answered from local state without ReadIndex, so a member cut off from the leader serves stale
 * data. It exists so the fault harness can show that its partition schedule and checkers catch
 * exactly that (docs/reliability.md); only the hidden {@code --unsafe-local-linearizable-reads}
 * flag sets it.
 */
public record ServerSettings(
        String name,
        Path dataDir,
        List<URI> advertiseClientUrls,
        List<URI> advertisePeerUrls,
        List<Member> initialMembers,
        long clusterId,
        boolean joinExisting,
        String clusterToken,
        long heartbeatMillis,
        long electionMillis,
        long snapshotCount,
        long snapshotCatchUpEntries,
        long maxRequestBytes,
        int maxTxnOps,
        long quotaBackendBytes,
        int maxLearners,
        Duration watchProgressNotifyInterval,
        boolean unsafeLocalLinearizableReads) {

    /** The settings of a correct member: every linearizable read goes through ReadIndex. */
    public ServerSettings(String name, Path dataDir, List<URI> advertiseClientUrls, List<URI> advertisePeerUrls,
            List<Member> initialMembers, long clusterId, boolean joinExisting, String clusterToken,
            long heartbeatMillis, long electionMillis, long snapshotCount, long snapshotCatchUpEntries,
            long maxRequestBytes, int maxTxnOps, long quotaBackendBytes, int maxLearners,
            Duration watchProgressNotifyInterval) {
        this(name, dataDir, advertiseClientUrls, advertisePeerUrls, initialMembers, clusterId, joinExisting,
                clusterToken, heartbeatMillis, electionMillis, snapshotCount, snapshotCatchUpEntries,
                maxRequestBytes, maxTxnOps, quotaBackendBytes, maxLearners, watchProgressNotifyInterval, false);
    }

    public ServerSettings {
        advertiseClientUrls = List.copyOf(advertiseClientUrls);
        advertisePeerUrls = List.copyOf(advertisePeerUrls);
        initialMembers = List.copyOf(initialMembers);
        if (heartbeatMillis < 1 || electionMillis <= heartbeatMillis) {
            throw new IllegalArgumentException("election timeout must be longer than the heartbeat interval");
        }
        if (watchProgressNotifyInterval.isNegative() || watchProgressNotifyInterval.isZero()) {
            throw new IllegalArgumentException("the watch progress interval must be positive");
        }
    }

    /**
     * The shortest lease TTL, as etcd derives it: one and a half election timeouts, rounded up
     * to whole seconds. A shorter lease could expire while the cluster is still electing the
     * leader that would have kept it alive. A grant asking for less gets this.
     */
    public long minLeaseTtlSeconds() {
        long millis = (3L * electionTicks() / 2) * heartbeatMillis;
        return Math.max(1, Math.ceilDiv(millis, 1000));
    }

    /** These settings with the planted stale-read bug on or off. */
    public ServerSettings withUnsafeLocalLinearizableReads(boolean unsafe) {
        return new ServerSettings(name, dataDir, advertiseClientUrls, advertisePeerUrls, initialMembers, clusterId,
                joinExisting, clusterToken, heartbeatMillis, electionMillis, snapshotCount, snapshotCatchUpEntries,
                maxRequestBytes, maxTxnOps, quotaBackendBytes, maxLearners, watchProgressNotifyInterval, unsafe);
    }

    public int electionTicks() {
        return (int) Math.max(2, electionMillis / heartbeatMillis);
    }

    /** etcd's request timeout: 5 s plus two election timeouts. */
    public long requestTimeoutMillis() {
        return 5000 + 2 * electionMillis;
    }
}
