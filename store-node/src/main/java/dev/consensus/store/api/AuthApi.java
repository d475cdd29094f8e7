package dev.consensus.store.api;

import dev.consensus.api.etcdserverpb.AuthGrpc;
import dev.consensus.api.etcdserverpb.AuthStatusRequest;
import dev.consensus.api.etcdserverpb.AuthStatusResponse;
import dev.consensus.api.etcdserverpb.AuthenticateRequest;
import dev.consensus.api.etcdserverpb.AuthenticateResponse;
import dev.consensus.store.server.ServerError;
import dev.consensus.store.server.StoreServer;
import io.grpc.stub.StreamObserver;

/**
 * Authentication is not offered (yet): status says it is off, and logging in gets etcd's answer
 * for a cluster without auth. Every other Auth call is UNIMPLEMENTED.
 */
final class AuthApi extends AuthGrpc.AuthImplBase {

    private final StoreServer server;

    AuthApi(StoreServer server) {
        this.server = server;
    }

    @Override
    public void authStatus(AuthStatusRequest request, StreamObserver<AuthStatusResponse> observer) {
        observer.onNext(AuthStatusResponse.newBuilder()
                .setHeader(dev.consensus.api.etcdserverpb.ResponseHeader.newBuilder()
                        .setClusterId(server.clusterId()).setMemberId(server.memberId()).setRaftTerm(server.term()))
                .setEnabled(false).build());
        observer.onCompleted();
    }

    @Override
    public void authenticate(AuthenticateRequest request, StreamObserver<AuthenticateResponse> observer) {
        observer.onError(ServerError.AUTH_NOT_ENABLED.status().asRuntimeException());
    }
}
