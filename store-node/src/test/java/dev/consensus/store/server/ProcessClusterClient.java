package dev.consensus.store.server;

import dev.consensus.api.etcdserverpb.MaintenanceGrpc;
import dev.consensus.api.etcdserverpb.StatusRequest;
import dev.consensus.api.etcdserverpb.StatusResponse;
import dev.consensus.store.testing.StoreNodeCluster;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/** gRPC channels to a process cluster's members, and questions tests ask of them. */
final class ProcessClusterClient implements AutoCloseable {

    private final List<ManagedChannel> channels = new ArrayList<>();

    ManagedChannel channel(StoreNodeCluster.Member m) {
        URI url = URI.create(m.clientUrl());
        ManagedChannel c = NettyChannelBuilder.forAddress(url.getHost(), url.getPort()).usePlaintext().build();
        channels.add(c);
        return c;
    }

    Optional<StatusResponse> status(StoreNodeCluster.Member m) {
        try {
            return Optional.of(MaintenanceGrpc.newBlockingStub(channel(m)).withDeadlineAfter(2, TimeUnit.SECONDS)
                    .status(StatusRequest.getDefaultInstance()));
        } catch (StatusRuntimeException e) {
            return Optional.empty();
        }
    }

    /** The member that says it leads (its own id is the leader it reports), waiting up to {@code limit}. */
    StoreNodeCluster.Member awaitLeader(List<StoreNodeCluster.Member> among, Duration limit) {
        return Awaitility.await("a leader among " + among.stream().map(StoreNodeCluster.Member::name).toList())
                .atMost(limit).pollInterval(Duration.ofMillis(100))
                .until(() -> leaderAmong(among), Optional::isPresent).orElseThrow();
    }

    private Optional<StoreNodeCluster.Member> leaderAmong(List<StoreNodeCluster.Member> among) {
        for (StoreNodeCluster.Member m : among) {
            Optional<StatusResponse> s = status(m);
            if (s.isPresent() && s.get().getLeader() != 0 && s.get().getLeader() == s.get().getHeader().getMemberId()) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        channels.forEach(ManagedChannel::shutdownNow);
    }
}
