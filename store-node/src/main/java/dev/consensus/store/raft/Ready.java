package dev.consensus.store.raft;

import java.util.List;

/**
 * One batch of work the core hands to the outside, to be done in this order:
 * <ol>
 *   <li>persist {@code snapshot}, {@code entries} and {@code hardState} (fsync when
 *       {@link #mustSync()});</li>
 *   <li>send {@code messages} — before step 1 only when {@code messagesMayPrecedePersist}
 *       (a leader replicating while its own disk write runs, thesis 10.2.1);</li>
 *   <li>install {@code snapshot} into the state machine, then apply {@code committedEntries};</li>
 *   <li>serve each of {@code readStates} once the state machine has applied its index;</li>
 *   <li>call {@link RaftNode#advance()}.</li>
 * </ol>
 * Fields that did not change are {@code null} (soft and hard state, snapshot) or empty.
 */
public record Ready(
        SoftState softState,
        HardState hardState,
        Snapshot snapshot,
        List<Entry> entries,
        List<Entry> committedEntries,
        List<Message> messages,
        List<ReadState> readStates,
        boolean mustSync,
        boolean messagesMayPrecedePersist) {

    public Ready {
        entries = List.copyOf(entries);
        committedEntries = List.copyOf(committedEntries);
        messages = List.copyOf(messages);
        readStates = List.copyOf(readStates);
    }
}
