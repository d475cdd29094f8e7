package dev.consensus.store.mvcc.compat;

import com.google.protobuf.Empty;
import com.google.protobuf.Message;
import dev.consensus.api.etcdserverpb.WatchCancelRequest;
import dev.consensus.api.etcdserverpb.WatchProgressRequest;
import dev.consensus.api.etcdserverpb.WatchRequest;
import dev.consensus.api.etcdserverpb.WatchResponse;
import dev.consensus.store.mvcc.model.ItemLog;
import dev.consensus.store.mvcc.model.ModelOp;
import dev.consensus.store.mvcc.model.Outcome;
import dev.consensus.store.mvcc.model.Target;
import dev.consensus.store.mvcc.model.WatchItem;
import dev.consensus.store.testing.EtcdProcess;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real etcd as a {@link Target}: every operation through our generated gRPC stubs, each watch
 * on a Watch stream of its own. Errors come back as the gRPC status a client sees.
 */
final class EtcdTarget implements Target {

    private final EtcdProcess etcd;
    private final List<Stream> streams = new ArrayList<>();

    private record Stream(StreamObserver<WatchRequest> requests, ItemLog log) {
    }

    EtcdTarget(EtcdProcess etcd) {
        this.etcd = etcd;
    }

    @Override
    public String name() {
        return "etcd";
    }

    @Override
    public Outcome run(ModelOp op) {
        try {
            return new Outcome.Ok(send(op));
        } catch (StatusRuntimeException e) {
            return new Outcome.Failed(e.getStatus().getCode(), e.getStatus().getDescription());
        }
    }

    private Message send(ModelOp op) {
        return switch (op) {
            case ModelOp.Range r -> etcd.kv().range(r.request());
            case ModelOp.Put p -> etcd.kv().put(p.request());
            case ModelOp.DeleteRange d -> etcd.kv().deleteRange(d.request());
            case ModelOp.Txn t -> etcd.kv().txn(t.request());
            case ModelOp.Compact c -> etcd.kv().compact(c.request());
            case ModelOp.LeaseGrant g -> etcd.lease().leaseGrant(g.request());
            case ModelOp.LeaseRevoke r -> etcd.lease().leaseRevoke(r.request());
            case ModelOp.LeaseTimeToLive t -> etcd.lease().leaseTimeToLive(t.request());
            case ModelOp.WatchCreate w -> {
                ItemLog log = new ItemLog();
                StreamObserver<WatchRequest> requests = etcd.watch().watch(observer(log));
                streams.add(new Stream(requests, log));
                requests.onNext(WatchRequest.newBuilder().setCreateRequest(w.request()).build());
                yield Empty.getDefaultInstance();
            }
            case ModelOp.WatchCancel c -> {
                streams.get(c.watch()).requests().onNext(WatchRequest.newBuilder()
                        .setCancelRequest(WatchCancelRequest.newBuilder().setWatchId(0)).build());
                yield Empty.getDefaultInstance();
            }
            case ModelOp.WatchProgress p -> {
                streams.get(p.watch()).requests().onNext(WatchRequest.newBuilder()
                        .setProgressRequest(WatchProgressRequest.getDefaultInstance()).build());
                yield Empty.getDefaultInstance();
            }
            case ModelOp.Reopen r -> throw new UnsupportedOperationException("etcd is not restarted here");
        };
    }

    private static StreamObserver<WatchResponse> observer(ItemLog log) {
        return new StreamObserver<>() {
            @Override
            public void onNext(WatchResponse response) {
                log.add(response);
            }

            @Override
            public void onError(Throwable error) {
                log.end("the stream failed: " + error);
            }

            @Override
            public void onCompleted() {
                log.end("etcd ended the stream");
            }
        };
    }

    @Override
    public List<WatchItem> items(int watch) {
        return streams.get(watch).log().snapshot();
    }

    @Override
    public void awaitItems(int watch, int count, Duration timeout) {
        streams.get(watch).log().await(count, timeout);
    }

    @Override
    public void reopen() {
        throw new UnsupportedOperationException("etcd is not restarted here");
    }

    /** Ends our side of every watch stream; the process itself belongs to the caller. */
    @Override
    public void close() {
        for (Stream stream : streams) {
            try {
                stream.requests().onCompleted();
            } catch (RuntimeException alreadyClosed) {
                // The stream failed earlier; nothing to end.
            }
        }
    }
}
