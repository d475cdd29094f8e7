package dev.consensus.faults.check;

import dev.consensus.faults.history.Call;
import dev.consensus.faults.history.Entry;
import dev.consensus.faults.history.History;
import dev.consensus.faults.history.Operation;
import dev.consensus.faults.history.WatchEvent;
import dev.consensus.faults.history.WatchProgress;
import dev.consensus.faults.history.WatchStart;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Watches: each watcher sees every revision of its keys exactly once, in order, across
 * reconnects, and nothing that was not written.
 *
 * <p>A watcher's window runs from its first start revision to the highest revision it is known
 * to have been sent: its last event or its last progress notification. Inside the window it
 * must receive every revision of a watched key that a writer got acknowledged, that another
 * watcher received, or that a read returned as a mod_revision. Every event must be a change
 * somebody attempted: the acknowledged change at that revision if there is one, else a write
 * or delete of that key (indeterminate, or answered without a revision) called before the
 * event arrived; a delete of a key ever written with a lease may also come from the lease.
 * A reconnect must resume at the last revision seen plus one: resuming later leaves a gap,
 * resuming earlier shows up as duplicates.
 */
public final class WatchChecker implements Checker {

    public static final String NAME = "watch";
    private static final int MAX_LISTED = 10;

    @Override
    public String name() {
        return NAME;
    }

    private record KeyRev(String key, long revision) {
    }

    /** What the rest of the history says about revisions, shared by every watcher's check. */
    private record Facts(Map<Long, Operation> acknowledged, Map<String, List<Operation>> changesByKey,
                         Set<String> leasedKeys, Map<String, TreeSet<Long>> knownRevisions,
                         Map<KeyRev, WatchEvent> firstSeen) {
    }

    @Override
    public CheckResult check(History history) {
        Map<String, List<Entry>> byWatcher = new TreeMap<>();
        for (Entry e : history.entries()) {
            String w = switch (e) {
                case WatchStart s -> s.watcher();
                case WatchEvent ev -> ev.watcher();
                case WatchProgress p -> p.watcher();
                default -> null;
            };
            if (w != null) {
                byWatcher.computeIfAbsent(w, x -> new ArrayList<>()).add(e);
            }
        }
        Facts facts = facts(history);
        Describe d = new Describe(history);
        List<Finding> findings = new ArrayList<>();
        for (Map.Entry<String, List<Entry>> e : byWatcher.entrySet()) {
            checkWatcher(d, facts, e.getKey(), e.getValue(), findings);
        }
        return CheckResult.of(NAME, byWatcher.size(), findings);
    }

    private static Facts facts(History history) {
        Map<Long, Operation> acknowledged = new HashMap<>();
        Map<String, List<Operation>> changes = new HashMap<>();
        Set<String> leased = new HashSet<>();
        Map<String, TreeSet<Long>> known = new HashMap<>();
        for (Operation op : history.operations()) {
            String key = op.keyOrNull();
            if (key == null) {
                continue;
            }
            if (op.mayMutateKey()) {
                changes.computeIfAbsent(key, k -> new ArrayList<>()).add(op);
                if (op.createdRevision() > 0) {
                    acknowledged.putIfAbsent(op.createdRevision(), op);
                    known.computeIfAbsent(key, k -> new TreeSet<>()).add(op.createdRevision());
                }
            }
            if (op.call() instanceof Call.Write w && w.leaseId() != 0) {
                leased.add(key);
            }
            if (op.call() instanceof Call.Read && op.isOk() && op.ok().value() != null && op.ok().modRevision() > 0) {
                known.computeIfAbsent(key, k -> new TreeSet<>()).add(op.ok().modRevision());
            }
        }
        Map<KeyRev, WatchEvent> firstSeen = new HashMap<>();
        for (WatchEvent ev : history.only(WatchEvent.class)) {
            firstSeen.putIfAbsent(new KeyRev(ev.key(), ev.revision()), ev);
            known.computeIfAbsent(ev.key(), k -> new TreeSet<>()).add(ev.revision());
        }
        return new Facts(acknowledged, changes, leased, known, firstSeen);
    }

    private static void checkWatcher(Describe d, Facts facts, String watcher, List<Entry> entries,
                                     List<Finding> findings) {
        if (!(entries.get(0) instanceof WatchStart first)) {
            findings.add(new Finding(NAME, Status.UNKNOWN, "watcher " + watcher
                    + ": its first entry is not a watch-start, so its window is unknown", ""));
            return;
        }
        if (first.fromRevision() <= 0) {
            findings.add(new Finding(NAME, Status.UNKNOWN, "watcher " + watcher
                    + ": started without an explicit start revision, so completeness cannot be checked", ""));
            return;
        }
        String who = "watcher " + watcher + " on " + (first.prefix() ? "prefix " : "key ") + Describe.q(first.key());
        Set<KeyRev> received = new HashSet<>();
        long lastEvent = first.fromRevision() - 1;
        long lastSeen = lastEvent;
        for (Entry e : entries.subList(1, entries.size())) {
            switch (e) {
                case WatchStart s -> {
                    if (!s.key().equals(first.key()) || s.prefix() != first.prefix()) {
                        findings.add(new Finding(NAME, Status.UNKNOWN, who + ": reconnected on another key or prefix ("
                                + Describe.q(s.key()) + "), the rest of it is unchecked", ""));
                        return;
                    }
                    if (s.fromRevision() > lastSeen + 1) {
                        findings.add(new Finding(NAME, Status.VIOLATION, who + ": reconnected at " + d.time(s.atNanos())
                                + " from revision " + s.fromRevision() + " after seeing up to " + lastSeen
                                + ", leaving revisions " + (lastSeen + 1) + ".." + (s.fromRevision() - 1) + " uncovered", ""));
                        lastSeen = s.fromRevision() - 1;
                    }
                }
                case WatchEvent ev -> {
                    if (!first.covers(ev.key())) {
                        findings.add(new Finding(NAME, Status.VIOLATION, who + ": received an event for "
                                + Describe.q(ev.key()) + ", which it does not watch", describe(d, ev)));
                    } else if (!received.add(new KeyRev(ev.key(), ev.revision()))) {
                        findings.add(new Finding(NAME, Status.VIOLATION, who + ": duplicate event for "
                                + Describe.q(ev.key()) + " at revision " + ev.revision(), describe(d, ev)));
                    } else if (ev.revision() < lastEvent || ev.revision() < first.fromRevision()) {
                        findings.add(new Finding(NAME, Status.VIOLATION, who + ": event at revision " + ev.revision()
                                + " arrived after revision " + lastEvent + " (out of order, or before its start revision "
                                + first.fromRevision() + ")", describe(d, ev)));
                    } else {
                        checkWritten(d, facts, who, ev, findings);
                    }
                    lastEvent = Math.max(lastEvent, ev.revision());
                    lastSeen = Math.max(lastSeen, ev.revision());
                }
                case WatchProgress p -> lastSeen = Math.max(lastSeen, p.revision());
                default -> {
                }
            }
        }
        checkComplete(d, facts, who, first, lastSeen, received, findings);
    }

