package dev.consensus.store.raft.sim;

import dev.consensus.store.raft.ConfChange;
import dev.consensus.store.raft.ConfChangeType;
import dev.consensus.store.raft.ConfState;
import dev.consensus.store.raft.NodeStatus;
import dev.consensus.store.raft.ProposeResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Membership changes as the operator makes them: a new member joins as a learner and is promoted
 * once caught up (its match within 10% of the leader's log, etcd's rule), members are removed
 * (the leader too), and now and then a voter is added directly, or leadership moved.
 *
 * <p>A removed member is shut down for good only once every remaining voter has the removal
 * committed on disk. Until then the others may still count it under the old membership (changes
 * take effect when applied), so shutting it down earlier is a permanent loss of a voter, a fault
 * Raft does not claim to survive.
 */
final class MembershipDriver {

    private static final int MAX_VOTERS = 5;
    private static final int MAX_LEARNERS = 2;
    private static final int MAX_MEMBERS = 7;

    private final Simulation sim;
    private record Removal(long member, long index, Set<Long> remainingVoters) {}

    private final Set<Long> removed = new HashSet<>();
    private final List<Removal> leaving = new ArrayList<>();

    MembershipDriver(Simulation sim) {
        this.sim = sim;
    }

    void start() {
        if (sim.params.membershipChanges()) {
            schedule();
        }
    }

    private void schedule() {
        sim.events.after(SimParams.ELECTION_MS * (2 + sim.random.nextInt(6)), () -> {
            if (sim.chaos) {
                change();
            }
            schedule();
        });
    }

    private void change() {
        SimNode leader = sim.leader();
        if (leader == null) {
            return;
        }
        ConfState conf = leader.raft().config();
        List<Long> learners = new ArrayList<>(conf.learners());
        List<Long> voters = new ArrayList<>(conf.voters());
        switch (sim.random.nextInt(6)) {
            case 0, 1 -> {
                if (learners.size() < MAX_LEARNERS && conf.members().size() < MAX_MEMBERS) {
                    propose(leader, ConfChangeType.ADD_LEARNER, sim.addJoiningNode().id());
                }
            }
            case 2 -> {
                if (!learners.isEmpty()) {
                    long learner = learners.get(sim.random.nextInt(learners.size()));
                    if (caughtUp(leader, learner) && voters.size() < MAX_VOTERS) {
                        propose(leader, ConfChangeType.PROMOTE_LEARNER, learner);
                    }
                }
            }
            case 3 -> {
                if (voters.size() > 1) {
                    long victim = sim.random.nextInt(4) == 0 ? leader.id() : voters.get(sim.random.nextInt(voters.size()));
                    propose(leader, ConfChangeType.REMOVE_MEMBER, victim);
                } else if (!learners.isEmpty()) {
                    propose(leader, ConfChangeType.REMOVE_MEMBER, learners.getFirst());
                }
            }
            case 4 -> {
                long target = voters.get(sim.random.nextInt(voters.size()));
                boolean started = leader.raft().transferLeadership(target);
                sim.afterInput(leader);
                sim.trace("membership: transfer leadership from %d to %d: %s", leader.id(), target,
                        started ? "started" : "refused");
            }
            default -> {
                if (sim.random.nextInt(4) == 0 && voters.size() < MAX_VOTERS && conf.members().size() < MAX_MEMBERS) {
                    propose(leader, ConfChangeType.ADD_VOTER, sim.addJoiningNode().id());
                }
            }
        }
    }

    private static boolean caughtUp(SimNode leader, long learner) {
        NodeStatus.MemberProgress p = leader.raft().status().progress().get(learner);
        return p != null && p.match() * 10 >= leader.raft().lastIndex() * 9;
    }

    private void propose(SimNode leader, ConfChangeType type, long member) {
        ProposeResult result = leader.raft().proposeConfChange(new ConfChange(type, member));
        sim.afterInput(leader);
        sim.trace("membership: propose %s %d at leader %d: %s", type, member, leader.id(), result);
    }

    /** A removal was applied somewhere, so it is committed: the member leaves once it safely can. */
    void removed(long member, long index, Set<Long> remainingVoters) {
        if (removed.add(member)) {
            leaving.add(new Removal(member, index, remainingVoters));
            if (leaving.size() == 1) {
                sim.events.after(SimParams.TICK_MS, this::decommissionWhenSafe);
            }
        }
    }

    private void decommissionWhenSafe() {
        leaving.removeIf(r -> {
            for (long v : r.remainingVoters()) {
                SimNode n = sim.nodes.get(v);
                if (n != null && !sim.decommissioned.contains(v) && n.disk().hardState().commit() < r.index()) {
                    return false;
                }
            }
            sim.decommission(r.member());
            return true;
        });
        if (!leaving.isEmpty()) {
            sim.events.after(SimParams.TICK_MS, this::decommissionWhenSafe);
        }
    }
}
