package dev.consensus.faults.harness;

import com.google.protobuf.ByteString;
import dev.consensus.api.etcdserverpb.KVGrpc;
import dev.consensus.api.etcdserverpb.RangeRequest;
import dev.consensus.api.etcdserverpb.WatchCreateRequest;
import dev.consensus.api.etcdserverpb.WatchGrpc;
import dev.consensus.api.etcdserverpb.WatchProgressRequest;
import dev.consensus.api.etcdserverpb.WatchRequest;
import dev.consensus.api.etcdserverpb.WatchResponse;
import dev.consensus.api.mvccpb.Event;
import dev.consensus.faults.history.WatchEvent;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One watcher of the register keys (the prefix {@code k/}). It starts at an explicit revision
 * and, whenever its stream breaks or goes quiet on a member that stopped answering, resumes on
 * another member at the last revision it saw plus one, recording each (re)start; every event
 * and progress notification goes into the history for the watch checker.
 */
final class Watcher implements Runnable {

    static final String PREFIX = "k/";
    private static final Object CLOSED = new Object();

    private final RunContext ctx;
    private final String name;
    private final Random random;
    private volatile long target = Long.MAX_VALUE;
    private volatile long known;
    private long lastEvent;

    Watcher(RunContext ctx, String name) {
        this.ctx = ctx;
        this.name = name;
        this.random = ctx.random(name);
    }

    /** After the final reads: catch up to {@code revision} (bounded), then stop. */
    void finish(long revision) {
        target = revision;
    }

    /** The highest revision this watcher is known to have been sent. */
    long known() {
        return known;
    }

    @Override
    public void run() {
        int member = ctx.pickMember(random);
        long from = startRevision(member);
        long finishDeadline = 0;
        while (true) {
            LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
            StreamObserver<WatchRequest> requests = open(member, from, inbox);
            long quietSince = System.nanoTime();
            boolean broken = false;
            while (!broken) {
                if (target != Long.MAX_VALUE) {
                    if (finishDeadline == 0) {
                        finishDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                    }
                    if (known >= target || System.nanoTime() > finishDeadline) {
                        requests.onCompleted();
                        return;
                    }
                    send(requests, WatchRequest.newBuilder()
                            .setProgressRequest(WatchProgressRequest.getDefaultInstance()).build());
                }
                Object next = poll(inbox);
                if (next == CLOSED) {
                    broken = true;
                } else if (next instanceof WatchResponse r) {
                    quietSince = System.nanoTime();
                    broken = handle(r);
                } else if (target != Long.MAX_VALUE
                        && System.nanoTime() - quietSince > TimeUnit.SECONDS.toNanos(3)) {
                    broken = true; // its member stopped answering (paused, cut off): go elsewhere
                }
            }
            requests.onError(new RuntimeException("watcher moves to another member"));
            NodeProcess.sleep(100 + random.nextInt(200));
            member = ctx.pickMember(random);
            from = lastEvent > 0 ? lastEvent + 1 : from;
        }
    }

    /** True when the stream is finished with (canceled by the server). */
    private boolean handle(WatchResponse r) {
        if (r.getCanceled()) {
            return true;
        }
        if (r.getEventsCount() == 0) {
            if (!r.getCreated()) {
                ctx.recorder.watchProgress(name, r.getHeader().getRevision());
                known = Math.max(known, r.getHeader().getRevision());
            }
            return false;
        }
        for (Event e : r.getEventsList()) {
            String key = e.getKv().getKey().toStringUtf8();
            long revision = e.getKv().getModRevision();
            if (e.getType() == Event.EventType.DELETE) {
                ctx.recorder.watchEvent(name, key, revision, WatchEvent.Type.DELETE, null);
            } else {
                ctx.recorder.watchEvent(name, key, revision, WatchEvent.Type.PUT, e.getKv().getValue().toStringUtf8());
            }
            lastEvent = Math.max(lastEvent, revision);
            known = Math.max(known, revision);
        }
        return false;
    }

    private long startRevision(int member) {
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                return KVGrpc.newBlockingStub(ctx.cluster.channel(member)).withDeadlineAfter(2, TimeUnit.SECONDS)
                        .range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8(PREFIX)).build())
                        .getHeader().getRevision() + 1;
            } catch (RuntimeException e) {
                member = ctx.pickMember(random);
            }
        }
        return 1;
    }

    private StreamObserver<WatchRequest> open(int member, long from, LinkedBlockingQueue<Object> inbox) {
        ctx.recorder.watchStart(name, PREFIX, true, from);
        StreamObserver<WatchRequest> requests = WatchGrpc.newStub(ctx.cluster.channel(member))
                .watch(new StreamObserver<>() {
                    @Override
                    public void onNext(WatchResponse value) {
                        inbox.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        inbox.add(CLOSED);
                    }

                    @Override
                    public void onCompleted() {
                        inbox.add(CLOSED);
                    }
                });
        byte[] end = PREFIX.getBytes(StandardCharsets.UTF_8);
        end[end.length - 1]++;
        send(requests, WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8(PREFIX)).setRangeEnd(ByteString.copyFrom(end))
                .setStartRevision(from).setProgressNotify(true)).build());
        return requests;
    }

    private static void send(StreamObserver<WatchRequest> requests, WatchRequest r) {
        try {
            requests.onNext(r);
        } catch (RuntimeException closed) {
            // The stream already failed; the inbox has CLOSED.
        }
    }

    private static Object poll(LinkedBlockingQueue<Object> inbox) {
        try {
            return inbox.poll(300, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CLOSED;
        }
    }
}
