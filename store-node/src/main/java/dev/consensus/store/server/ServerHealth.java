package dev.consensus.store.server;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import dev.consensus.api.etcdserverpb.RangeRequest;
import dev.consensus.store.cluster.Alarm;
import dev.consensus.store.metrics.HealthCheck;
import dev.consensus.store.metrics.HealthStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The facts behind /health, /livez and /readyz, gathered as etcd 3.5 gathers them: alarms,
 * whether a leader is known, the learner flag, and a one-key read of the kind asked for (a
 * linearizable read fails without a quorum; a serializable one only when the store is broken).
 */
public final class ServerHealth implements HealthCheck {

    private final StoreServer server;
    private final KvOperations kv;
    private final long readTimeoutMillis;

    public ServerHealth(StoreServer server, long readTimeoutMillis) {
        this.server = server;
        this.kv = new KvOperations(server);
        this.readTimeoutMillis = readTimeoutMillis;
    }

    @Override
    public HealthStatus check(boolean serializable) {
        // Two Alarm types meet here: the cluster's replicated one and the health endpoint's.
        List<dev.consensus.store.metrics.Alarm> alarms = new ArrayList<>();
        for (Alarm a : server.cluster().alarms()) {
            alarms.add(a.type() == Alarm.Type.NOSPACE ? dev.consensus.store.metrics.Alarm.NOSPACE
                    : dev.consensus.store.metrics.Alarm.CORRUPT);
        }
        boolean hasLeader = server.status().hasLeader();
        HealthStatus status = HealthStatus.healthy()
                .withAlarms(alarms.toArray(dev.consensus.store.metrics.Alarm[]::new))
                .withLeader(hasLeader)
                .asLearner(server.isLearner());
        if (!serializable && !hasLeader) {
            return status.withReadError(ServerError.NO_LEADER.message());
        }
        try {
            RangeRequest health = RangeRequest.newBuilder()
                    .setKey(com.google.protobuf.ByteString.copyFromUtf8("health"))
                    .setSerializable(serializable || server.isLearner()).build();
            kv.range(health).get(readTimeoutMillis, TimeUnit.MILLISECONDS);
            return status;
        } catch (TimeoutException e) {
            return status.withReadError(ServerError.TIMEOUT.message());
        } catch (ExecutionException e) {
            return status.withReadError(String.valueOf(e.getCause().getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return status.withReadError(ServerError.STOPPED.message());
        } catch (RuntimeException e) {
            return status.withReadError(String.valueOf(e.getMessage()));
        }
    }
}
