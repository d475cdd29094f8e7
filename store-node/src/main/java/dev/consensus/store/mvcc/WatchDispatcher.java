package dev.consensus.store.mvcc;

import dev.consensus.api.mvccpb.Event;
import dev.consensus.api.mvccpb.KeyValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine of one watch stream: a virtual thread that pulls history from the store and hands
 * messages to the stream's sink, one at a time, in order. Watchers never get events pushed by the
 * apply path; each remembers the next revision it needs and the dispatcher reads forward from
 * there whenever the store's revision has moved. So a watch from the past and a live watch are
 * the same thing, nothing is skipped or sent twice, and the apply thread only ever wakes the
 * dispatcher. A slow sink slows its own stream only.
 *
 * <p>Create, cancel and progress requests from other threads are queued as commands and run on
 * the dispatcher thread, so a watch's created message always precedes its events.
 */
final class WatchDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(WatchDispatcher.class);

    static final String RANGE_EMPTY = "mvcc: watcher range is empty";
    static final String DUPLICATE_ID = "mvcc: duplicate watch ID provided on the WatchStream";

    private sealed interface Command {
        record Create(Watcher watcher) implements Command { }
        record Refuse(String reason) implements Command { }
        record Cancel(long watchId) implements Command { }
        record ProgressAll() implements Command { }
        record ProgressTick() implements Command { }
    }

    private final KvStore store;
    private final Consumer<StreamMessage> sink;
    private final int batchMaxRevisions;
    private final Consumer<WatchDispatcher> onClose;
    private final Queue<Command> commands = new ConcurrentLinkedQueue<>();
    private final Semaphore wake = new Semaphore(0);
    private final Set<Long> ids = new HashSet<>();
    private final Map<Long, Watcher> watchers = new LinkedHashMap<>();
    private final Thread thread;
    private long nextId;
    private boolean progressRequested;
    private volatile boolean closed;
    /** watch() calls between reading the store's revision and queueing their create command. */
    private final AtomicInteger creating = new AtomicInteger();
    /**
     * The lowest next revision of the watchers that reached the head, as last published by the
     * dispatcher thread. It only ever trails the truth downwards (revisions only grow, and a
     * watcher reaches the head above every revision compacted before), so a compaction that
     * sees it above its revision knows no caught-up watcher needs what it removes.
     */
    private volatile long caughtUpFloor = Long.MAX_VALUE;

    WatchDispatcher(KvStore store, Consumer<StreamMessage> sink, int batchMaxRevisions,
            Consumer<WatchDispatcher> onClose) {
        this.store = store;
        this.sink = sink;
        this.batchMaxRevisions = batchMaxRevisions;
        this.onClose = onClose;
        this.thread = Thread.ofVirtual().name("mvcc-watch-stream").unstarted(this::loop);
    }

    void start() {
        thread.start();
    }

    /** Registers a watch and returns its id, or -1 when refused (the sink is told why). */
    long watch(WatchSpec spec) {
        if (closed) {
            throw new IllegalStateException("the watch stream is closed");
        }
        String refusal = null;
        long id = -1;
        synchronized (ids) {
            if (spec.startRevision() < 0) {
                refusal = EtcdError.COMPACTED.message();
            } else if (spec.range().kind() == KeyRange.Kind.INTERVAL && spec.range().isEmpty()) {
                refusal = RANGE_EMPTY;
            } else if (spec.watchId() != 0 && ids.contains(spec.watchId())) {
                refusal = DUPLICATE_ID;
            } else {
                id = spec.watchId() != 0 ? spec.watchId() : freeId();
                ids.add(id);
            }
        }
        if (refusal != null) {
            submit(new Command.Refuse(refusal));
            return -1;
        }
        creating.incrementAndGet();
        try {
            long current = store.currentRevision();
            long start = spec.startRevision() == 0 ? current + 1 : spec.startRevision();
            Watcher watcher = new Watcher(id, spec, start);
            watcher.reachedHead = start > current;
            submit(new Command.Create(watcher));
        } finally {
            creating.decrementAndGet();
        }
        return id;
    }

    /**
     * No caught-up watcher of this stream, created or being created, needs history at or below
     * {@code revision}. Any thread may ask.
     */
    boolean caughtUpPast(long revision) {
        return closed || (creating.get() == 0 && commands.isEmpty() && caughtUpFloor > revision);
    }

    /** Cancels a watch; false (and no message) if the stream has no such watch. */
    boolean cancel(long watchId) {
        synchronized (ids) {
            if (!ids.remove(watchId)) {
                return false;
            }
        }
        submit(new Command.Cancel(watchId));
        return true;
    }

    /** etcd's progress request: one message with id -1 once every watch of the stream is caught up. */
    void requestProgress() {
        submit(new Command.ProgressAll());
    }

    /** The server's periodic tick for watches created with progress_notify. */
    void progressTick() {
        submit(new Command.ProgressTick());
    }

    /** The store has a new revision; cheap and never blocks. */
    void wake() {
        if (wake.availablePermits() == 0) {
            wake.release();
        }
    }

    /** Stops the thread; waits a bounded time for a sink call in progress to return. */
    void close() {
        closed = true;
        wake.release();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private long freeId() {
        while (ids.contains(nextId)) {
            nextId++;
        }
        return nextId++;
    }

    private void submit(Command command) {
        commands.add(command);
        wake();
    }

    private void loop() {
        try {
            while (!closed) {
                wake.drainPermits();
                boolean busy = runCommands();
                busy |= catchUp();
                publishFloor();
                answerProgress();
                if (!busy && commands.isEmpty()) {
                    wake.acquire();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IllegalStateException storeClosed) {
            LOG.debug("watch stream stops: {}", storeClosed.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("watch stream stops after an error", e);
        } finally {
            closed = true;
            onClose.accept(this);
        }
    }

    private boolean runCommands() {
        boolean any = false;
        // Peek, run, then remove: a create leaves the queue only once its watcher is counted in
        // the published floor, so caughtUpPast never misses it in between.
        for (Command command = commands.peek(); command != null; commands.poll(), command = commands.peek()) {
            any = true;
            long current = store.currentRevision();
            switch (command) {
                case Command.Create create -> {
                    watchers.put(create.watcher().id, create.watcher());
                    publishFloor();
                    sink.accept(new StreamMessage.Created(create.watcher().id, current));
                }
                case Command.Refuse refuse -> sink.accept(new StreamMessage.Refused(refuse.reason(), current));
                case Command.Cancel cancel -> {
                    if (watchers.remove(cancel.watchId()) != null) {
                        sink.accept(new StreamMessage.Canceled(cancel.watchId(), current));
                    }
                }
                case Command.ProgressAll all -> progressRequested = !watchers.isEmpty();
                case Command.ProgressTick tick -> tickProgress(current);
            }
        }
        return any;
    }

    /** Reads and sends one batch of history; true when some watcher may still be behind. */
    private boolean catchUp() {
        long target = store.currentRevision();
        long compacted = store.compactRevision();
        List<Watcher> behind = new ArrayList<>();
        long from = Long.MAX_VALUE;
        for (Iterator<Watcher> it = watchers.values().iterator(); it.hasNext(); ) {
            Watcher watcher = it.next();
            if (watcher.nextRevision > target) {
                continue;
            }
            if (watcher.nextRevision < compacted) {
                it.remove();
                forget(watcher.id);
                sink.accept(new StreamMessage.Compacted(watcher.id, compacted, 0));
                continue;
            }
            behind.add(watcher);
            from = Math.min(from, watcher.nextRevision);
        }
        if (behind.isEmpty()) {
            return false;
        }
        long to = Math.min(target, from + batchMaxRevisions - 1);
        List<HistoryReader.HistoryEvent> history = store.history(from, to);
        if (history == null) {
            return true;
        }
        KeyValue[] previous = new KeyValue[history.size()];
        for (Watcher watcher : behind) {
            deliver(watcher, history, previous, to);
        }
        return to < target;
    }

    private void deliver(Watcher watcher, List<HistoryReader.HistoryEvent> history, KeyValue[] previous, long to) {
        if (!watchers.containsKey(watcher.id)) {
            return;
        }
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < history.size(); i++) {
            HistoryReader.HistoryEvent stored = history.get(i);
            if (stored.revision() < watcher.nextRevision || !watcher.wants(stored.event())) {
                continue;
            }
            events.add(watcher.spec.prevKv() ? withPrevious(stored.event(), previous, i) : stored.event());
        }
        watcher.nextRevision = Math.max(watcher.nextRevision, to + 1);
        watcher.reachedHead |= watcher.nextRevision > store.currentRevision();
        if (!events.isEmpty()) {
            watcher.sentSinceTick = true;
            sink.accept(new StreamMessage.Events(watcher.id, to, events));
        }
    }

    /** Adds the key's previous value as etcd does: not for a creation, and not if compacted away. */
    private Event withPrevious(Event event, KeyValue[] previous, int position) {
        KeyValue kv = event.getKv();
        if (event.getType() == Event.EventType.PUT && kv.getVersion() == 1) {
            return event;
        }
        if (previous[position] == null) {
            KeyValue found = store.getAt(kv.getKey(), kv.getModRevision() - 1);
            previous[position] = found == null ? KeyValue.getDefaultInstance() : found;
        }
        KeyValue prev = previous[position];
        return prev == KeyValue.getDefaultInstance() ? event : event.toBuilder().setPrevKv(prev).build();
    }

    private void answerProgress() {
        if (!progressRequested) {
            return;
        }
        long current = store.currentRevision();
        if (watchers.isEmpty()) {
            progressRequested = false;
            return;
        }
        for (Watcher watcher : watchers.values()) {
            if (!watcher.isSynced(current)) {
                return;
            }
        }
        progressRequested = false;
        sink.accept(new StreamMessage.Progress(-1, current));
    }

    private void tickProgress(long current) {
        for (Watcher watcher : watchers.values()) {
            if (!watcher.spec.progressNotify()) {
                continue;
            }
            if (!watcher.sentSinceTick && watcher.isSynced(current)) {
                sink.accept(new StreamMessage.Progress(watcher.id, current));
            }
            watcher.sentSinceTick = false;
        }
    }

    private void publishFloor() {
        long floor = Long.MAX_VALUE;
        for (Watcher watcher : watchers.values()) {
            if (watcher.reachedHead) {
                floor = Math.min(floor, watcher.nextRevision);
            }
        }
        caughtUpFloor = floor;
    }

    private void forget(long watchId) {
        synchronized (ids) {
            ids.remove(watchId);
        }
    }
}
