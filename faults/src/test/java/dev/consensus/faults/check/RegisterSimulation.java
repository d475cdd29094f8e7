package dev.consensus.faults.check;

import dev.consensus.faults.history.Call;
import dev.consensus.faults.history.Entry;
import dev.consensus.faults.history.History;
import dev.consensus.faults.history.Operation;
import dev.consensus.faults.history.Outcome;
import dev.consensus.faults.history.WatchEvent;
import dev.consensus.faults.history.WatchStart;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Histories from a real single copy of the data: clients call operations with random overlap,
 * each takes effect at one random instant inside its interval (an indeterminate one at any
 * instant after its call, possibly long after, or never), and the answers are what one map
 * with one revision counter gives. Such a history is linearizable by construction, so every
 * checker must pass it. A watcher sees every change, reconnecting half way.
 */
final class RegisterSimulation {

    record Shape(int processes, int opsPerProcess, int keys, double indeterminate) {
    }

    private record Planned(long id, String process, Call call, long call0, long ret, long effect, boolean indeterminate) {
    }

    private RegisterSimulation() {
    }

    static History generate(long seed, Shape shape) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Planned> planned = new ArrayList<>();
        long id = 1;
        for (int p = 0; p < shape.processes(); p++) {
            long t = rnd.nextLong(0, 50);
            for (int i = 0; i < shape.opsPerProcess(); i++) {
                String key = "k" + rnd.nextInt(shape.keys());
                Call call = randomCall(rnd, key, "p" + p + "-" + i, planned);
                long effect = t + rnd.nextLong(1, 50);
                long ret = effect + rnd.nextLong(1, 50);
                boolean indeterminate = rnd.nextDouble() < shape.indeterminate();
                if (indeterminate) {
                    // Happened at any time after its call, possibly long after the client gave up, or never.
                    effect = rnd.nextBoolean() ? t + rnd.nextLong(1, 5_000) : Long.MAX_VALUE;
                }
                planned.add(new Planned(id++, "p" + p, call, t, ret, effect, indeterminate));
                t = ret + rnd.nextLong(0, 20);
            }
        }
        return apply(planned, shape.keys(), id);
    }

    private static Call randomCall(SplittableRandom rnd, String key, String value, List<Planned> earlier) {
        int kind = rnd.nextInt(10);
        if (kind < 4) {
            return new Call.Read(key);
        }
        if (kind < 7) {
            return new Call.Write(key, value);
        }
        if (kind < 9) {
            // Expect a value somebody wrote, or absent, so that some of them succeed.
            String expected = null;
            for (int i = earlier.size() - 1; i >= 0 && expected == null && rnd.nextInt(4) > 0; i--) {
                if (earlier.get(i).call() instanceof Call.Write w && w.key().equals(key)) {
                    expected = w.value();
                }
            }
            return new Call.Cas(key, expected, value);
        }
        return new Call.Delete(key);
    }

    private record Value(String value, long modRevision) {
    }

    private static History apply(List<Planned> planned, int keys, long nextId) {
        List<Planned> byEffect = new ArrayList<>(planned);
        byEffect.removeIf(p -> p.effect() == Long.MAX_VALUE);
        byEffect.sort(Comparator.comparingLong(Planned::effect).thenComparingLong(Planned::id));
        Map<String, Value> store = new HashMap<>();
        long revision = 1;
        long last = 0;
        Map<Long, Outcome> outcomes = new HashMap<>();
        List<Entry> entries = new ArrayList<>();
        entries.add(new WatchStart("w", "k", true, 2, 0));
        long watched = 1;
        for (Planned p : byEffect) {
            Call.KeyCall c = (Call.KeyCall) p.call();
            Value cur = store.get(c.key());
            String value = cur == null ? null : cur.value();
            Outcome out;
            WatchEvent event = null;
            switch (c) {
                case Call.Read r -> out = Outcome.Ok.read(value, cur == null ? 0 : cur.modRevision(), revision);
                case Call.Write w -> {
                    store.put(w.key(), new Value(w.value(), ++revision));
                    out = Outcome.Ok.written(revision);
                    event = new WatchEvent("w", w.key(), revision, WatchEvent.Type.PUT, w.value(), p.effect() + 1);
                }
                case Call.Cas cas -> {
                    boolean swap = java.util.Objects.equals(value, cas.expected());
                    if (swap) {
                        store.put(cas.key(), new Value(cas.value(), ++revision));
                        event = new WatchEvent("w", cas.key(), revision, WatchEvent.Type.PUT, cas.value(), p.effect() + 1);
                    }
                    out = Outcome.Ok.cas(swap, revision);
                }
                case Call.Delete d -> {
                    boolean deleted = store.remove(d.key()) != null;
                    if (deleted) {
                        revision++;
                        event = new WatchEvent("w", d.key(), revision, WatchEvent.Type.DELETE, null, p.effect() + 1);
                    }
                    out = Outcome.Ok.deleted(deleted, revision);
                }
            }
            outcomes.put(p.id(), out);
            if (event != null) {
                if (revision % 7 == 0) {
                    // The stream breaks here; the watcher resumes from the last revision it saw plus one.
                    entries.add(new WatchStart("w", "k", true, watched + 1, event.atNanos()));
                }
                entries.add(event);
                watched = event.revision();
            }
            last = Math.max(last, p.effect());
        }
        for (Planned p : planned) {
            Outcome out = p.indeterminate() ? new Outcome.Indeterminate("deadline exceeded") : outcomes.get(p.id());
            entries.add(new Operation(p.id(), p.process(), p.call(), p.call0(), p.ret(), out));
            last = Math.max(last, p.ret());
        }
        long end = last + 100;
        for (int k = 0; k < keys; k++) {
            Value cur = store.get("k" + k);
            entries.add(new Operation(nextId++, "final", new Call.Read("k" + k, Call.ReadMode.FINAL), end, end + 1,
                    Outcome.Ok.read(cur == null ? null : cur.value(), cur == null ? 0 : cur.modRevision(), revision)));
        }
        return new History(entries);
    }
}
