package dev.consensus.store.server;

import dev.consensus.store.raft.HardState;
import dev.consensus.store.raft.Message;
import dev.consensus.store.raft.RaftNode;
import dev.consensus.store.raft.Ready;
import dev.consensus.store.raft.SoftState;
import dev.consensus.store.storage.WalStorage;
import dev.consensus.store.transport.PeerTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns the Raft core. Everything that touches the core (ticks, peer
 * messages, proposals, reads, membership and leadership requests) arrives as a task; between
 * tasks the loop drains Readys: persist, send (a leader sends before its own fsync, thesis
 * 10.2.1), hand committed entries to the apply thread, advance. Tasks that arrive during an fsync
 * are handled together afterwards, so one fsync covers many proposals.
 */
final class RaftLoop {

    private static final Logger LOG = LoggerFactory.getLogger(RaftLoop.class);
    private static final int MAX_TASKS_PER_ROUND = 4096;

    /** A task that runs on the loop thread with the core in hand. */
    interface Task {
        void run(RaftNode node);
    }

    /** Where the loop reports what the outside must know. */
    interface Listener {
        void softStateChanged(SoftState previous, SoftState current);

        void committed(Ready ready);

        /** The loop died (storage failure or a bug); the member must stop, as etcd does. */
        void failed(Throwable cause);
    }

    private final RaftNode node;
    private final WalStorage storage;
    private final PeerTransport transport;
    private final Listener listener;
    private final long tickNanos;
    private final BlockingQueue<Task> inbox = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final Consumer<Long> fsyncNanos;
    private volatile boolean running = true;
    private SoftState softState;
    private HardState unsyncedHardState;

    RaftLoop(RaftNode node, WalStorage storage, PeerTransport transport, Listener listener, long tickMillis,
            Consumer<Long> fsyncNanos) {
        this.node = node;
        this.storage = storage;
        this.transport = transport;
        this.listener = listener;
        this.tickNanos = TimeUnit.MILLISECONDS.toNanos(tickMillis);
        this.fsyncNanos = fsyncNanos;
        this.softState = new SoftState(node.leaderId(), node.role());
        this.thread = Thread.ofPlatform().name("raft-" + Long.toHexString(node.id())).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** Queues a task; it runs on the loop thread. Tasks after {@link #stop()} are dropped. */
    void submit(Task task) {
        if (running) {
            inbox.add(task);
        }
    }

    boolean isLoopThread() {
        return Thread.currentThread() == thread;
    }

    void stop() {
        running = false;
        inbox.add(node -> { });
        if (!isLoopThread()) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        long nextTick = System.nanoTime() + tickNanos;
        List<Task> batch = new ArrayList<>();
        try {
            while (running) {
                long wait = nextTick - System.nanoTime();
                Task first = wait > 0 ? inbox.poll(wait, TimeUnit.NANOSECONDS) : inbox.poll();
                if (first != null) {
                    batch.add(first);
                    inbox.drainTo(batch, MAX_TASKS_PER_ROUND);
                    // Every queued task first, then one Ready: all the proposals and appends that
                    // arrived meanwhile share one WAL write and one fsync.
                    for (Task t : batch) {
                        if (!running) {
                            return;
                        }
                        t.run(node);
                    }
                    batch.clear();
                    drainReady();
                }
                long now = System.nanoTime();
                if (now - nextTick >= 0) {
                    node.tick();
                    drainReady();
                    nextTick += tickNanos;
                    if (now - nextTick > tickNanos) {
                        // Paused for longer than a tick (GC, SIGSTOP): do not fire a burst of ticks.
                        nextTick = now + tickNanos;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            if (running) {
                running = false;
                LOG.error("raft loop stopped: {}", t.toString(), t);
                listener.failed(t);
            }
        }
    }

    private void drainReady() {
        while (node.hasReady()) {
            Ready rd = node.ready();
            if (rd.softState() != null && !rd.softState().equals(softState)) {
                SoftState previous = softState;
                softState = rd.softState();
                listener.softStateChanged(previous, softState);
            }
            List<Message> afterPersist = rd.messages();
            if (rd.messagesMayPrecedePersist()) {
                send(rd.messages());
                afterPersist = List.of();
            } else if (!rd.messages().isEmpty()) {
                afterPersist = sendRequestsToLeader(rd.messages());
            }
            if (rd.snapshot() != null) {
                storage.applySnapshot(rd.snapshot());
            }
            persist(rd);
            send(afterPersist);
            if (rd.snapshot() != null || !rd.committedEntries().isEmpty() || !rd.readStates().isEmpty()) {
                listener.committed(rd);
            }
            node.advance();
        }
    }

    /**
     * Writes a Ready's entries and hard state. A hard state whose only change is the commit index
     * needs no fsync (etcd does not sync it either: a restarted member learns the commit index
     * from the leader again), so it waits for the next write that must be synced rather than
     * costing an fsync on the path of every commit.
     */
    private void persist(Ready rd) {
        HardState hardState = rd.hardState() != null ? rd.hardState() : unsyncedHardState;
        if (rd.entries().isEmpty() && !rd.mustSync()) {
            unsyncedHardState = hardState;
            return;
        }
        long start = System.nanoTime();
        storage.save(hardState, rd.entries());
        unsyncedHardState = null;
        fsyncNanos.accept(System.nanoTime() - start);
    }

    /**
     * Sends at once what only asks the leader for something (forwarded proposals, ReadIndex
     * requests): they vouch for nothing in this member's log or vote, so they need not wait for
     * its fsync, and a follower's clients would otherwise pay one more fsync per write. Returns
     * the rest, which must wait until the Ready is persisted.
     */
    private List<Message> sendRequestsToLeader(List<Message> messages) {
        List<Message> requests = new ArrayList<>();
        List<Message> rest = new ArrayList<>(messages.size());
        for (Message m : messages) {
            if (m instanceof Message.ForwardedProposal || m instanceof Message.ReadIndexRequest) {
                requests.add(m);
            } else {
                rest.add(m);
            }
        }
        send(requests);
        return rest;
    }

    private void send(List<Message> messages) {
        if (!messages.isEmpty()) {
            transport.send(messages);
        }
    }
}
