package dev.consensus.store.api;

import dev.consensus.api.etcdserverpb.WatchGrpc;
import dev.consensus.api.etcdserverpb.WatchRequest;
import dev.consensus.api.etcdserverpb.WatchResponse;
import dev.consensus.store.mvcc.WatchListener;
import dev.consensus.store.mvcc.WatchStream;
import dev.consensus.store.server.ServerError;
import dev.consensus.store.server.StoreServer;
import io.grpc.stub.StreamObserver;

/**
 * etcd's Watch service: one store watch stream per gRPC stream, many watches on each. When the
 * store ends a stream (a snapshot from the leader replaced the state, or the member stops) the
 * call ends with "unavailable", and etcd clients reconnect and resume from their last revision.
 */
final class WatchApi extends WatchGrpc.WatchImplBase {

    private final StoreServer server;
    private final WatchHeaders headers;

    WatchApi(StoreServer server) {
        this.server = server;
        this.headers = new WatchHeaders(server);
    }

    @Override
    public StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> responses) {
        if (server.isLearner()) {
            responses.onError(ServerError.NOT_SUPPORTED_FOR_LEARNER.status().asRuntimeException());
            return new Ignoring<>();
        }
        Session session = new Session(responses);
        try {
            session.stream = server.watchStream(session);
        } catch (RuntimeException e) {
            responses.onError(Replies.toStatus(e));
            return new Ignoring<>();
        }
        return session;
    }

    private final class Session implements StreamObserver<WatchRequest>, WatchListener {
        private final StreamObserver<WatchResponse> responses;
        private volatile WatchStream stream;
        private boolean ended;
        private volatile boolean clientEnded;

        Session(StreamObserver<WatchResponse> responses) {
            this.responses = responses;
        }

        @Override
        public void onNext(WatchRequest request) {
            WatchStream s = stream;
            if (s == null) {
                return;
            }
            switch (request.getRequestUnionCase()) {
                case CREATE_REQUEST -> s.watch(request.getCreateRequest());
                case CANCEL_REQUEST -> s.cancel(request.getCancelRequest().getWatchId());
                case PROGRESS_REQUEST -> s.requestProgress();
                default -> { }
            }
        }

        @Override
        public void onError(Throwable t) {
            close();
        }

        @Override
        public void onCompleted() {
            close();
        }

        private void close() {
            clientEnded = true;
            WatchStream s = stream;
            if (s != null) {
                s.close();
            }
        }

        @Override
        public void onResponse(WatchResponse response) {
            synchronized (this) {
                if (!ended) {
                    responses.onNext(headers.fill(response));
                }
            }
        }

        @Override
        public void onClose() {
            synchronized (this) {
                if (!ended) {
                    ended = true;
                    try {
                        if (clientEnded) {
                            responses.onCompleted();
                        } else {
                            responses.onError(ServerError.STOPPED.status().asRuntimeException());
                        }
                    } catch (RuntimeException alreadyClosed) {
                        // The client went away first.
                    }
                }
            }
        }
    }

    static final class Ignoring<T> implements StreamObserver<T> {
        @Override
        public void onNext(T value) { }

        @Override
        public void onError(Throwable t) { }

        @Override
        public void onCompleted() { }
    }
}
