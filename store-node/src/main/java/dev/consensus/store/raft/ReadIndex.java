package dev.consensus.store.raft;

import static dev.consensus.store.raft.RaftNode.hex;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Linearizable reads by ReadIndex (thesis 6.4), batched. The leader takes its commit index,
 * confirms with a round of heartbeats that a majority still follows it, and then releases every
 * read of the round at that index. One round is in flight at a time; reads that arrive meanwhile
 * wait together for the next, so a burst of reads costs one round trip, not one each. No round
 * starts before the leader has committed an entry of its own term, since until then its commit
 * index may be behind what earlier leaders committed.
 *
 * <p>Invariant: {@code inFlight == null} or it is the round numbered {@code lastRound}.
 */
final class ReadIndex {

    private record PendingRead(long requestId, long from) {}

    private record Round(long number, long index, List<PendingRead> reads, Set<Long> acks) {}

    private final RaftNode n;
    private final List<PendingRead> waiting = new ArrayList<>();
    private Round inFlight;
    private long lastRound;

    ReadIndex(RaftNode node) {
        this.n = node;
    }

    /** Leadership changed: reads in progress are dropped, and their callers ask again. */
    void reset() {
        waiting.clear();
        inFlight = null;
    }

    /** The round a heartbeat should carry, or 0 when none is in flight. */
    long currentRound() {
        return inFlight == null ? 0 : inFlight.number();
    }

    /** A leader takes reads from itself ({@code from == id}) or from members. */
    void request(long from, List<Long> requestIds) {
        for (long requestId : requestIds) {
            waiting.add(new PendingRead(requestId, from));
        }
        maybeStartRound();
    }

    void onCommitAdvanced() {
        maybeStartRound();
    }

    void acknowledge(long from, long round) {
        if (inFlight == null || round != inFlight.number()) {
            return;
        }
        inFlight.acks().add(from);
        maybeRelease();
    }

    private void maybeStartRound() {
        if (inFlight != null || waiting.isEmpty() || !n.committedInCurrentTerm()) {
            return;
        }
        Set<Long> acks = new HashSet<>();
        acks.add(n.id);
        inFlight = new Round(++lastRound, n.log.committed(), List.copyOf(waiting), acks);
        waiting.clear();
        n.debug("%s started read round %d at index %d for %d reads", hex(n.id), lastRound, inFlight.index(),
                inFlight.reads().size());
        if (!maybeRelease()) {
            n.replication.broadcastHeartbeat(inFlight.number());
        }
    }

    private boolean maybeRelease() {
        if (!n.tracker.isQuorum(inFlight.acks())) {
            return false;
        }
        Round done = inFlight;
        inFlight = null;
        Map<Long, List<Long>> remote = new LinkedHashMap<>();
        for (PendingRead read : done.reads()) {
            if (read.from() == n.id) {
                n.readStates.add(new ReadState(done.index(), read.requestId()));
            } else {
                remote.computeIfAbsent(read.from(), k -> new ArrayList<>()).add(read.requestId());
            }
        }
        remote.forEach((to, ids) -> n.send(new Message.ReadIndexResponse(n.id, to, n.term, done.index(), ids)));
        maybeStartRound();
        return true;
    }
}
