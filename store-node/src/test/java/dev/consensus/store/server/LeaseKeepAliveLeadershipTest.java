package dev.consensus.store.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.api.etcdserverpb.LeaseGrantRequest;
import dev.consensus.api.etcdserverpb.LeaseGrpc;
import dev.consensus.api.etcdserverpb.LeaseKeepAliveRequest;
import dev.consensus.api.etcdserverpb.LeaseKeepAliveResponse;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A keep-alive is acknowledged only by a leader that a quorum still follows. Found by the fault
 * harness (mixed, seed 13): an old leader resumed after SIGSTOP renewed a lease in its own memory
 * while a new leader, which never heard of the renewal, expired it 0.4 s after the client was
 * told it lived.
 */
class LeaseKeepAliveLeadershipTest {

    private static final long ANSWER_WAIT_SECONDS = 30;

    @TempDir
    Path dir;

    @Test
    void aLeaderCutOffFromItsFollowersDoesNotAcknowledgeAKeepAliveOnItsOwn() throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(dir).start(3)) {
            InProcessCluster.Node leader = cluster.awaitLeader();
            ManagedChannel channel = cluster.channel(leader);
            long id = LeaseGrpc.newBlockingStub(channel).leaseGrant(LeaseGrantRequest.newBuilder().setTTL(30).build())
                    .getID();

            cluster.hub.isolate(leader.server().memberId());
            Object first = keepAliveOnce(channel, id);
            assertThat(first).as("the cut-off leader's answer to a keep-alive")
                    .isNotInstanceOf(LeaseKeepAliveResponse.class)
                    .isInstanceOf(StatusRuntimeException.class);

            cluster.hub.heal(leader.server().memberId());
            cluster.awaitLeader();
            InProcessCluster.await(() -> keepAliveOnce(channel, id) instanceof LeaseKeepAliveResponse r && r.getTTL() == 30,
                    Duration.ofSeconds(ANSWER_WAIT_SECONDS),
                    "a keep-alive through the old leader, once healed, renewing the lease with the real leader");
        }
    }

    /** The first thing the stream gives back for one keep-alive: a response, an error, or "completed". */
    private static Object keepAliveOnce(ManagedChannel channel, long id) {
        BlockingQueue<Object> answers = new LinkedBlockingQueue<>();
        StreamObserver<LeaseKeepAliveRequest> stream = LeaseGrpc.newStub(channel)
                .leaseKeepAlive(new StreamObserver<>() {
                    @Override
                    public void onNext(LeaseKeepAliveResponse value) {
                        answers.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        answers.add(t);
                    }

                    @Override
                    public void onCompleted() {
                        answers.add("completed");
                    }
                });
        stream.onNext(LeaseKeepAliveRequest.newBuilder().setID(id).build());
        try {
            Object first = answers.poll(ANSWER_WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(first).as("an answer to a keep-alive within %d s", ANSWER_WAIT_SECONDS).isNotNull();
            return first;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            stream.onCompleted();
        }
    }
}
