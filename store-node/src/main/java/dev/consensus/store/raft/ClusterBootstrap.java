package dev.consensus.store.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * What a new cluster's members write before they first start: the initial membership as
 * committed membership-change entries at term 1. Carrying it in the log rather than in a
 * snapshot matters: a member that joins later replicates the log from index 1 and so walks
 * through the very same memberships as everyone else.
 */
public final class ClusterBootstrap {

    private ClusterBootstrap() {}

    /** One entry per initial member: voters first, then learners, each in id order. */
    public static List<Entry> entries(ConfState initial) {
        return entries(initial, id -> new byte[0]);
    }

    /** As {@link #entries(ConfState)}, each change carrying the server's context for its member. */
    public static List<Entry> entries(ConfState initial, LongFunction<byte[]> context) {
        if (initial.voters().isEmpty()) {
            throw new IllegalArgumentException("a new cluster needs at least one voter");
        }
        List<Entry> entries = new ArrayList<>();
        for (long id : initial.voters()) {
            entries.add(entry(entries.size() + 1, new ConfChange(ConfChangeType.ADD_VOTER, id), context));
        }
        for (long id : initial.learners()) {
            entries.add(entry(entries.size() + 1, new ConfChange(ConfChangeType.ADD_LEARNER, id), context));
        }
        return entries;
    }

    private static Entry entry(long index, ConfChange change, LongFunction<byte[]> context) {
        return new Entry(index, 1, EntryType.CONF_CHANGE, change.encode(context.apply(change.memberId())));
    }

    /** The hard state that goes with {@link #entries}: term 1, no vote, all of them committed. */
    public static HardState hardState(ConfState initial) {
        return new HardState(1, RaftNode.NONE, initial.members().size());
    }
}
