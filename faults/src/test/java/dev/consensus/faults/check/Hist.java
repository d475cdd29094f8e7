package dev.consensus.faults.check;

import dev.consensus.faults.history.Call;
import dev.consensus.faults.history.Entry;
import dev.consensus.faults.history.Fault;
import dev.consensus.faults.history.History;
import dev.consensus.faults.history.Operation;
import dev.consensus.faults.history.Outcome;
import dev.consensus.faults.history.WatchEvent;
import dev.consensus.faults.history.WatchProgress;
import dev.consensus.faults.history.WatchStart;
import java.util.ArrayList;
import java.util.List;

/** Hand-made histories for the tests; times are in milliseconds. */
final class Hist {

    private final List<Entry> entries = new ArrayList<>();
    private long nextId = 1;

    static long ms(long millis) {
        return millis * 1_000_000L;
    }

    Hist op(String process, Call call, long callMs, long returnMs, Outcome outcome) {
        entries.add(new Operation(nextId++, process, call, ms(callMs), ms(returnMs), outcome));
        return this;
    }

    Hist write(String p, String key, String value, long call, long ret, long revision) {
        return op(p, new Call.Write(key, value), call, ret, Outcome.Ok.written(revision));
    }

    Hist writeIndeterminate(String p, String key, String value, long call) {
        return op(p, new Call.Write(key, value), call, call + 1, new Outcome.Indeterminate("deadline exceeded"));
    }

    Hist read(String p, String key, String value, long call, long ret) {
        return read(p, key, value, call, ret, 0, 0);
    }

    Hist read(String p, String key, String value, long call, long ret, long revision, long modRevision) {
        return op(p, new Call.Read(key), call, ret, Outcome.Ok.read(value, modRevision, revision));
    }

    Hist finalRead(String p, String key, String value, long call, long ret) {
        return op(p, new Call.Read(key, Call.ReadMode.FINAL), call, ret, Outcome.Ok.read(value, 0, 0));
    }

    Hist cas(String p, String key, String expected, String value, long call, long ret, boolean swapped) {
        return op(p, new Call.Cas(key, expected, value), call, ret, Outcome.Ok.cas(swapped, 0));
    }

    Hist fault(String kind, String target, long atMs) {
        entries.add(new Fault(kind, target, ms(atMs), ""));
        return this;
    }

    Hist watchStart(String watcher, String key, boolean prefix, long from, long at) {
        entries.add(new WatchStart(watcher, key, prefix, from, ms(at)));
        return this;
    }

    Hist put(String watcher, String key, long revision, String value, long at) {
        entries.add(new WatchEvent(watcher, key, revision, WatchEvent.Type.PUT, value, ms(at)));
        return this;
    }

    Hist progress(String watcher, long revision, long at) {
        entries.add(new WatchProgress(watcher, revision, ms(at)));
        return this;
    }

    History build() {
        return new History(entries);
    }
}
