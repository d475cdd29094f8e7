package dev.consensus.store.raft;

import dev.consensus.store.raft.tracker.Progress;
import dev.consensus.store.raft.tracker.ProgressState;
import dev.consensus.store.raft.tracker.ProgressTracker;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * One Raft node's consensus logic, as a deterministic state machine. It is driven from outside
 * ({@link #tick}, {@link #step}, {@link #propose}, {@link #requestRead}) and says what must happen
 * through {@link #ready()}, acknowledged by {@link #advance()}. It owns no thread, socket, file or
 * clock, and draws randomness only from the generator it is given, so the same inputs always give
 * the same outputs. Not thread-safe: one owner drives it.
 *
 * <p>Role behaviour lives in {@link Elections}, {@link FollowerRole}, {@link LeaderRole},
 * {@link Replication} and {@link ReadIndex}; this class holds the shared
 * state, the role transitions and the term rules every message goes through first.
 *
 * <p>Invariant: {@code role == LEADER} implies {@code leaderId == id} and {@code vote == id}.
 */
public final class RaftNode {

    /** The id of no node: no vote cast, no leader known. */
    public static final long NONE = 0;

    final long id;
    final RaftConfig config;
    final RaftLogger logger;
    final RandomGenerator random;
    final RaftLog log;
    final ProgressTracker tracker;

    long term;
    long vote;
    long leaderId = NONE;
    Role role = Role.FOLLOWER;
    int electionElapsed;
    int heartbeatElapsed;
    int randomizedElectionTimeout;

    final List<Message> outbox = new ArrayList<>();
    final List<ReadState> readStates = new ArrayList<>();

    final Elections elections = new Elections(this);
    final FollowerRole follower = new FollowerRole(this);
    final Replication replication = new Replication(this);
    final LeaderRole leader = new LeaderRole(this);
    final ReadIndex reads = new ReadIndex(this);

    private final ReadyTracker readyTracker;
    private long syncedConfigVersion;

    /**
     * Starts a node from what its storage holds: the hard state, the snapshot's membership, and
     * the log, whose committed entries after the snapshot are released again for applying. A new
     * cluster's members start with {@link ClusterBootstrap}'s entries; a joining member with an
     * empty storage, learning everything from the leader.
     */
    public RaftNode(RaftConfig config, LogReader storage, RandomGenerator random, RaftLogger logger) {
        this.id = config.id();
        this.config = config;
        this.logger = logger;
        this.random = random;
        this.log = new RaftLog(storage);
        this.tracker = new ProgressTracker(config.maxInflightMessages(), config.maxInflightBytes());
        HardState hs = storage.hardState();
        this.term = hs.term();
        this.vote = hs.vote();
        tracker.applyConfig(log.config(), log.lastIndex() + 1);
        syncedConfigVersion = log.configs().version();
        becomeFollower(term, NONE);
        this.readyTracker = new ReadyTracker(this, hs);
        info("%s newRaft [peers: %s, learners: %s, term: %d, commit: %d, applied: %d, lastindex: %d, lastterm: %d]",
                hex(id), hexes(tracker.config().voters()), hexes(tracker.config().learners()), term, log.committed(),
                log.applied(), log.lastIndex(), log.lastTerm());
    }

    // ---- inputs -------------------------------------------------------------------------

    /** Advances logical time by one tick: heartbeats, election timeouts, check-quorum. */
    public void tick() {
        readyTracker.requireNoReadyOutstanding();
        if (role == Role.LEADER) {
            leader.tick();
        } else {
            elections.tick();
        }
    }

    /** Handles a message from another node. Messages for other nodes are refused. */
    public void step(Message m) {
        readyTracker.requireNoReadyOutstanding();
        if (m.to() != id) {
            throw new IllegalArgumentException("message for " + hex(m.to()) + " delivered to " + hex(id));
        }
        if (m.term() > term) {
            if (!elections.acceptHigherTerm(m)) {
                return;
            }
        } else if (m.term() < term) {
            elections.handleLowerTerm(m);
            return;
        }
        switch (m) {
            case Message.PreVote pv -> elections.handleVoteRequest(m, pv.lastLogIndex(), pv.lastLogTerm());
            case Message.Vote v -> elections.handleVoteRequest(m, v.lastLogIndex(), v.lastLogTerm());
            default -> {
                switch (role) {
                    case LEADER -> leader.step(m);
                    case PRE_CANDIDATE, CANDIDATE -> elections.stepCandidate(m);
                    case FOLLOWER -> follower.step(m);
                }
            }
        }
    }

    /** Proposes application data; see {@link ProposeResult} for what the answer promises. */
    public ProposeResult propose(byte[] data) {
        return propose(List.of(Proposal.of(data)));
    }

    /** Proposes a membership change; it takes effect on each node when the node applies it. */
    public ProposeResult proposeConfChange(ConfChange change) {
        return propose(List.of(Proposal.of(change)));
    }

    /** Proposes a batch, appended (or forwarded) together. */
    public ProposeResult propose(List<Proposal> proposals) {
        readyTracker.requireNoReadyOutstanding();
        if (role == Role.LEADER) {
            return leader.appendProposals(proposals);
        }
        if (leaderId == NONE) {
            debug("%s no leader at term %d; dropping proposal", hex(id), term);
            return ProposeResult.NO_LEADER;
        }
        send(new Message.ForwardedProposal(id, leaderId, term, proposals));
        return ProposeResult.FORWARDED;
    }

    /**
     * Asks for a linearizable read (ReadIndex, 6.4). When confirmed, a {@link ReadState} with
     * {@code requestId} appears in a later {@link Ready}; it may never appear if leadership
     * changes, so the caller times out and asks again.
     *
     * @return false when no leader is known, so the read cannot even be asked for
     */
    public boolean requestRead(long requestId) {
        readyTracker.requireNoReadyOutstanding();
        if (role == Role.LEADER) {
            reads.request(id, List.of(requestId));
            return true;
        }
        if (leaderId == NONE) {
            return false;
        }
        send(new Message.ReadIndexRequest(id, leaderId, term, List.of(requestId)));
        return true;
    }

    /**
     * Leadership transfer (3.10) to {@code transferee}, which must be a voter; only a leader acts.
     *
     * @return whether the transfer was started (or is already under way to that member)
     */
    public boolean transferLeadership(long transferee) {
        readyTracker.requireNoReadyOutstanding();
        return role == Role.LEADER && leader.transferLeadership(transferee);
    }

    /** Starts an election now, as if the election timeout had passed. */
    public void campaign() {
        readyTracker.requireNoReadyOutstanding();
        elections.hup(false);
    }

    /** The transport's word on a snapshot sent to {@code memberId}: delivered or not. */
    public void reportSnapshot(long memberId, boolean delivered) {
        readyTracker.requireNoReadyOutstanding();
        if (role == Role.LEADER) {
            replication.snapshotReported(memberId, delivered);
        }
    }

    /** The transport could not reach {@code memberId}: stop pipelining to it and probe. */
    public void reportUnreachable(long memberId) {
        readyTracker.requireNoReadyOutstanding();
        Progress p = role == Role.LEADER ? tracker.progress(memberId) : null;
        if (p != null && p.state() == ProgressState.REPLICATE) {
            p.becomeProbe();
        }
    }

    /**
     * The transport lost an established connection to {@code memberId} (it was closed or reset,
     * as when that member's process dies). A follower that loses its leader this way does not
     * wait out a whole election timeout for heartbeats that a dead leader will not send: it
     * campaigns after the randomized part alone. With pre-vote on, this cannot depose a leader
     * that a quorum still hears: they refuse pre-votes while their own lease runs.
     */
    public void reportConnectionLost(long memberId) {
        readyTracker.requireNoReadyOutstanding();
        if (role == Role.FOLLOWER && memberId == leaderId && config.preVote()) {
            info("%s lost its connection to leader %s at term %d", hex(id), hex(memberId), term);
            elections.leaderConnectionLost();
        }
    }

    // ---- outputs ------------------------------------------------------------------------

    public boolean hasReady() {
        return readyTracker.hasReady();
    }

    /** The next batch of work; call {@link #advance()} when it is done, before any other input. */
    public Ready ready() {
        return readyTracker.ready();
    }

    /** The last {@link Ready} has been persisted, sent and applied as its contract says. */
    public void advance() {
        readyTracker.advance();
    }

    /** A read-only picture of this node, for status reports, tests and the simulator's checks. */
    public NodeStatus status() {
        return NodeStatus.of(this);
    }

    public long id() {
        return id;
    }

    public Role role() {
        return role;
    }

    public long term() {
        return term;
    }

    /** The leader this node follows, itself when leading, or {@link #NONE}. */
    public long leaderId() {
        return leaderId;
    }

    public long commitIndex() {
        return log.committed();
    }

    public long lastIndex() {
        return log.lastIndex();
    }

    /** The membership in force on this node: the latest in its log (thesis 4.1). */
    public ConfState config() {
        return log.config();
    }

    /**
     * The term of this node's log entry at {@code index} as it stands in memory: 0 past the end
     * of the log, -1 where compacted. For status reports and the simulator's safety checks.
     */
    public long termAt(long index) {
        try {
            return log.term(index);
        } catch (LogCompactedException e) {
            return -1;
        }
    }

    // ---- role transitions: the only places a role changes -------------------------------

    void becomeFollower(long newTerm, long newLeader) {
        reset(newTerm);
        role = Role.FOLLOWER;
        leaderId = newLeader;
        info("%s became follower at term %d", hex(id), term);
    }

    void becomePreCandidate() {
        if (role == Role.LEADER) {
            throw new IllegalStateException("invalid transition [leader -> pre-candidate]");
        }
        // Pre-vote changes neither term nor vote: a node that cannot win must not disturb anyone.
        role = Role.PRE_CANDIDATE;
        leaderId = NONE;
        tracker.resetVotes();
        info("%s became pre-candidate at term %d", hex(id), term);
    }

    void becomeCandidate() {
        if (role == Role.LEADER) {
            throw new IllegalStateException("invalid transition [leader -> candidate]");
        }
        reset(term + 1);
        vote = id;
        role = Role.CANDIDATE;
        info("%s became candidate at term %d", hex(id), term);
    }

    void becomeLeader() {
        if (role == Role.FOLLOWER) {
            throw new IllegalStateException("invalid transition [follower -> leader]");
        }
        reset(term);
        role = Role.LEADER;
        leaderId = id;
        leader.onElected();
        info("%s became leader at term %d", hex(id), term);
    }

    private void reset(long newTerm) {
        if (term != newTerm) {
            term = newTerm;
            vote = NONE;
        }
        leaderId = NONE;
        electionElapsed = 0;
        heartbeatElapsed = 0;
        randomizedElectionTimeout = config.electionTimeoutTicks()
                + random.nextInt(config.electionTimeoutTicks());
        tracker.resetVotes();
        leader.reset();
        reads.reset();
        replication.resetProgress();
    }

    // ---- shared helpers -----------------------------------------------------------------

    void send(Message m) {
        outbox.add(m);
    }

    /**
     * Whether this node may campaign: it votes in the membership in force, or it still votes in
     * the committed one and only an uncommitted change removes it. Such a node must be able to
     * lead (a leader may manage a cluster it is leaving, thesis 4.2.2): the survivors may lack the
     * change and need its vote, which it would refuse them if its log is longer.
     */
    boolean isPromotable() {
        if (log.hasPendingSnapshot()) {
            return false;
        }
        return log.config().isVoter(id) || log.configs().asOf(log.committed()).isVoter(id);
    }

    /**
     * Brings progress tracking in line with the log's membership after the log changed: a
     * membership entry takes effect on this node as soon as it is in its log.
     *
     * @return whether the membership changed (a leader has then already told its members)
     */
    boolean syncConfig() {
        if (log.configs().version() == syncedConfigVersion) {
            return false;
        }
        syncedConfigVersion = log.configs().version();
        ConfState next = log.config();
        tracker.applyConfig(next, log.lastIndex() + 1);
        info("%s switched to configuration voters=%s learners=%s", hex(id), hexes(next.voters()),
                hexes(next.learners()));
        if (role == Role.LEADER) {
            leader.onConfigChanged();
        }
        return true;
    }

    HardState hardState() {
        return new HardState(term, vote, log.committed());
    }

    boolean committedInCurrentTerm() {
        return log.termOrZero(log.committed()) == term;
    }

    void info(String format, Object... args) {
        if (logger.isEnabled(RaftLogger.Level.INFO)) {
            logger.log(RaftLogger.Level.INFO, String.format(format, args));
        }
    }

    void debug(String format, Object... args) {
        if (logger.isEnabled(RaftLogger.Level.DEBUG)) {
            logger.log(RaftLogger.Level.DEBUG, String.format(format, args));
        }
    }

    void warn(String format, Object... args) {
        if (logger.isEnabled(RaftLogger.Level.WARN)) {
            logger.log(RaftLogger.Level.WARN, String.format(format, args));
        }
    }

    static String hex(long memberId) {
        return Long.toHexString(memberId);
    }

    static String hexes(java.util.Set<Long> ids) {
        StringBuilder sb = new StringBuilder("(");
        for (long memberId : ids) {
            sb.append(sb.length() > 1 ? " " : "").append(hex(memberId));
        }
        return sb.append(')').toString();
    }
}
