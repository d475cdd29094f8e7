package dev.consensus.faults.history;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records a history while a run goes on, from many client threads at once. Times come from
 * {@link System#nanoTime()} relative to the recorder's creation. Take the call time before the
 * request is sent and the return time after the answer is read, so an operation's interval
 * always covers the moment it took effect.
 *
 * <pre>{@code
 * HistoryRecorder.Pending p = recorder.invoke("c3", new Call.Write("k1", "v17"));
 * try { long rev = put(...); p.ok(Outcome.Ok.written(rev)); }
 * catch (DeadlineExceeded e) { p.indeterminate("deadline exceeded"); }
 * }</pre>
 */
public final class HistoryRecorder {

    private final long origin = System.nanoTime();
    private final AtomicLong nextId = new AtomicLong(1);
    private final List<Entry> done = new ArrayList<>();
    private final Map<Long, Pending> pending = new LinkedHashMap<>();

    /** An operation called and not yet returned. Complete it exactly once. */
    public final class Pending {
        private final long id;
        private final String process;
        private final Call call;
        private final long callNanos;

        private Pending(long id, String process, Call call, long callNanos) {
            this.id = id;
            this.process = process;
            this.call = call;
            this.callNanos = callNanos;
        }

        public void ok(Outcome.Ok result) {
            complete(result);
        }

        public void fail(String error) {
            complete(new Outcome.Fail(error));
        }

        public void indeterminate(String error) {
            complete(new Outcome.Indeterminate(error));
        }

        private void complete(Outcome outcome) {
            long at = now();
            synchronized (HistoryRecorder.this) {
                if (pending.remove(id) == null) {
                    throw new IllegalStateException("operation " + id + " completed twice");
                }
                done.add(new Operation(id, process, call, callNanos, at, outcome));
            }
        }
    }

    public long now() {
        return System.nanoTime() - origin;
    }

    public Pending invoke(String process, Call call) {
        long id = nextId.getAndIncrement();
        Pending p = new Pending(id, process, call, now());
        synchronized (this) {
            pending.put(id, p);
        }
        return p;
    }

    public synchronized void fault(String kind, String target, String detail) {
        done.add(new Fault(kind, target, now(), detail));
    }

    public synchronized void watchStart(String watcher, String key, boolean prefix, long fromRevision) {
        done.add(new WatchStart(watcher, key, prefix, fromRevision, now()));
    }

    public synchronized void watchEvent(String watcher, String key, long revision, WatchEvent.Type type, String value) {
        done.add(new WatchEvent(watcher, key, revision, type, value, now()));
    }

    public synchronized void watchProgress(String watcher, long revision) {
        done.add(new WatchProgress(watcher, revision, now()));
    }

    /**
     * The history so far. Operations still waiting for an answer are included as indeterminate
     * ("no answer when the history was taken"), which is what they are to a checker.
     */
    public synchronized History history() {
        List<Entry> all = new ArrayList<>(done);
        long at = now();
        for (Pending p : pending.values()) {
            all.add(new Operation(p.id, p.process, p.call, p.callNanos, Math.max(at, p.callNanos),
                    new Outcome.Indeterminate("no answer when the history was taken")));
        }
        return new History(all);
    }
}
