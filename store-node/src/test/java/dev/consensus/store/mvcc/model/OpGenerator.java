package dev.consensus.store.mvcc.model;

import com.google.protobuf.ByteString;
import dev.consensus.api.etcdserverpb.CompactionRequest;
import dev.consensus.api.etcdserverpb.DeleteRangeRequest;
import dev.consensus.api.etcdserverpb.LeaseGrantRequest;
import dev.consensus.api.etcdserverpb.LeaseRevokeRequest;
import dev.consensus.api.etcdserverpb.LeaseTimeToLiveRequest;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.RangeRequest;
import dev.consensus.api.etcdserverpb.WatchCreateRequest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Random;

/**
 * A seeded generator of etcd operations as the protobuf requests a client sends, over {@link
 * KeySpace}'s keys. It reads the model's state (revision, compact revision, leases, open watches)
 * to aim most requests at something that exists, so they apply, and makes a few invalid on
 * purpose (empty key, duplicate keys in a txn, too many ops, a future or compacted revision, a
 * missing lease, ignore_value on a missing key or with a value) so error paths are compared too.
 * The same seed and the same model give the same sequence.
 *
 * <p>Lease ids are the model's; the tests map them to each target's ids.
 */
public final class OpGenerator {

    /** An id no grant ever asks for (explicit grants use 1..6, automatic ones {@link EtcdModel#FIRST_AUTO_LEASE} on). */
    static final long MISSING_LEASE = 99;

    private final Random random;
    private final EtcdModel model;
    private final GeneratorConfig config;
    private final KeySpace keys;
    private final TxnGenerator txns;
    private final Deque<ModelOp> pending = new ArrayDeque<>();

    public OpGenerator(long seed, EtcdModel model, GeneratorConfig config) {
        this.random = new Random(seed);
        this.model = model;
        this.config = config;
        this.keys = new KeySpace(random);
        this.txns = new TxnGenerator(random, keys, this);
    }

    public ModelOp next() {
        if (!pending.isEmpty()) {
            return pending.removeFirst();
        }
        while (true) {
            int dice = random.nextInt(1000);
            ModelOp op;
            if (dice < 250) {
                op = new ModelOp.Put(putRequest());
            } else if (dice < 430) {
                op = new ModelOp.Range(rangeRequest(model.revision()));
            } else if (dice < 510) {
                op = new ModelOp.DeleteRange(deleteRequest());
            } else if (dice < 690) {
                op = new ModelOp.Txn(txns.txn(model.revision()));
            } else if (dice < 720) {
                op = afterProgress(compact());
            } else if (dice < 770) {
                op = new ModelOp.LeaseGrant(grant());
            } else if (dice < 810) {
                op = new ModelOp.LeaseRevoke(LeaseRevokeRequest.newBuilder().setID(leaseOrMissing()).build());
            } else if (dice < 840) {
                op = new ModelOp.LeaseTimeToLive(LeaseTimeToLiveRequest.newBuilder()
                        .setID(leaseOrMissing()).setKeys(random.nextInt(4) != 0).build());
            } else if (dice < 900) {
                op = model.openWatches().size() < config.maxOpenWatches() ? new ModelOp.WatchCreate(watch()) : null;
            } else if (dice < 925) {
                op = model.openWatches().isEmpty() ? null : new ModelOp.WatchCancel(keys.pick(model.openWatches()));
            } else if (dice < 960) {
                List<Integer> caughtUp = watchesWithoutFutureStart();
                op = caughtUp.isEmpty() ? null : new ModelOp.WatchProgress(keys.pick(caughtUp));
            } else {
                op = config.reopens() && random.nextInt(3) == 0 ? new ModelOp.Reopen() : null;
            }
            if (op != null) {
                return op;
            }
        }
    }

    PutRequest putRequest() {
        PutRequest.Builder put = PutRequest.newBuilder()
                .setKey(random.nextInt(80) == 0 ? ByteString.EMPTY : keys.writeKey())
                .setValue(keys.value())
                .setPrevKv(random.nextInt(10) < 3);
        int lease = random.nextInt(100);
        if (lease < 25) {
            put.setLease(leaseOrZero());
        } else if (lease < 27) {
            put.setLease(MISSING_LEASE);
        }
        int ignore = random.nextInt(100);
        if (ignore < 7) {
            put.setIgnoreValue(true).setValue(random.nextInt(5) == 0 ? keys.value() : ByteString.EMPTY);
        } else if (ignore < 14) {
            put.setIgnoreLease(true).setLease(random.nextInt(5) == 0 ? leaseOrMissing() : 0);
        }
        return put.build();
    }

    DeleteRangeRequest deleteRequest() {
        KeySpan span = keys.span();
        return DeleteRangeRequest.newBuilder()
                .setKey(random.nextInt(80) == 0 ? ByteString.EMPTY : span.key())
                .setRangeEnd(span.end())
                .setPrevKv(random.nextBoolean())
                .build();
    }

    RangeRequest rangeRequest(long revision) {
        KeySpan span = keys.span();
        RangeRequest.Builder range = RangeRequest.newBuilder()
                .setKey(random.nextInt(80) == 0 ? ByteString.EMPTY : span.key())
                .setRangeEnd(span.end())
                .setRevision(readRevision(revision));
        if (random.nextInt(10) < 4) {
            range.setLimit(random.nextInt(50) == 0 ? -1 : 1 + random.nextInt(4));
        }
        if (random.nextBoolean()) {
            range.setSortOrderValue(random.nextInt(60) == 0 ? 3 : random.nextInt(3));
            range.setSortTargetValue(random.nextInt(5));
        }
        range.setKeysOnly(random.nextInt(7) == 0).setCountOnly(random.nextInt(10) == 0);
        if (random.nextInt(10) == 0) {
            range.setMinModRevision(someRevision(revision));
        }
        if (random.nextInt(10) == 0) {
            range.setMaxModRevision(someRevision(revision));
        }
        if (random.nextInt(10) == 0) {
            range.setMinCreateRevision(someRevision(revision));
        }
        if (random.nextInt(10) == 0) {
            range.setMaxCreateRevision(someRevision(revision));
        }
        return range.build();
    }

