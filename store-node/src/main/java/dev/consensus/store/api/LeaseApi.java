package dev.consensus.store.api;

import dev.consensus.api.etcdserverpb.LeaseGrantRequest;
import dev.consensus.api.etcdserverpb.LeaseGrantResponse;
import dev.consensus.api.etcdserverpb.LeaseGrpc;
import dev.consensus.api.etcdserverpb.LeaseKeepAliveRequest;
import dev.consensus.api.etcdserverpb.LeaseKeepAliveResponse;
import dev.consensus.api.etcdserverpb.LeaseLeasesRequest;
import dev.consensus.api.etcdserverpb.LeaseLeasesResponse;
import dev.consensus.api.etcdserverpb.LeaseRevokeRequest;
import dev.consensus.api.etcdserverpb.LeaseRevokeResponse;
import dev.consensus.api.etcdserverpb.LeaseTimeToLiveRequest;
import dev.consensus.api.etcdserverpb.LeaseTimeToLiveResponse;
import dev.consensus.store.server.ForwardToLeader;
import dev.consensus.store.server.LeaseOperations;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/** etcd's Lease service; keep-alives and TTL queries on a follower go on to the leader. */
final class LeaseApi extends LeaseGrpc.LeaseImplBase {

    private final LeaseOperations leases;
    private final LeaderForwarder forwarder;

    LeaseApi(LeaseOperations leases, LeaderForwarder forwarder) {
        this.leases = leases;
        this.forwarder = forwarder;
    }

    @Override
    public void leaseGrant(LeaseGrantRequest request, StreamObserver<LeaseGrantResponse> observer) {
        Replies.unary(observer, () -> leases.grant(request));
    }

    @Override
    public void leaseRevoke(LeaseRevokeRequest request, StreamObserver<LeaseRevokeResponse> observer) {
        Replies.unary(observer, () -> leases.revoke(request));
    }

    @Override
    public void leaseTimeToLive(LeaseTimeToLiveRequest request, StreamObserver<LeaseTimeToLiveResponse> observer) {
        Replies.unary(observer, () -> {
            try {
                return CompletableFuture.completedFuture(leases.timeToLive(request));
            } catch (ForwardToLeader forward) {
                return Forwarding.unary(observer2 -> LeaseGrpc.newStub(forwarder.leader())
                        .withDeadlineAfter(LeaderForwarder.TIMEOUT_SECONDS, TimeUnit.SECONDS)
                        .leaseTimeToLive(request, observer2));
            }
        });
    }

    @Override
    public void leaseLeases(LeaseLeasesRequest request, StreamObserver<LeaseLeasesResponse> observer) {
        Replies.now(observer, leases::leases);
    }

    @Override
    public StreamObserver<LeaseKeepAliveRequest> leaseKeepAlive(StreamObserver<LeaseKeepAliveResponse> responses) {
        return new KeepAliveSession(responses);
    }

    /** One client keep-alive stream; answered here while this member leads, else relayed to the leader. */
    private final class KeepAliveSession implements StreamObserver<LeaseKeepAliveRequest> {
        private final StreamObserver<LeaseKeepAliveResponse> responses;
        private StreamObserver<LeaseKeepAliveRequest> relay;
        private boolean ended;

        KeepAliveSession(StreamObserver<LeaseKeepAliveResponse> responses) {
            this.responses = responses;
        }

        @Override
        public synchronized void onNext(LeaseKeepAliveRequest request) {
            if (ended) {
                return;
            }
            if (relay != null) {
                relay.onNext(request);
                return;
            }
            try {
                leases.keepAlive(request.getID()).whenComplete((response, error) -> answered(request, response, error));
            } catch (ForwardToLeader forward) {
                forward(request);
            } catch (RuntimeException e) {
                end(e);
            }
        }

        /** Keep-alives are answered once leadership is confirmed, on whichever thread confirmed it. */
        private synchronized void answered(LeaseKeepAliveRequest request, LeaseKeepAliveResponse response,
                Throwable error) {
            if (ended) {
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause == null) {
                responses.onNext(response);
            } else if (cause instanceof ForwardToLeader) {
                forward(request);
            } else {
                end(cause);
            }
        }

        /** This member does not lead (any more): from now on the stream is relayed to the leader. */
        private synchronized void forward(LeaseKeepAliveRequest request) {
            if (relay == null) {
                try {
                    relay = LeaseGrpc.newStub(forwarder.leader()).leaseKeepAlive(new Relay());
                } catch (RuntimeException e) {
                    end(e);
                    return;
                }
            }
            relay.onNext(request);
        }

        private synchronized void end(Throwable error) {
            if (!ended) {
                ended = true;
                responses.onError(Replies.toStatus(error));
                if (relay != null) {
                    relay.onCompleted();
                }
            }
        }

        @Override
        public synchronized void onError(Throwable t) {
            ended = true;
            if (relay != null) {
                relay.onError(t);
            }
        }

        @Override
        public synchronized void onCompleted() {
            if (relay != null) {
                relay.onCompleted();
            } else if (!ended) {
                ended = true;
                responses.onCompleted();
            }
        }

        private final class Relay implements StreamObserver<LeaseKeepAliveResponse> {
            @Override
            public void onNext(LeaseKeepAliveResponse value) {
                synchronized (KeepAliveSession.this) {
                    if (!ended) {
                        responses.onNext(value);
                    }
                }
            }

            @Override
            public void onError(Throwable t) {
                end(t);
            }

            @Override
            public void onCompleted() {
                synchronized (KeepAliveSession.this) {
                    if (!ended) {
                        ended = true;
                        responses.onCompleted();
                    }
                }
            }
        }
    }
}
