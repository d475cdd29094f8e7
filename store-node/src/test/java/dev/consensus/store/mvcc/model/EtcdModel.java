package dev.consensus.store.mvcc.model;

import com.google.protobuf.Empty;
import dev.consensus.api.etcdserverpb.CompactionResponse;
import dev.consensus.api.etcdserverpb.DeleteRangeRequest;
import dev.consensus.api.etcdserverpb.LeaseGrantRequest;
import dev.consensus.api.etcdserverpb.LeaseGrantResponse;
import dev.consensus.api.etcdserverpb.LeaseRevokeResponse;
import dev.consensus.api.etcdserverpb.LeaseTimeToLiveRequest;
import dev.consensus.api.etcdserverpb.LeaseTimeToLiveResponse;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.RangeRequest;
import dev.consensus.api.etcdserverpb.TxnRequest;
import dev.consensus.api.mvccpb.KeyValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A small in-memory model of a single etcd 3.4 member's key space, leases and watches, written
 * for the tests from etcd's documented semantics and checked against the real etcd by the
 * differential test. It keeps every write forever and answers by brute force, so that it is
 * easy to believe; answers are etcd's response messages with headers holding only a revision.
 *
 * <p>Lease ids a client leaves to the server (ID 0) are numbered here from {@link
 * #FIRST_AUTO_LEASE}; the tests map them to whatever the store or etcd picked.
 */
public final class EtcdModel {

    /** etcd's ceiling on a lease TTL (lease.MaxLeaseTTL). */
    public static final long MAX_LEASE_TTL_SECONDS = 9_000_000_000L;
    public static final long FIRST_AUTO_LEASE = 1_000_001;

    private final ModelHistory history = new ModelHistory();
    private final ModelWatches watches = new ModelWatches();
    private final ModelValidator validator;
    private final long minLeaseTtlSeconds;
    private final TreeMap<Long, Long> leaseTtls = new TreeMap<>();
    private long revision = 1;
    /** etcd's compactMainRev: -1 until the first compaction, which may even be to revision 0. */
    private long compactRevision = -1;
    private long nextAutoLease = FIRST_AUTO_LEASE;

    public EtcdModel(int maxTxnOps, long minLeaseTtlSeconds) {
        this.validator = new ModelValidator(maxTxnOps);
        this.minLeaseTtlSeconds = minLeaseTtlSeconds;
    }

    /** etcd's defaults: 128 ops per txn, and a 2 s minimum TTL (its default election timeout). */
    public static EtcdModel withEtcdDefaults() {
        return new EtcdModel(128, 2);
    }

    /** Validates, then applies: what a client sees for {@code op}. */
    public Outcome run(ModelOp op) {
        Optional<Outcome.Failed> refused = validate(op);
        return refused.isPresent() ? refused.get() : apply(op);
    }

    /** The checks etcd makes before Raft; a refusal here costs no Raft index. */
    public Optional<Outcome.Failed> validate(ModelOp op) {
        return validator.check(op);
    }

    /** Applies an op that passed {@link #validate}. Watch ops answer through {@link #expectedItems}. */
    public Outcome apply(ModelOp op) {
        return switch (op) {
            case ModelOp.Range r -> range(r.request());
            case ModelOp.Put p -> put(p.request());
            case ModelOp.DeleteRange d -> delete(d.request());
            case ModelOp.Txn t -> txn(t.request());
            case ModelOp.Compact c -> compact(c.request().getRevision());
            case ModelOp.LeaseGrant g -> grant(g.request());
            case ModelOp.LeaseRevoke r -> revoke(r.request().getID());
            case ModelOp.LeaseTimeToLive t -> timeToLive(t.request());
            case ModelOp.WatchCreate w -> watchOp(() -> watches.create(w.request(), history, revision, compactRevision));
            case ModelOp.WatchCancel c -> watchOp(() -> watches.cancel(c.watch(), revision));
            case ModelOp.WatchProgress p -> watchOp(() -> watches.progress(p.watch(), revision));
            case ModelOp.Reopen r -> watchOp(watches::closeAll);
        };
    }

    private Outcome range(RangeRequest request) {
        if (request.getRevision() > revision) {
            return EtcdErrors.FUTURE_REV;
        }
        long at = request.getRevision() <= 0 ? revision : request.getRevision();
        if (at < compactRevision) {
            return EtcdErrors.COMPACTED;
        }
        return new Outcome.Ok(ModelRange.read(history, request, at, revision));
    }

    private Outcome put(PutRequest request) {
        if (request.getLease() != 0 && !leaseTtls.containsKey(request.getLease())) {
            return EtcdErrors.LEASE_NOT_FOUND;
        }
        if ((request.getIgnoreValue() || request.getIgnoreLease()) && history.get(request.getKey(), revision) == null) {
            return EtcdErrors.KEY_NOT_FOUND;
        }
        ModelWrite write = new ModelWrite(history, revision);
        Outcome outcome = new Outcome.Ok(write.put(request));
        commit(write);
        return outcome;
    }

    private Outcome delete(DeleteRangeRequest request) {
        ModelWrite write = new ModelWrite(history, revision);
        Outcome outcome = new Outcome.Ok(write.delete(request));
        commit(write);
        return outcome;
    }

    private Outcome txn(TxnRequest request) {
        ModelWrite write = new ModelWrite(history, revision);
        Outcome outcome = new ModelTxn(history, revision, compactRevision, leaseTtls.keySet()).run(request, write);
        commit(write);
        return outcome;
    }

    private Outcome compact(long target) {
        if (target <= compactRevision) {
            return EtcdErrors.COMPACTED;
        }
        if (target > revision) {
            return EtcdErrors.FUTURE_REV;
        }
        compactRevision = target;
        return new Outcome.Ok(CompactionResponse.newBuilder().setHeader(ModelWrite.header(revision)).build());
    }

    private Outcome grant(LeaseGrantRequest request) {
        if (request.getTTL() > MAX_LEASE_TTL_SECONDS) {
            return EtcdErrors.LEASE_TTL_TOO_LARGE;
        }
        long id = request.getID() == 0 ? nextAutoLease : request.getID();
        if (leaseTtls.containsKey(id)) {
            return EtcdErrors.LEASE_EXISTS;
        }
        if (request.getID() == 0) {
            nextAutoLease++;
        }
        long ttl = Math.max(request.getTTL(), minLeaseTtlSeconds);
        leaseTtls.put(id, ttl);
        return new Outcome.Ok(LeaseGrantResponse.newBuilder()
                .setHeader(ModelWrite.header(revision)).setID(id).setTTL(ttl).build());
    }

    /** Deletes the lease's keys in key order, all at one revision (none if it has no keys). */
    private Outcome revoke(long id) {
        if (!leaseTtls.containsKey(id)) {
            return EtcdErrors.LEASE_NOT_FOUND;
        }
        ModelWrite write = new ModelWrite(history, revision);
        for (KeyValue kv : keysOf(id)) {
            write.delete(DeleteRangeRequest.newBuilder().setKey(kv.getKey()).build());
        }
        leaseTtls.remove(id);
        commit(write);
        return new Outcome.Ok(LeaseRevokeResponse.newBuilder().setHeader(ModelWrite.header(revision)).build());
    }

    /** The remaining TTL is the server's clock, so it is 0 here and normalised away elsewhere. */
    private Outcome timeToLive(LeaseTimeToLiveRequest request) {
        LeaseTimeToLiveResponse.Builder response = LeaseTimeToLiveResponse.newBuilder()
                .setHeader(ModelWrite.header(revision)).setID(request.getID());
        Long granted = leaseTtls.get(request.getID());
        if (granted == null) {
            return new Outcome.Ok(response.setTTL(-1).build());
        }
        response.setGrantedTTL(granted);
        if (request.getKeys()) {
            keysOf(request.getID()).forEach(kv -> response.addKeys(kv.getKey()));
        }
        return new Outcome.Ok(response.build());
    }

    private List<KeyValue> keysOf(long lease) {
        List<KeyValue> attached = new ArrayList<>();
        for (KeyValue kv : history.range(new KeySpan(KeySpan.FROM_KEY, KeySpan.FROM_KEY), revision)) {
            if (kv.getLease() == lease) {
                attached.add(kv);
            }
        }
        return attached;
    }

    private void commit(ModelWrite write) {
        if (write.changed()) {
            revision++;
            watches.committed(write.changes(), history, compactRevision);
        }
    }

    private static Outcome watchOp(Runnable action) {
        action.run();
        return new Outcome.Ok(Empty.getDefaultInstance());
    }

    // ---- what the generator and the tests read ----

    public long revision() {
        return revision;
    }

    /** etcd's compact revision: -1 before any compaction. */
    public long compactRevision() {
        return compactRevision;
    }

    public List<Long> leases() {
        return List.copyOf(leaseTtls.keySet());
    }

    /** The index of every watch still open (created, not cancelled, compacted, refused or closed). */
    public List<Integer> openWatches() {
        List<Integer> open = new ArrayList<>();
        List<ModelWatches.Watch> all = watches.all();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).open) {
                open.add(i);
            }
        }
        return open;
    }

    /** The first revision the watch with this index can deliver. */
    public long watchStart(int watch) {
        return watches.all().get(watch).minRevision;
    }

    /** Whether the watch with this index started by replaying history (a start at or below the revision then). */
    public boolean watchReplays(int watch) {
        return watches.all().get(watch).replays;
    }

    public int watchCount() {
        return watches.all().size();
    }

    /** Everything the stream of the watch with this index must have delivered so far, in order. */
    public List<WatchItem> expectedItems(int watch) {
        return List.copyOf(watches.all().get(watch).items);
    }

    /** Every pair alive now, in key order: the state a reopened store must show. */
    public List<KeyValue> everything() {
        return history.range(new KeySpan(KeySpan.FROM_KEY, KeySpan.FROM_KEY), revision);
    }
}
