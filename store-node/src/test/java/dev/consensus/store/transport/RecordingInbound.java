package dev.consensus.store.transport;

import static org.assertj.core.api.Assertions.fail;

import dev.consensus.store.cluster.ClusterInfo;
import dev.consensus.store.raft.Message;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A {@link PeerInbound} that records every call, for tests to take in order with bounded waits. */
final class RecordingInbound implements PeerInbound {

    /** A test fails if what it waits for has not happened by then; it never waits on a clock otherwise. */
    static final long WAIT_SECONDS = 20;

    record SnapshotReport(long memberId, boolean delivered) {}

    record ReceivedSnapshot(Message.InstallSnapshot message, Path dir) {}

    final BlockingQueue<List<Message>> batches = new LinkedBlockingQueue<>();
    final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<ReceivedSnapshot> snapshots = new LinkedBlockingQueue<>();
    final BlockingQueue<Long> unreachable = new LinkedBlockingQueue<>();
    final BlockingQueue<Long> connectionLost = new LinkedBlockingQueue<>();
    final BlockingQueue<SnapshotReport> snapshotReports = new LinkedBlockingQueue<>();
    final BlockingQueue<Long> removedBy = new LinkedBlockingQueue<>();
    final Set<Long> removed = ConcurrentHashMap.newKeySet();
    volatile ClusterInfo cluster;

    @Override
    public void receive(List<Message> received) {
        batches.add(received);
        messages.addAll(received);
    }

    @Override
    public void receiveSnapshot(Message.InstallSnapshot message, Path checkpointDir) {
        snapshots.add(new ReceivedSnapshot(message, checkpointDir));
    }

    @Override
    public void unreachable(long memberId) {
        unreachable.add(memberId);
    }

    @Override
    public void connectionLost(long memberId) {
        connectionLost.add(memberId);
    }

    @Override
    public void snapshotReported(long memberId, boolean delivered) {
        snapshotReports.add(new SnapshotReport(memberId, delivered));
    }

    @Override
    public void removedFromCluster(long byMemberId) {
        removedBy.add(byMemberId);
    }

    @Override
    public ClusterInfo clusterInfo() {
        return cluster;
    }

    @Override
    public boolean isRemoved(long memberId) {
        return removed.contains(memberId);
    }

    /** The next item, or a failure naming what did not come. */
    static <T> T next(BlockingQueue<T> queue, String what) {
        try {
            T item = queue.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            if (item == null) {
                fail(what + " did not happen within " + WAIT_SECONDS + "s");
            }
            return item;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next {@code count} messages, in the order they arrived. */
    List<Message> nextMessages(int count) {
        List<Message> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(next(messages, "message " + (i + 1) + " of " + count));
        }
        return out;
    }
}
