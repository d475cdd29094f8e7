package dev.consensus.store.mvcc;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * The leases and which keys each holds, in memory. The granted TTLs are persisted by the caller
 * (lease column family); attachments are not, since every live key's value names its lease and
 * open rebuilds them from there. Not thread-safe: guarded by the store's state lock.
 */
final class Lessor {

    private record Lease(long id, long ttlSeconds, NavigableSet<ByteString> keys) { }

    private final MvccConfig config;
    private final Map<Long, Lease> leases = new HashMap<>();
    private final Map<ByteString, Long> leaseOfKey = new HashMap<>();

    Lessor(MvccConfig config) {
        this.config = config;
    }

    /**
     * The id for a grant that asked for none. etcd's server picks one before proposing; here the
     * choice is made at apply, so it must be the same on every replica: a hash of the Raft index,
     * positive, never 0, moved on past ids in use.
     */
    long chooseId(RaftPosition position) {
        long candidate = mix(position.index()) & Long.MAX_VALUE;
        while (candidate == 0 || leases.containsKey(candidate)) {
            candidate = (candidate + 1) & Long.MAX_VALUE;
        }
        return candidate;
    }

    /** Checks a grant and returns the TTL it gets; changes nothing. */
    long checkGrant(long id, long ttlSeconds) {
        if (ttlSeconds > config.maxLeaseTtlSeconds()) {
            throw EtcdError.LEASE_TTL_TOO_LARGE.exception();
        }
        if (leases.containsKey(id)) {
            throw EtcdError.LEASE_EXISTS.exception();
        }
        return Math.max(ttlSeconds, config.minLeaseTtlSeconds());
    }

    void grant(long id, long grantedTtlSeconds) {
        leases.put(id, new Lease(id, grantedTtlSeconds, new TreeSet<>(KeyRange.ORDER)));
    }

    boolean exists(long id) {
        return leases.containsKey(id);
    }

    /** The lease the key is attached to, 0 if none. */
    long leaseOf(ByteString key) {
        return leaseOfKey.getOrDefault(key, 0L);
    }

    void attach(long id, ByteString key) {
        Lease lease = leases.get(id);
        if (lease == null) {
            throw new IllegalStateException("attach to unknown lease " + id + "; puts check the lease first");
        }
        lease.keys().add(key);
        leaseOfKey.put(key, id);
    }

    void detach(ByteString key) {
        Long id = leaseOfKey.remove(key);
        if (id != null) {
            Lease lease = leases.get(id);
            if (lease != null) {
                lease.keys().remove(key);
            }
        }
    }

    /** The attached keys in key order (the order revoke deletes them in, as etcd does). */
    List<ByteString> keys(long id) {
        Lease lease = leases.get(id);
        return lease == null ? List.of() : new ArrayList<>(lease.keys());
    }

    /** Forgets the lease; its keys must already be deleted (and so detached). */
    void remove(long id) {
        Lease lease = leases.remove(id);
        if (lease != null) {
            lease.keys().forEach(leaseOfKey::remove);
        }
    }

    LeaseInfo info(long id) {
        Lease lease = leases.get(id);
        return lease == null ? null : new LeaseInfo(id, lease.ttlSeconds(), new ArrayList<>(lease.keys()));
    }

    List<Long> ids() {
        List<Long> ids = new ArrayList<>(leases.keySet());
        ids.sort(null);
        return ids;
    }

    private static long mix(long value) {
        long z = value + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
