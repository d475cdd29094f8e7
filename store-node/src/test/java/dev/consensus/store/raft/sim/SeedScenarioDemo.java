package dev.consensus.store.raft.sim;

import dev.consensus.store.raft.ConfChangeType;
import dev.consensus.store.raft.NodeStatus;
import dev.consensus.store.raft.Role;

/**
 * {@code make demo}: the seed walkthrough, narrated, on the Raft core in the simulator (until the
 * server exists): three members elect a leader, a write commits on a majority, the leader is cut
 * off and a new one is elected after pre-vote, a learner joins, catches up and is promoted, and
 * the old leader returns as a follower without disturbing anyone. Deterministic: the same run
 * every time.
 */
public final class SeedScenarioDemo {

    private SeedScenarioDemo() {}

    public static void main(String[] args) {
        ScenarioCluster c = new ScenarioCluster(System.out, 2026);

        c.heading("1. three members start and elect a leader (pre-vote, then vote)");
        c.bootstrap("infra0", "infra1", "infra2");
        c.runUntil(() -> c.leader() != null && c.leader().raft().commitIndex() >= 4, 5_000);
        String first = c.name(c.leader().id());
        c.say("%s leads term %d", first, c.leader().raft().term());

        c.heading("2. a write commits on a majority, even with one member cut off");
        String follower = otherThan(c, first, null);
        c.isolate(follower);
        long index = c.put("greeting=hello");
        c.runUntil(() -> c.leader().raft().commitIndex() >= index, 2_000);
        c.say("index %d committed on %s and the other reachable member: 2 of 3 is a majority", index, first);
        c.heal();
        c.runUntil(() -> c.appliedEverywhere(index, "infra0", "infra1", "infra2"), 3_000);
        c.say("%s caught up: every member applied index %d", follower, index);

        c.heading("3. the leader is cut off: it steps down, and the others elect a new one after pre-vote");
        long oldTerm = c.leader().raft().term();
        c.isolate(first);
        c.runUntil(() -> c.leader() != null && !c.name(c.leader().id()).equals(first)
                && c.node(first).raft().role() != Role.LEADER, 5_000);
        String second = c.name(c.leader().id());
        c.say("%s leads term %d (was %d); %s is a %s", second, c.leader().raft().term(), oldTerm, first,
                c.node(first).raft().role().logName());
        long written = c.put("greeting=hello-again");
        c.runUntil(() -> c.leader().raft().commitIndex() >= written, 2_000);

        c.heading("4. a learner joins, catches up, and is promoted");
        c.startJoining("infra3");
        c.changeMembership(ConfChangeType.ADD_LEARNER, "infra3");
        c.runUntil(() -> caughtUp(c, "infra3"), 5_000);
        NodeStatus.MemberProgress p = c.leader().raft().status().progress().get(ScenarioCluster.idOf("infra3"));
        c.say("infra3 matches index %d of the leader's %d: caught up, so it may be promoted", p.match(),
                c.leader().raft().lastIndex());
        c.changeMembership(ConfChangeType.PROMOTE_LEARNER, "infra3");
        c.runUntil(() -> c.node("infra3").raft().config().isVoter(ScenarioCluster.idOf("infra3"))
                && c.leader().raft().commitIndex() == c.leader().raft().lastIndex(), 3_000);
        c.say("infra3 votes now: voters are %d, quorum %d", c.leader().raft().config().voters().size(),
                c.leader().raft().config().voters().size() / 2 + 1);

        c.heading("5. the old leader returns as a follower, and the leader keeps its term");
        long term = c.leader().raft().term();
        c.runFor(3_000);
        c.say("while cut off, %s's pre-votes found no majority, so its term is still %d", first,
                c.node(first).raft().term());
        c.heal();
        c.runUntil(() -> c.node(first).raft().leaderId() == c.leader().id()
                && c.node(first).app().appliedIndex() == c.leader().raft().commitIndex(), 5_000);
        c.runFor(3_000);
        c.say("%s follows %s at term %d; the leader's term is still %d", first, c.name(c.leader().id()),
                c.node(first).raft().term(), term);
        c.printStatusTable();
    }

    private static boolean caughtUp(ScenarioCluster c, String learner) {
        NodeStatus.MemberProgress p = c.leader().raft().status().progress().get(ScenarioCluster.idOf(learner));
        return p != null && p.match() == c.leader().raft().lastIndex();
    }

    private static String otherThan(ScenarioCluster c, String a, String b) {
        for (String n : new String[] {"infra0", "infra1", "infra2"}) {
            if (!n.equals(a) && !n.equals(b)) {
                return n;
            }
        }
        throw new IllegalStateException();
    }
}
