package dev.consensus.store.mvcc.model;

import java.util.HashMap;
import java.util.Map;

/**
 * The model's lease ids against one target's. A grant that leaves the id to the server gets a
 * different id from etcd (random), the store (a hash of the Raft index) and the model (a
 * counter); once both granted, the pair is recorded here. Ids never mapped (explicit ones, and
 * the missing-lease id) are the same everywhere.
 */
public final class LeaseIds {

    private final Map<Long, Long> toTarget = new HashMap<>();
    private final Map<Long, Long> toModel = new HashMap<>();

    public void map(long modelId, long targetId) {
        toTarget.put(modelId, targetId);
        toModel.put(targetId, modelId);
    }

    public long toTarget(long modelId) {
        return toTarget.getOrDefault(modelId, modelId);
    }

    public long toModel(long targetId) {
        return toModel.getOrDefault(targetId, targetId);
    }
}
