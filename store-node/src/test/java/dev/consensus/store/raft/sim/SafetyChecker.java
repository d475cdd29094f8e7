package dev.consensus.store.raft.sim;

import dev.consensus.store.raft.Entry;
import dev.consensus.store.raft.HardState;
import dev.consensus.store.raft.MemoryStorage;
import dev.consensus.store.raft.Message;
import dev.consensus.store.raft.RaftNode;
import dev.consensus.store.raft.ReadState;
import dev.consensus.store.raft.Role;
import dev.consensus.store.raft.Snapshot;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Watches every node after every step and holds the cluster to Raft's safety properties
 * (figure 3 of the paper, plus what this core promises about learners and reads). A violation
 * throws {@link SimulationFailure} naming the property.
 */
final class SafetyChecker implements ReadyObserver {

    private record IndexTerm(long index, long term) {}

    private record Fingerprint(int type, int dataHash) {}

    private record Observed(int incarnation, Role role, long term, long commit) {}

    private final Map<Long, SimNode> nodes;
    private final Map<Long, Long> leaderOfTerm = new HashMap<>();
    private final Map<Long, Map<Long, Long>> votesByTerm = new HashMap<>();
    private final Map<Long, Map<Long, Long>> grantsByTerm = new HashMap<>();
    private final Map<Long, Long> persistedTerm = new HashMap<>();
    private final Map<IndexTerm, Fingerprint> entries = new HashMap<>();
    private final Map<IndexTerm, Long> prevTerms = new HashMap<>();
    private final GrowableLongs committedTerms = new GrowableLongs();
    private final GrowableLongs appliedFingerprints = new GrowableLongs();
    private final GrowableLongs digests = new GrowableLongs();
    private final Map<Long, Observed> observed = new HashMap<>();
    private final Map<Long, Long> readFloors = new HashMap<>();
    private final Map<Long, Set<Long>> votersAtElection = new HashMap<>();
    private final Set<Long> everVoters = new HashSet<>();
    private long maxCommitted;
    private long leadersElected;
    private long readsReleased;

    SafetyChecker(Map<Long, SimNode> nodes) {
        this.nodes = nodes;
    }

    long maxCommitted() {
        return maxCommitted;
    }

    long leadersElected() {
        return leadersElected;
    }

    long readsReleased() {
        return readsReleased;
    }

    // ---- after every input -------------------------------------------------------------

    void observe(SimNode n) {
        if (!n.isUp()) {
            return;
        }
        RaftNode r = n.raft();
        Observed before = observed.get(n.id());
        if (before == null || before.incarnation() != n.incarnation()) {
            before = new Observed(n.incarnation(), null, -1, n.disk().snapshot().index());
        }
        if (r.config().isVoter(n.id())) {
            everVoters.add(n.id());
        }
        if (r.role() != before.role() || r.term() != before.term()) {
            roleChanged(n, r);
        }
        if (r.commitIndex() > before.commit()) {
            committed(n, before.commit(), r.commitIndex());
        }
        observed.put(n.id(), new Observed(n.incarnation(), r.role(), r.term(), r.commitIndex()));
    }

    private void roleChanged(SimNode n, RaftNode r) {
        // A node being removed may still lead until its removal commits; a learner, or a node
        // that never was a voter, may never campaign.
        if (r.role() != Role.FOLLOWER && (r.config().isLearner(n.id()) || !everVoters.contains(n.id()))) {
            throw new SimulationFailure("LearnerNeverCampaigns", "node " + n.id() + " became " + r.role()
                    + " at term " + r.term() + " while not a voter in " + r.config());
        }
        if (r.role() != Role.LEADER) {
            return;
        }
        Long other = leaderOfTerm.putIfAbsent(r.term(), n.id());
        if (other != null && other != n.id()) {
            throw new SimulationFailure("ElectionSafety", "nodes " + other + " and " + n.id()
                    + " both became leader at term " + r.term());
        }
        if (other == null) {
            leadersElected++;
            votersAtElection.put(r.term(), r.config().voters());
        }
        for (long i = 1; i <= maxCommitted; i++) {
            long want = committedTerms.get(i);
            long has = r.termAt(i);
            if (want != 0 && has != -1 && has != want) {
                throw new SimulationFailure("LeaderCompleteness", "node " + n.id() + " became leader at term "
                        + r.term() + " with term " + has + " at index " + i + ", which was committed at term " + want);
            }
        }
    }

