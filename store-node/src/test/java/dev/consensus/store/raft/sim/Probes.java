package dev.consensus.store.raft.sim;

import dev.consensus.store.raft.NodeStatus;
import dev.consensus.store.raft.RaftNode;
import dev.consensus.store.raft.Role;
import java.util.ArrayList;
import java.util.List;

/**
 * Calm interludes in the safety phase that check two promises about leadership, which chaos
 * alone cannot judge:
 * <ul>
 *   <li><b>pre-vote</b> (thesis 9.6): a follower cut off for several election timeouts and then
 *       reconnected does not depose a leader that the others kept hearing from;</li>
 *   <li><b>check-quorum</b>: a leader cut off from everyone steps down within two election
 *       timeouts.</li>
 * </ul>
 * Each probe first waits for a settled cluster (every member up, following one leader, caught
 * up, no leadership transfer under way), with no loss and no messages left over from the chaos;
 * if none settles in time, the probe is abandoned without a verdict.
 */
final class Probes {

    private static final int SETTLE_TICKS = 80;

    private final Simulation sim;
    private boolean active;
    private boolean cancelled;
    private int generation;

    Probes(Simulation sim) {
        this.sim = sim;
    }

    void start() {
        int count = sim.params.probes();
        for (int i = 0; i < count; i++) {
            long slot = sim.params.safetyMs() / (count + 1);
            long at = slot * (i + 1) + sim.random.nextInt((int) (slot / 2));
            boolean rejoin = (i + sim.random.nextInt(2)) % 2 == 0;
            sim.events.at(at, () -> begin(rejoin));
        }
    }

    void cancel() {
        cancelled = true;
        active = false;
        generation++;
    }

    private void begin(boolean rejoin) {
        if (active || cancelled) {
            return;
        }
        active = true;
        int gen = ++generation;
        sim.chaos = false;
        sim.network.setWeather(SimNetwork.Weather.CALM);
        sim.network.healAll();
        sim.network.loseInFlight();
        sim.restartAll();
        sim.trace("probe: calm, waiting for a settled cluster to test %s", rejoin ? "pre-vote" : "check-quorum");
        awaitSettled(gen, rejoin, 0);
    }

    private void awaitSettled(int gen, boolean rejoin, int waited) {
        sim.events.after(SimParams.TICK_MS, () -> {
            if (gen != generation) {
                return;
            }
            SimNode leader = settledLeader();
            if (leader != null) {
                // A TimeoutNow of a transfer aborted a moment ago may still be on its way.
                sim.network.loseInFlight();
                if (rejoin) {
                    isolateFollower(gen, leader);
                } else {
                    isolateLeader(gen, leader);
                }
            } else if (waited >= SETTLE_TICKS) {
                sim.stats.probesAbandoned++;
                end("no settled cluster");
            } else {
                awaitSettled(gen, rejoin, waited + 1);
            }
        });
    }

    private SimNode settledLeader() {
        SimNode leader = sim.leader();
        if (leader == null || leader.raft().commitIndex() != leader.raft().lastIndex()) {
            return null;
        }
        NodeStatus status = leader.raft().status();
        if (status.applied() != status.commit() || status.leadTransferee() != RaftNode.NONE) {
            return null;
        }
        for (var e : status.progress().entrySet()) {
            SimNode n = sim.nodes.get(e.getKey());
            if (n == null || !n.isUp() || n.raft().term() != status.term() || n.raft().leaderId() != leader.id()
                    || e.getValue().match() != status.lastIndex()) {
                return null;
            }
        }
        return leader;
    }

    private void isolateFollower(int gen, SimNode leader) {
        List<Long> followers = new ArrayList<>(leader.raft().config().voters());
        followers.remove(leader.id());
        if (followers.size() < 2) {
            sim.stats.probesAbandoned++;
            end("too few voters to cut one off and keep a majority");
            return;
        }
        long follower = followers.get(sim.random.nextInt(followers.size()));
        long term = leader.raft().term();
        int isolatedTicks = SimParams.ELECTION_TICKS * (3 + sim.random.nextInt(4));
        sim.trace("probe: isolating follower %d from leader %d (term %d) for %d ticks", follower, leader.id(), term,
                isolatedTicks);
        isolate(follower, true);
        sim.events.after((long) isolatedTicks * SimParams.TICK_MS, () -> {
            if (gen != generation) {
                return;
            }
            isolate(follower, false);
            sim.trace("probe: follower %d reconnected", follower);
            sim.events.after(3L * SimParams.ELECTION_MS, () -> {
                if (gen != generation) {
                    return;
                }
                if (!leader.isLeader() || leader.raft().term() != term) {
                    throw new SimulationFailure("PreVoteNoDisruption", "follower " + follower + " cut off for "
                            + isolatedTicks + " ticks deposed healthy leader " + leader.id() + " of term " + term
                            + " on rejoining: " + sim.describe());
                }
                sim.stats.probesPassed++;
                end("leader kept its term");
            });
        });
    }

    private void isolateLeader(int gen, SimNode leader) {
        if (leader.raft().config().voters().size() < 2) {
            sim.stats.probesAbandoned++;
            end("a single voter is its own majority");
            return;
        }
        long term = leader.raft().term();
        sim.trace("probe: isolating leader %d of term %d", leader.id(), term);
        isolate(leader.id(), true);
        long bound = (2L * SimParams.ELECTION_TICKS + 3) * SimParams.TICK_MS;
        sim.events.after(bound, () -> {
            if (gen != generation) {
                return;
            }
            if (leader.isUp() && leader.raft().role() == Role.LEADER && leader.raft().term() == term) {
                throw new SimulationFailure("CheckQuorum", "leader " + leader.id() + " cut off from every member for "
                        + bound + "ms still leads term " + term);
            }
            isolate(leader.id(), false);
            sim.stats.probesPassed++;
            end("isolated leader stepped down");
        });
    }

    private void isolate(long id, boolean cut) {
        for (long other : sim.nodes.keySet()) {
            if (other != id) {
                if (cut) {
                    sim.network.cut(id, other);
                    sim.network.cut(other, id);
                } else {
                    sim.network.restore(id, other);
                    sim.network.restore(other, id);
                }
            }
        }
    }

    private void end(String outcome) {
        sim.trace("probe: done (%s); chaos resumes", outcome);
        active = false;
        sim.chaos = true;
        sim.network.setWeather(sim.params.chaosWeather());
    }
}