    /** Every revision of a watched key known to exist inside the window was received. */
    private static void checkComplete(Describe d, Facts facts, String who, WatchStart first, long windowEnd,
                                      Set<KeyRev> received, List<Finding> findings) {
        List<KeyRev> missing = new ArrayList<>();
        for (Map.Entry<String, TreeSet<Long>> e : new TreeMap<>(facts.knownRevisions()).entrySet()) {
            if (!first.covers(e.getKey())) {
                continue;
            }
            for (long rev : e.getValue().subSet(first.fromRevision(), true, windowEnd, true)) {
                if (!received.contains(new KeyRev(e.getKey(), rev))) {
                    missing.add(new KeyRev(e.getKey(), rev));
                }
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (KeyRev m : missing.subList(0, Math.min(MAX_LISTED, missing.size()))) {
            Operation op = facts.acknowledged().get(m.revision());
            WatchEvent other = facts.firstSeen().get(m);
            sb.append("    ").append(Describe.q(m.key())).append(" revision ").append(m.revision()).append(": ")
                    .append(op != null && m.key().equals(op.keyOrNull()) ? "acknowledged to " + d.op(op)
                            : other != null ? "received by watcher " + other.watcher() : "returned by a read")
                    .append('\n');
        }
        if (missing.size() > MAX_LISTED) {
            sb.append("    ... and ").append(missing.size() - MAX_LISTED).append(" more\n");
        }
        findings.add(new Finding(NAME, Status.VIOLATION, who + ": " + missing.size()
                + " missing event(s) in its window " + first.fromRevision() + ".." + windowEnd, sb.toString().stripTrailing()));
    }

    /** The event is a change somebody attempted, and agrees with what other watchers got. */
    private static void checkWritten(Describe d, Facts facts, String who, WatchEvent ev, List<Finding> findings) {
        WatchEvent first = facts.firstSeen().get(new KeyRev(ev.key(), ev.revision()));
        if (first != ev && (first.type() != ev.type() || !java.util.Objects.equals(first.value(), ev.value()))) {
            findings.add(new Finding(NAME, Status.VIOLATION, who + ": event at revision " + ev.revision()
                    + " differs from what watcher " + first.watcher() + " received", describe(d, first) + "\n" + describe(d, ev)));
            return;
        }
        Operation acked = facts.acknowledged().get(ev.revision());
        if (acked != null && acked.keyOrNull().equals(ev.key())) {
            if (!matches(acked, ev)) {
                findings.add(new Finding(NAME, Status.VIOLATION, who + ": event at revision " + ev.revision()
                        + " does not match the change acknowledged at that revision", describe(d, ev) + "\n    " + d.op(acked)));
            }
            return;
        }
        for (Operation op : facts.changesByKey().getOrDefault(ev.key(), List.of())) {
            boolean revisionFits = op.createdRevision() == 0 || op.createdRevision() == ev.revision();
            if (revisionFits && op.callNanos() <= ev.atNanos() && matches(op, ev)) {
                return;
            }
        }
        if (ev.type() == WatchEvent.Type.DELETE && facts.leasedKeys().contains(ev.key())) {
            return;
        }
        findings.add(new Finding(NAME, Status.VIOLATION, who + ": event never written: "
                + ev.type() + " " + Describe.q(ev.key()) + " at revision " + ev.revision(), describe(d, ev)));
    }

    private static boolean matches(Operation op, WatchEvent ev) {
        return switch (op.call()) {
            case Call.Write w -> ev.type() == WatchEvent.Type.PUT && w.value().equals(ev.value());
            case Call.Cas c -> ev.type() == WatchEvent.Type.PUT && c.value().equals(ev.value());
            case Call.Delete x -> ev.type() == WatchEvent.Type.DELETE;
            default -> false;
        };
    }

    private static String describe(Describe d, WatchEvent ev) {
        return "    " + d.time(ev.atNanos()) + " watcher " + ev.watcher() + " got " + ev.type() + " "
                + Describe.q(ev.key()) + (ev.value() == null ? "" : " = " + Describe.q(ev.value()))
                + " at revision " + ev.revision();
    }
}