    private void committed(SimNode n, long from, long to) {
        RaftNode r = n.raft();
        for (long i = from + 1; i <= to; i++) {
            long term = r.termAt(i);
            if (term > 0) {
                recordCommitted(n, i, term);
            }
        }
        if (r.role() == Role.LEADER) {
            long term = r.termAt(to);
            if (term != r.term()) {
                throw new SimulationFailure("CurrentTermCommit", "leader " + n.id() + " of term " + r.term()
                        + " moved its commit index to " + to + ", an entry of term " + term
                        + ": only entries of the leader's own term commit by counting replicas (5.4.2)");
            }
            checkQuorumHolds(n, to);
        }
    }

    private void recordCommitted(SimNode n, long index, long term) {
        long known = committedTerms.get(index);
        if (known == 0) {
            committedTerms.set(index, term);
            maxCommitted = Math.max(maxCommitted, index);
        } else if (known != term) {
            throw new SimulationFailure("CommittedNeverLost", "index " + index + " was committed at term " + known
                    + " but node " + n.id() + " now commits term " + term + " there");
        }
    }

    /** A leader commits an index only once a majority of its voters hold that entry on disk. */
    private void checkQuorumHolds(SimNode leader, long index) {
        long term = leader.raft().termAt(index);
        Set<Long> voters = leader.raft().config().voters();
        int holders = 0;
        for (long v : voters) {
            SimNode node = nodes.get(v);
            if (node != null && holds(node.disk(), index, term)) {
                holders++;
            }
        }
        if (holders < voters.size() / 2 + 1) {
            throw new SimulationFailure("QuorumCommit", "leader " + leader.id() + " committed index " + index
                    + " (term " + term + ") held on disk by only " + holders + " of its voters " + voters);
        }
    }

    private static boolean holds(MemoryStorage disk, long index, long term) {
        if (disk.snapshot().index() >= index) {
            return true;
        }
        return index >= disk.firstIndex() && index <= disk.lastIndex() && disk.term(index) == term;
    }

    // ---- while a Ready is processed ----------------------------------------------------

    @Override
    public void persisted(SimNode n, List<Entry> written) {
        for (Entry e : written) {
            IndexTerm key = new IndexTerm(e.index(), e.term());
            Fingerprint fp = new Fingerprint(e.type().ordinal(), Arrays.hashCode(e.data()));
            Fingerprint known = entries.putIfAbsent(key, fp);
            if (known != null && !known.equals(fp)) {
                throw new SimulationFailure("LogMatching", "node " + n.id() + " holds a different entry at index "
                        + e.index() + " term " + e.term() + " than another node");
            }
            long prev = e.index() == 1 ? 0 : termOnDisk(n.disk(), e.index() - 1);
            if (prev >= 0) {
                Long knownPrev = prevTerms.putIfAbsent(key, prev);
                if (knownPrev != null && knownPrev != prev) {
                    throw new SimulationFailure("LogMatching", "entry at index " + e.index() + " term " + e.term()
                            + " follows term " + prev + " on node " + n.id() + " but term " + knownPrev + " elsewhere");
                }
            }
            // Only what this node itself counts as committed: a stale leader or its followers
            // may hold a conflicting uncommitted entry until the current leader overwrites it.
            long committedTerm = committedTerms.get(e.index());
            if (e.index() <= n.raft().commitIndex() && committedTerm != 0 && committedTerm != e.term()) {
                throw new SimulationFailure("CommittedNeverLost", "node " + n.id() + " wrote term " + e.term()
                        + " at index " + e.index() + " within its commit index " + n.raft().commitIndex()
                        + ", where term " + committedTerm + " was committed");
            }
        }
    }

    private static long termOnDisk(MemoryStorage disk, long index) {
        if (index < disk.firstIndex() - 1 || index > disk.lastIndex()) {
            return -1;
        }
        return disk.term(index);
    }

    @Override
    public void hardStatePersisted(SimNode n, HardState hs) {
        long before = persistedTerm.getOrDefault(n.id(), 0L);
        if (hs.term() < before) {
            throw new SimulationFailure("TermMonotonic", "node " + n.id() + " persisted term " + hs.term()
                    + " after term " + before);
        }
        persistedTerm.put(n.id(), hs.term());
        if (hs.vote() != RaftNode.NONE) {
            Long earlier = votesByTerm.computeIfAbsent(hs.term(), t -> new HashMap<>()).putIfAbsent(n.id(), hs.vote());
            if (earlier != null && earlier != hs.vote()) {
                throw new SimulationFailure("VoteOnce", "node " + n.id() + " voted for " + earlier + " and then "
                        + hs.vote() + " in term " + hs.term());
            }
        }
    }

