package dev.consensus.store.mvcc.model;

import com.google.protobuf.Empty;
import com.google.protobuf.Message;
import dev.consensus.api.etcdserverpb.CompactionResponse;
import dev.consensus.api.etcdserverpb.LeaseTimeToLiveRequest;
import dev.consensus.api.etcdserverpb.LeaseTimeToLiveResponse;
import dev.consensus.api.etcdserverpb.RequestOp;
import dev.consensus.api.etcdserverpb.ResponseHeader;
import dev.consensus.api.etcdserverpb.TxnRequest;
import dev.consensus.api.etcdserverpb.WatchCreateRequest;
import dev.consensus.api.etcdserverpb.WatchResponse;
import dev.consensus.store.mvcc.AlreadyAppliedException;
import dev.consensus.store.mvcc.EtcdException;
import dev.consensus.store.mvcc.LeaseInfo;
import dev.consensus.store.mvcc.MvccConfig;
import dev.consensus.store.mvcc.MvccStore;
import dev.consensus.store.mvcc.RaftPosition;
import dev.consensus.store.mvcc.RequestValidator;
import dev.consensus.store.mvcc.WatchListener;
import dev.consensus.store.mvcc.WatchStream;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The MVCC store, driven as the server will drive it: each request first through {@link
 * RequestValidator} (etcd's checks before Raft), then, if it writes, applied with the next Raft
 * index; reads and read-only txns are served without one. Each watch gets a stream of its own.
 */
public final class StoreTarget implements Target {

    private static final long TERM = 1;
    private static final Duration PHYSICAL_COMPACTION_WAIT = Duration.ofSeconds(10);

    private final Path dir;
    private final MvccConfig config;
    private final RequestValidator validator;
    private final List<Watch> watches = new ArrayList<>();
    private MvccStore store;
    private long index;
    private ModelOp lastWrite;
    private RaftPosition lastWritePosition;

    private record Watch(WatchStream stream, ItemLog log) {
    }

    public StoreTarget(Path dir, MvccConfig config) {
        this.dir = dir;
        this.config = config;
        this.validator = new RequestValidator(config);
        this.store = MvccStore.open(dir, config);
        this.index = store.appliedIndex();
    }

    @Override
    public String name() {
        return "store";
    }

    public MvccStore store() {
        return store;
    }

    @Override
    public Outcome run(ModelOp op) {
        try {
            return new Outcome.Ok(send(op));
        } catch (EtcdException e) {
            // Exactly the status the server will send for this error.
            Status status = e.error().status();
            return new Outcome.Failed(status.getCode(), status.getDescription());
        }
    }

    private Message send(ModelOp op) {
        return switch (op) {
            case ModelOp.Range r -> {
                validator.checkRange(r.request());
                yield store.range(r.request());
            }
            case ModelOp.Put p -> {
                validator.checkPut(p.request());
                yield store.put(write(op), p.request());
            }
            case ModelOp.DeleteRange d -> {
                validator.checkDeleteRange(d.request());
                yield store.deleteRange(write(op), d.request());
            }
            case ModelOp.Txn t -> {
                validator.checkTxn(t.request());
                yield readOnly(t.request()) ? store.readTxn(t.request()) : store.txn(write(op), t.request());
            }
            case ModelOp.Compact c -> {
                CompactionResponse response = store.compact(write(op), c.request());
                if (c.request().getPhysical()) {
                    awaitPhysicalCompaction();
                }
                yield response;
            }
            case ModelOp.LeaseGrant g -> store.leaseGrant(write(op), g.request());
            case ModelOp.LeaseRevoke r -> store.leaseRevoke(write(op), r.request());
            case ModelOp.LeaseTimeToLive t -> timeToLive(t.request());
            case ModelOp.WatchCreate w -> watch(w.request());
            case ModelOp.WatchCancel c -> {
                watches.get(c.watch()).stream().cancel(0);
                yield Empty.getDefaultInstance();
            }
            case ModelOp.WatchProgress p -> {
                watches.get(p.watch()).stream().requestProgress();
                yield Empty.getDefaultInstance();
            }
            case ModelOp.Reopen r -> throw new IllegalArgumentException("reopen goes through reopen()");
        };
    }

    /** Opens a stream of its own for the watch, as a client per watch would. */
    private Message watch(WatchCreateRequest request) {
        ItemLog log = new ItemLog();
        WatchStream stream = store.openWatchStream(listener(log));
        watches.add(new Watch(stream, log));
        stream.watch(request);
        return Empty.getDefaultInstance();
    }

    /** etcd serves a txn whose branches hold only ranges without Raft (isTxnReadonly). */
    static boolean readOnly(TxnRequest txn) {
        return txn.getSuccessList().stream().allMatch(RequestOp::hasRequestRange)
                && txn.getFailureList().stream().allMatch(RequestOp::hasRequestRange);
    }

    private RaftPosition write(ModelOp op) {
        lastWrite = op;
        lastWritePosition = new RaftPosition(++index, TERM);
        return lastWritePosition;
    }

    private void awaitPhysicalCompaction() {
        try {
            store.physicalCompaction().get(PHYSICAL_COMPACTION_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for the physical compaction", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("the physical compaction did not finish within " + PHYSICAL_COMPACTION_WAIT, e);
        }
    }

    /** The server's LeaseTimeToLive, less the remaining TTL (its clock, not the store's). */
    private LeaseTimeToLiveResponse timeToLive(LeaseTimeToLiveRequest request) {
        LeaseTimeToLiveResponse.Builder response = LeaseTimeToLiveResponse.newBuilder()
                .setHeader(ResponseHeader.newBuilder().setRevision(store.currentRevision()))
                .setID(request.getID());
        Optional<LeaseInfo> lease = store.lease(request.getID());
        if (lease.isEmpty()) {
            return response.setTTL(-1).build();
        }
        response.setTTL(lease.get().grantedTtlSeconds()).setGrantedTTL(lease.get().grantedTtlSeconds());
        if (request.getKeys()) {
            response.addAllKeys(lease.get().keys());
        }
        return response.build();
    }

    private static WatchListener listener(ItemLog log) {
        return new WatchListener() {
            @Override
            public void onResponse(WatchResponse response) {
                log.add(response);
            }

            @Override
            public void onClose() {
                log.end("the store closed the stream");
            }
        };
    }

    @Override
    public List<WatchItem> items(int watch) {
        return watches.get(watch).log().snapshot();
    }

    @Override
    public void awaitItems(int watch, int count, Duration timeout) {
        watches.get(watch).log().await(count, timeout);
    }

    /**
     * Closes and reopens the store. Applied index, revision and compact revision must survive
     * exactly, and the last write offered again with its old index must change nothing.
     */
    @Override
    public void reopen() {
        long applied = store.appliedIndex();
        long revision = store.currentRevision();
        long compacted = store.compactRevision();
        store.close();
        store = MvccStore.open(dir, config);
        check("applied index", applied, store.appliedIndex());
        check("revision", revision, store.currentRevision());
        check("compact revision", compacted, store.compactRevision());
        if (lastWrite != null) {
            replayLastWrite();
            check("revision after replaying an applied entry", revision, store.currentRevision());
            check("applied index after replaying an applied entry", applied, store.appliedIndex());
        }
    }

    private void replayLastWrite() {
        long saved = index;
        index = lastWritePosition.index() - 1;
        try {
            run(lastWrite);
            throw new AssertionError("offering the applied index " + lastWritePosition + " again was not refused");
        } catch (AlreadyAppliedException expected) {
            // The store ignored it, as it must.
        } finally {
            index = saved;
        }
    }

    private static void check(String what, long before, long after) {
        if (before != after) {
            throw new AssertionError(what + " was " + before + " before closing the store and " + after + " after");
        }
    }

    @Override
    public void close() {
        store.close();
    }
}
