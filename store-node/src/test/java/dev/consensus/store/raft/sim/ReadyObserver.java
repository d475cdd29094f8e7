package dev.consensus.store.raft.sim;

import dev.consensus.store.raft.Entry;
import dev.consensus.store.raft.HardState;
import dev.consensus.store.raft.ReadState;
import dev.consensus.store.raft.Snapshot;
import java.util.List;

/** What a simulated node reports while it processes a Ready, for the checks to watch. */
public interface ReadyObserver {

    ReadyObserver NONE = new ReadyObserver() {};

    default void persisted(SimNode node, List<Entry> entries) {}

    default void hardStatePersisted(SimNode node, HardState hardState) {}

    default void snapshotInstalled(SimNode node, Snapshot snapshot) {}

    default void applied(SimNode node, Entry entry) {}

    default void readReleased(SimNode node, ReadState read) {}

    default void leaderPersisted(SimNode node) {}
}