    /**
     * A granted vote leaves its voter only once it is durable: the voter's disk holds that vote,
     * or a later term, after which it can never vote in this term again.
     */
    void messageSent(SimNode from, Message m) {
        if (!(m instanceof Message.VoteResponse v) || !v.granted()) {
            return;
        }
        HardState onDisk = from.disk().hardState();
        if (onDisk.term() < v.term() || (onDisk.term() == v.term() && onDisk.vote() != v.to())) {
            throw new SimulationFailure("VoteDurable", "node " + from.id() + " granted its term " + v.term()
                    + " vote to " + v.to() + " with " + onDisk + " on disk");
        }
        Long earlier = grantsByTerm.computeIfAbsent(v.term(), t -> new HashMap<>()).putIfAbsent(from.id(), v.to());
        if (earlier != null && earlier != v.to()) {
            throw new SimulationFailure("VoteOnce", "node " + from.id() + " granted its term " + v.term()
                    + " vote to " + earlier + " and to " + v.to());
        }
    }

    /** Once its own vote is on disk, a new leader must hold granted votes from a majority of its voters. */
    @Override
    public void leaderPersisted(SimNode n) {
        RaftNode r = n.raft();
        Set<Long> voters = votersAtElection.remove(r.term());
        if (voters == null) {
            return;
        }
        Map<Long, Long> votes = new HashMap<>(grantsByTerm.getOrDefault(r.term(), Map.of()));
        if (Long.valueOf(n.id()).equals(votesByTerm.getOrDefault(r.term(), Map.of()).get(n.id()))) {
            votes.put(n.id(), n.id());
        }
        long granted = voters.stream().filter(v -> Long.valueOf(n.id()).equals(votes.get(v))).count();
        if (granted < voters.size() / 2 + 1) {
            throw new SimulationFailure("VoteQuorum", "node " + n.id() + " leads term " + r.term() + " with votes of "
                    + granted + " of its voters " + voters + " (votes cast: " + votes + ")");
        }
    }

    @Override
    public void snapshotInstalled(SimNode n, Snapshot snapshot) {
        if (snapshot.index() > maxCommitted) {
            throw new SimulationFailure("SnapshotCommitted", "node " + n.id() + " installed a snapshot at "
                    + snapshot.index() + " past the highest committed index " + maxCommitted);
        }
        checkDigest(n, snapshot.index(), n.app().digest());
    }

    @Override
    public void applied(SimNode n, Entry e) {
        long fp = 31L * e.term() + 17L * e.type().ordinal() + Arrays.hashCode(e.data());
        long known = appliedFingerprints.get(e.index());
        if (known == 0) {
            appliedFingerprints.set(e.index(), fp == 0 ? 1 : fp);
        } else if (known != (fp == 0 ? 1 : fp)) {
            throw new SimulationFailure("StateMachineSafety", "node " + n.id() + " applied " + e
                    + " where another node applied a different entry");
        }
        if (committedTerms.get(e.index()) != 0 && committedTerms.get(e.index()) != e.term()) {
            throw new SimulationFailure("StateMachineSafety", "node " + n.id() + " applied " + e
                    + " but term " + committedTerms.get(e.index()) + " was committed there");
        }
        checkDigest(n, e.index(), n.app().digest());
    }

    private void checkDigest(SimNode n, long index, long digest) {
        long d = digest == 0 ? 1 : digest;
        long known = digests.get(index);
        if (known == 0) {
            digests.set(index, d);
        } else if (known != d) {
            throw new SimulationFailure("StateMachineSafety", "node " + n.id() + " reached a different state at index "
                    + index + " than another node");
        }
    }

    // ---- linearizable reads ------------------------------------------------------------

    /** A read is asked for now: it must not be served below anything committed before now. */
    void readRequested(long requestId) {
        readFloors.put(requestId, maxCommitted);
    }

    @Override
    public void readReleased(SimNode n, ReadState read) {
        Long floor = readFloors.get(read.requestId());
        if (floor == null) {
            throw new SimulationFailure("LinearizableRead", "node " + n.id() + " released read " + read.requestId()
                    + " that nobody asked for");
        }
        readsReleased++;
        if (read.index() < floor) {
            throw new SimulationFailure("LinearizableRead", "node " + n.id() + " released read " + read.requestId()
                    + " at index " + read.index() + ", but index " + floor + " was committed before it was asked");
        }
    }

    /** A long array indexed by log index, growing as the log does; 0 means nothing recorded. */
    private static final class GrowableLongs {
        private long[] values = new long[1024];

        long get(long index) {
            return index < values.length ? values[(int) index] : 0;
        }

        void set(long index, long value) {
            if (index >= values.length) {
                values = Arrays.copyOf(values, Math.max(values.length * 2, (int) index + 1));
            }
            values[(int) index] = value;
        }
    }
}
