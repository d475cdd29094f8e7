package dev.consensus.store.mvcc;

import com.google.protobuf.ByteString;
import java.util.List;

/**
 * A lease as the state machine knows it. The remaining TTL is not here: expiry is measured by the
 * server's clock on the leader, which proposes the revoke through Raft.
 *
 * @param id                 the lease id, never 0
 * @param grantedTtlSeconds  the TTL granted (the asked one, raised to the configured minimum)
 * @param keys               the keys attached, in key order
 */
public record LeaseInfo(long id, long grantedTtlSeconds, List<ByteString> keys) {

    public LeaseInfo {
        keys = List.copyOf(keys);
    }
}
