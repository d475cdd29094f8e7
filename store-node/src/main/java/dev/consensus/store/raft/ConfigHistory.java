package dev.consensus.store.raft;

import dev.consensus.store.raft.confchange.InvalidConfChangeException;
import dev.consensus.store.raft.confchange.MembershipChange;
import java.util.ArrayList;
import java.util.List;

/**
 * The membership in force on this node: the latest one in its log, committed or not (thesis
 * 4.1). It is the snapshot's membership changed by each membership entry after it, so it moves
 * as soon as such an entry is appended and moves back if that entry is overwritten. A change
 * that does not fit is skipped, the same way on every node.
 *
 * <p>Invariant: {@code changes} is in increasing index order, every index above {@code baseIndex}.
 */
final class ConfigHistory {

    private record Change(long index, ConfState after) {}

    private ConfState base;
    private long baseIndex;
    private final List<Change> changes = new ArrayList<>();
    private long version;

    ConfigHistory(ConfState base, long baseIndex) {
        this.base = base;
        this.baseIndex = baseIndex;
    }

    ConfState current() {
        return changes.isEmpty() ? base : changes.getLast().after();
    }

    /** Bumped on every change of {@link #current()}, so callers notice one cheaply. */
    long version() {
        return version;
    }

    /** The index of the entry that made the current membership, or the snapshot's index. */
    long currentSince() {
        return changes.isEmpty() ? baseIndex : changes.getLast().index();
    }

    /** The membership made by the last change at or below {@code index}. */
    ConfState asOf(long index) {
        for (int i = changes.size() - 1; i >= 0; i--) {
            if (changes.get(i).index() <= index) {
                return changes.get(i).after();
            }
        }
        return base;
    }

    void appended(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        truncateFrom(entries.getFirst().index());
        for (Entry e : entries) {
            if (e.type() == EntryType.CONF_CHANGE) {
                try {
                    changes.add(new Change(e.index(), MembershipChange.apply(current(), ConfChange.decode(e.data()))));
                    version++;
                } catch (InvalidConfChangeException | IllegalArgumentException skipped) {
                    // Skipped everywhere alike: every node walks the same memberships.
                }
            }
        }
    }

    private void truncateFrom(long index) {
        while (!changes.isEmpty() && changes.getLast().index() >= index) {
            changes.removeLast();
            version++;
        }
    }

    void restore(ConfState snapshotConf, long snapshotIndex) {
        base = snapshotConf;
        baseIndex = snapshotIndex;
        changes.clear();
        version++;
    }
}
