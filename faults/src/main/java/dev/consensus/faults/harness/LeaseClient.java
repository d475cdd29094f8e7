package dev.consensus.faults.harness;

import com.google.protobuf.ByteString;
import dev.consensus.api.etcdserverpb.KVGrpc;
import dev.consensus.api.etcdserverpb.LeaseGrantRequest;
import dev.consensus.api.etcdserverpb.LeaseGrantResponse;
import dev.consensus.api.etcdserverpb.LeaseGrpc;
import dev.consensus.api.etcdserverpb.LeaseKeepAliveRequest;
import dev.consensus.api.etcdserverpb.LeaseKeepAliveResponse;
import dev.consensus.api.etcdserverpb.LeaseRevokeRequest;
import dev.consensus.api.etcdserverpb.PutRequest;
import dev.consensus.api.etcdserverpb.PutResponse;
import dev.consensus.faults.history.Call;
import dev.consensus.faults.history.HistoryRecorder;
import dev.consensus.faults.history.Outcome;
import io.grpc.stub.StreamObserver;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One client of the lease workload: grants a short lease with an ID it chose (so even a grant
 * whose answer was lost names its lease), puts a key of its own under it, reads the key, keeps
 * the lease alive a few times, then revokes it or lets it expire and reads again. The lease
 * checker judges these keys; they live under {@code l/}, apart from the register keys.
 */
final class LeaseClient implements Runnable {

    private final RunContext ctx;
    private final String name;
    private final int index;
    private final Random random;
    private int member;
    private int round;

    LeaseClient(RunContext ctx, String name, int index) {
        this.ctx = ctx;
        this.name = name;
        this.index = index;
        this.random = ctx.random(name);
        this.member = ctx.pickMember(random);
    }

    @Override
    public void run() {
        while (!ctx.stop.get()) {
            round++;
            long leaseId = ((long) (index + 1) << 32) | round;
            long ttl = 2 + random.nextInt(2);
            if (!ctx.nextOperation() || !grant(leaseId, ttl)) {
                moveOn();
                continue;
            }
            String key = "l/" + name + "-" + round;
            if (!ctx.nextOperation() || !put(key, name + "-" + round, leaseId)) {
                moveOn();
                continue;
            }
            boolean revoke = random.nextBoolean();
            int steps = 2 + random.nextInt(4);
            for (int i = 0; i < steps && !ctx.stop.get(); i++) {
                NodeProcess.sleep(200 + random.nextInt(400));
                if (!ctx.nextOperation()) {
                    break;
                }
                boolean answered = random.nextBoolean() ? read(key) : keepAlive(leaseId);
                if (!answered) {
                    member = ctx.otherMember(random, member);
                }
            }
            if (revoke) {
                if (ctx.nextOperation()) {
                    revoke(leaseId);
                }
            } else {
                NodeProcess.sleep(ttl * 1000 + 500 + random.nextInt(1000)); // let it expire
            }
            if (ctx.nextOperation()) {
                read(key);
            }
        }
    }

    private void moveOn() {
        member = ctx.otherMember(random, member);
        NodeProcess.sleep(100);
    }

    private long deadlineMillis() {
        return ctx.options.opTimeout().toMillis();
    }

    private boolean grant(long leaseId, long ttl) {
        HistoryRecorder.Pending p = ctx.recorder.invoke(name, new Call.LeaseGrant(leaseId, ttl));
        try {
            LeaseGrantResponse r = LeaseGrpc.newBlockingStub(ctx.cluster.channel(member))
                    .withDeadlineAfter(deadlineMillis(), TimeUnit.MILLISECONDS)
                    .leaseGrant(LeaseGrantRequest.newBuilder().setID(leaseId).setTTL(ttl).build());
            p.ok(Outcome.Ok.granted(r.getID(), r.getTTL(), r.getHeader().getRevision()));
            return true;
        } catch (RuntimeException e) {
            Errors.complete(p, e);
            return false;
        }
    }

    private boolean put(String key, String value, long leaseId) {
        HistoryRecorder.Pending p = ctx.recorder.invoke(name, new Call.Write(key, value, leaseId));
        try {
            PutResponse r = KVGrpc.newBlockingStub(ctx.cluster.channel(member))
                    .withDeadlineAfter(deadlineMillis(), TimeUnit.MILLISECONDS)
                    .put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key))
                            .setValue(ByteString.copyFromUtf8(value)).setLease(leaseId).build());
            p.ok(Outcome.Ok.written(r.getHeader().getRevision()));
            return true;
        } catch (RuntimeException e) {
            Errors.complete(p, e);
            return false;
        }
    }

    private boolean read(String key) {
        return RegisterClient.read(ctx, name, member, key, Call.ReadMode.LINEARIZABLE, null);
    }

    private void revoke(long leaseId) {
        HistoryRecorder.Pending p = ctx.recorder.invoke(name, new Call.LeaseRevoke(leaseId));
        try {
            var r = LeaseGrpc.newBlockingStub(ctx.cluster.channel(member))
                    .withDeadlineAfter(deadlineMillis(), TimeUnit.MILLISECONDS)
                    .leaseRevoke(LeaseRevokeRequest.newBuilder().setID(leaseId).build());
            p.ok(Outcome.Ok.revoked(r.getHeader().getRevision()));
        } catch (RuntimeException e) {
            Errors.complete(p, e);
            member = ctx.pickMember(random);
        }
    }

    /** One request and its answer on a keep-alive stream of its own. */
    private boolean keepAlive(long leaseId) {
        HistoryRecorder.Pending p = ctx.recorder.invoke(name, new Call.LeaseKeepAlive(leaseId));
        CompletableFuture<LeaseKeepAliveResponse> answer = new CompletableFuture<>();
        StreamObserver<LeaseKeepAliveRequest> stream = LeaseGrpc.newStub(ctx.cluster.channel(member))
                .withDeadlineAfter(deadlineMillis(), TimeUnit.MILLISECONDS)
                .leaseKeepAlive(new StreamObserver<>() {
                    @Override
                    public void onNext(LeaseKeepAliveResponse value) {
                        answer.complete(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        answer.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        answer.completeExceptionally(new IllegalStateException("keep-alive stream ended unanswered"));
                    }
                });
        try {
            stream.onNext(LeaseKeepAliveRequest.newBuilder().setID(leaseId).build());
            LeaseKeepAliveResponse r = answer.get(deadlineMillis() + 500, TimeUnit.MILLISECONDS);
            p.ok(Outcome.Ok.keptAlive(r.getTTL(), r.getHeader().getRevision()));
            stream.onCompleted();
            return true;
        } catch (ExecutionException e) {
            Errors.complete(p, e.getCause());
            return false;
        } catch (TimeoutException | RuntimeException e) {
            p.indeterminate(e.toString());
            stream.onError(new RuntimeException("gave up"));
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.indeterminate("interrupted");
            return false;
        }
    }
}