    /** Mostly the current revision (0); else a past one; now and then a future, compacted or negative one. */
    private long readRevision(long revision) {
        int dice = random.nextInt(100);
        long floor = Math.max(1, model.compactRevision());
        if (dice < 70) {
            return 0;
        }
        if (dice < 92) {
            return floor + random.nextLong(revision - floor + 1);
        }
        if (dice < 96) {
            return revision + 1 + random.nextInt(2);
        }
        if (dice < 99) {
            return Math.max(1, model.compactRevision() - random.nextInt(2));
        }
        return -1 - random.nextInt(2);
    }

    private long someRevision(long revision) {
        return 1 + random.nextLong(revision + 1);
    }

    /**
     * Puts a progress request on every open watch before {@code op} (a compaction). The store's
     * watch streams catch up on their own threads, and a compaction that overtakes one cancels
     * its watches even when they have nothing to catch up on (StoreRegressionTest); answering
     * progress proves a stream caught up, so the sequence stays the same from run to run.
     */
    private ModelOp afterProgress(ModelOp op) {
        for (int watch : watchesWithoutFutureStart()) {
            pending.addLast(new ModelOp.WatchProgress(watch));
        }
        if (pending.isEmpty()) {
            return op;
        }
        pending.addLast(op);
        return pending.removeFirst();
    }

    private ModelOp compact() {
        long current = model.revision();
        long compacted = model.compactRevision();
        // A watch replaying from a past revision may still be catching up on a real etcd, whose
        // backend a compaction at or above its start would change under it: stay below.
        long ceiling = current;
        for (int watch : model.openWatches()) {
            if (model.watchReplays(watch)) {
                ceiling = Math.min(ceiling, model.watchStart(watch) - 1);
            }
        }
        long target;
        int dice = random.nextInt(10);
        if (dice < 7 && ceiling > Math.max(compacted, 0)) {
            long from = Math.max(compacted, 0) + 1;
            // Often the newest allowed revision: compacting right after a write is the common case,
            // and the one where a single txn's writes all sit at the compact revision.
            target = random.nextBoolean() ? ceiling : from + random.nextLong(ceiling - from + 1);
        } else if (dice < 9 || compacted < 1) {
            target = current + 1 + random.nextInt(2);
        } else {
            target = compacted - random.nextInt(2);
        }
        return new ModelOp.Compact(CompactionRequest.newBuilder().setRevision(target).setPhysical(true).build());
    }

    private LeaseGrantRequest grant() {
        LeaseGrantRequest.Builder grant = LeaseGrantRequest.newBuilder()
                .setID(random.nextInt(5) < 2 ? 0 : 1 + random.nextInt(6))
                .setTTL(config.minTtlSeconds() + random.nextLong(config.maxTtlSeconds() - config.minTtlSeconds() + 1));
        if (random.nextInt(100) == 0) {
            grant.setTTL(EtcdModel.MAX_LEASE_TTL_SECONDS + 1);
        }
        return grant.build();
    }

    private WatchCreateRequest watch() {
        KeySpan span = keys.span();
        WatchCreateRequest.Builder watch = WatchCreateRequest.newBuilder().setKey(span.key()).setRangeEnd(span.end());
        boolean inverted = !span.end().isEmpty() && !span.end().equals(KeySpan.FROM_KEY)
                && KeySpan.ORDER.compare(span.key(), span.end()) >= 0;
        if (inverted && random.nextInt(4) != 0) {
            watch.setRangeEnd(KeySpan.FROM_KEY);
        }
        long current = model.revision();
        int start = random.nextInt(100);
        if (start < 10 && model.compactRevision() > 0) {
            // Exactly the compact revision: only what its compaction kept is replayed.
            watch.setStartRevision(model.compactRevision());
        } else if (start < 35) {
            long floor = Math.max(1, model.compactRevision() - 1);
            watch.setStartRevision(floor + random.nextLong(Math.max(1, current - floor + 1)));
        } else if (start < 40) {
            watch.setStartRevision(current + 1 + random.nextInt(2));
        }
        watch.setPrevKv(random.nextInt(10) < 4);
        if (random.nextInt(10) == 0) {
            watch.addFilters(WatchCreateRequest.FilterType.NOPUT);
        }
        if (random.nextInt(10) == 0) {
            watch.addFilters(WatchCreateRequest.FilterType.NODELETE);
        }
        return watch.build();
    }

    /**
     * Open watches that do not wait for a future start revision. etcd 3.4 and 3.5 answer a
     * progress request on a stream with such a watch at once, 3.7 and the store only once the
     * revision gets there (docs/compatibility.md), so the generator does not ask then.
     */
    private List<Integer> watchesWithoutFutureStart() {
        return model.openWatches().stream().filter(w -> model.watchStart(w) <= model.revision() + 1).toList();
    }

    /** An existing lease, or 0 when there is none. */
    long leaseOrZero() {
        List<Long> leases = model.leases();
        return leases.isEmpty() ? 0 : keys.pick(leases);
    }

    private long leaseOrMissing() {
        List<Long> leases = model.leases();
        return leases.isEmpty() || random.nextInt(5) == 0 ? MISSING_LEASE : keys.pick(leases);
    }
}
