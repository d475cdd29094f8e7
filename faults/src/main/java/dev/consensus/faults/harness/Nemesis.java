package dev.consensus.faults.harness;

import dev.consensus.faults.history.HistoryRecorder;
import dev.consensus.faults.harness.Scenario.FaultKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Applies a scenario's faults on a seeded schedule until the run's end: a quiet spell, one
 * fault drawn from the scenario, held for a while, lifted; every step written into the history
 * with its time. {@link #healAll} lifts whatever is still in force. The schedule's choices come
 * from the seed; the moments depend on the machine, so a replay repeats the kinds and targets in
 * order but not to the millisecond.
 */
final class Nemesis implements Runnable {

    /**
     * What a member says, in its log and on stderr, when it stops, or cannot start, because its
     * data disk is full.
     */
    static final String DISK_FULL_STOP = "the data disk is full";

    private final RunContext ctx;
    private final Cluster cluster;
    private final HistoryRecorder recorder;
    private final Random random;
    private final long endNanos;
    private final SmallDisk disk;
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final List<String> problems;
    private int applied;

    /** {@code problems}: where faults the run must fail on go (thread-safe; the run reads it at the end). */
    Nemesis(RunContext ctx, long endNanos, SmallDisk disk, List<String> problems) {
        this.problems = problems;
        this.ctx = ctx;
        this.cluster = ctx.cluster;
        this.recorder = ctx.recorder;
        this.random = ctx.random("nemesis");
        this.endNanos = endNanos;
        this.disk = disk;
    }

    int applied() {
        return applied;
    }

    List<String> log() {
        return List.copyOf(log);
    }

    @Override
    public void run() {
        List<FaultKind> kinds = ctx.options.scenario().faults();
        sleep(800 + random.nextInt(700));
        while (System.nanoTime() < endNanos - Duration.ofSeconds(1).toNanos() && !ctx.stop.get()) {
            FaultKind kind = kinds.get(random.nextInt(kinds.size()));
            try {
                apply(kind);
            } catch (RuntimeException e) {
                note("error", "-", kind + " failed: " + e.getMessage());
            }
            healAll();
            sleep(1000 + random.nextInt(1500));
        }
    }

    private void apply(FaultKind kind) {
        long hold = 1500 + random.nextInt(2500);
        switch (kind) {
            case KILL_RANDOM -> killAndRestart(List.of(randomRunning()), hold);
            case KILL_LEADER -> leader().ifPresent(l -> killAndRestart(List.of(l), hold));
            case KILL_MAJORITY -> {
                List<Integer> running = running();
                Collections.shuffle(running, random);
                killAndRestart(running.subList(0, Math.min(running.size(), voters() / 2 + 1)), hold);
            }
            case PAUSE_RANDOM -> pause(randomRunning(), hold);
            case PAUSE_LEADER -> leader().ifPresent(l -> pause(l, hold));
            case PARTITION_ONE -> {
                int m = randomRunning();
                cluster.network().partition(List.of(m));
                note("partition", "m" + m, "symmetric: m" + m + " | the rest");
                sleep(hold);
            }
            case PARTITION_ONE_WAY -> {
                List<Integer> running = running();
                int from = running.get(random.nextInt(running.size()));
                List<Integer> to = new ArrayList<>(running);
                to.remove(Integer.valueOf(from));
                if (random.nextBoolean()) {
                    cluster.network().cut(List.of(from), to);
                    note("partition", "m" + from, "one-way: m" + from + "'s messages to the others dropped");
                } else {
                    cluster.network().cut(to, List.of(from));
                    note("partition", "m" + from, "one-way: the others' messages to m" + from + " dropped");
                }
                sleep(hold);
            }
            case ISOLATE_LEADER -> leader().ifPresent(l -> {
                cluster.network().partition(List.of(l));
                note("partition", "m" + l, "leader m" + l + " isolated from its followers, not from clients");
                sleep(hold);
            });
            case MEMBERSHIP -> membership();
            case DISK_FULL -> diskFull(hold);
        }
        applied++;
    }

    private void killAndRestart(List<Integer> slots, long hold) {
        for (int s : slots) {
            cluster.kill(s);
            note("kill", "m" + s, "SIGKILL");
        }
        sleep(hold);
        for (int s : slots) {
            cluster.restart(s);
            note("restart", "m" + s, "same flags and data dir");
        }
    }

    private void pause(int slot, long hold) {
        cluster.pause(slot);
        note("pause", "m" + slot, "SIGSTOP");
        sleep(hold);
        cluster.resume(slot);
        note("resume", "m" + slot, "SIGCONT");
    }

    /** Add a learner, promote it once in sync, remove another member (the leader half the time). */
    private void membership() {
        Optional<Integer> slot = cluster.freeSlot();
        Optional<Integer> leader = leader();
        if (slot.isEmpty() || leader.isEmpty()) {
            note("skip", "-", "membership: " + (slot.isEmpty() ? "no free slot left" : "no leader"));
            return;
        }
        int learner = slot.get();
        cluster.addLearner(learner, leader.get());
        note("add-learner", "m" + learner, "MemberAdd isLearner=true, then started with --initial-cluster-state existing");
        Optional<String> refused = promote(learner, Duration.ofSeconds(20));
        if (refused.isPresent()) {
            note("promote-failed", "m" + learner, refused.get() + " (promoted again after the faults are lifted)");
            return;
        }
        note("promote", "m" + learner, "MemberPromote");
        Optional<Integer> now = leader();
        List<Integer> others = new ArrayList<>();
        for (Cluster.Node n : cluster.members()) {
            if (n.slot != learner) {
                others.add(n.slot);
            }
        }
        int victim = random.nextBoolean() && now.isPresent() ? now.get() : others.get(random.nextInt(others.size()));
        cluster.remove(victim);
        note("remove", "m" + victim, (now.isPresent() && now.get() == victim ? "the leader, " : "")
                + "MemberRemove; its process stopped");
        sleep(1000);
        cluster.node(victim).process.stop(Duration.ofSeconds(5));
    }

    /**
     * MemberPromote, retried every half second until it is accepted or {@code within} has passed;
     * the last refusal when it never was ("learner not in sync" until it catches up).
     */
    private Optional<String> promote(int learner, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        String last = "no leader";
        while (System.nanoTime() < deadline) {
            sleep(500);
            Cluster.Node n = cluster.node(learner);
            if (n.process != null && !n.running() && !n.paused) {
                // A learner that asked a peer which had not applied its MemberAdd yet exits at
                // once ("member count is unequal"): start it again, as an operator would.
                last = "the learner had exited";
                String why = lastLine(n.process.logLines("cannot start"));
                cluster.restart(learner);
                note("restart", n.name, "the learner had exited: " + why);
                continue;
            }
            Optional<Integer> via = cluster.leader();
            if (via.isEmpty()) {
                last = "no leader";
                continue;
            }
            try {
                cluster.promote(learner, via.get());
                return Optional.empty();
            } catch (RuntimeException e) {
                last = Errors.describe(e);
            }
        }
        return Optional.of(last);
    }

    /**
     * Promotes every learner whose promotion failed under faults: a learner serves no
     * linearizable read, so the final reads cannot be made on it. One still refused 30 s after
     * the faults were lifted has not caught up with a healthy cluster, which fails the run.
     */
    void finishMembership() {
        for (Cluster.Node n : cluster.members()) {
            if (!n.learner || !n.running()) {
                continue;
            }
            Optional<String> refused = promote(n.slot, Duration.ofSeconds(30));
            if (refused.isPresent()) {
                note("promote-failed", n.name, refused.get() + " (after the faults were lifted)");
                problems.add("learner " + n.name + " was still refused promotion 30 s after the faults were lifted ("
                        + refused.get() + "); its log ends:\n" + n.process.logTail().indent(4));
            } else {
                note("promote", n.name, "MemberPromote after the faults were lifted");
            }
        }
    }

    private static String lastLine(List<String> lines) {
        return lines.isEmpty() ? "no reason in its log" : lines.get(lines.size() - 1).strip();
    }

    private void diskFull(long hold) {
        if (disk == null) {
            note("skip", "m1", "disk-full: no small disk mounted");
            return;
        }
        long bytes = disk.fill();
        note("disk-full", "m1", "filler took the last " + bytes + " bytes of its " + SmallDisk.SIZE + " tmpfs");
        // Whatever m1 frees (old WAL segments, snapshots) the filler takes again, so the disk stays
        // full for the whole hold, not only until the member's next cleanup.
        long until = System.nanoTime() + Duration.ofMillis(hold + 2000).toNanos();
        long more = 0;
        while (System.nanoTime() < until) {
            sleep(100);
            more += disk.fill();
        }
        disk.free();
        note("disk-topped-up", "m1", "the filler took " + more + " more bytes that m1 freed meanwhile");
        boolean alive = cluster.node(1).running();
        note("disk-freed", "m1", alive ? "m1 still running; " + progress() : "m1 had stopped; " + howStopped());
        if (!alive) {
            cluster.restart(1);
            note("restart", "m1", "after the disk was freed");
        }
    }

    /**
     * How m1 stopped: a member whose disk filled must stop cleanly and say why (a non-zero exit
     * status and a line naming the full disk, from the start of it that stopped: the line of an
     * earlier start does not count, and one printed while the process was still exiting does);
     * anything else fails the run.
     */
    private String howStopped() {
        NodeProcess p = cluster.node(1).process;
        String status = p.exitStatus().isPresent() ? "exit status " + p.exitStatus().getAsInt() : "exit status unknown";
        List<String> explained = p.logLines(DISK_FULL_STOP);
        boolean clean = !explained.isEmpty() && p.exitStatus().orElse(0) != 0;
        if (!clean) {
            problems.add("m1 stopped on the full disk without saying so (" + status + ", no new \"" + DISK_FULL_STOP
                    + "\" line in its log); its log ends:\n" + p.logTail().indent(4));
            return status + ", with no line saying its disk was full";
        }
        return status + ": " + explained.get(explained.size() - 1).strip();
    }

    /**
     * Whether m1 still applies what the cluster commits, for the record: a member that met
     * ENOSPC should raise NOSPACE or stop, not linger without applying.
     */
    private String progress() {
        var before = cluster.status(1);
        sleep(1500);
        var after = cluster.status(1);
        var leader = leader().flatMap(cluster::status);
        if (before.isEmpty() || after.isEmpty()) {
            return "its Status does not answer";
        }
        long applied = after.get().getRaftAppliedIndex();
        String alarms = after.get().getErrorsList().isEmpty() ? "no alarm" : "errors " + after.get().getErrorsList();
        String verdict = applied > before.get().getRaftAppliedIndex() ? "applying" : "NOT applying";
        return verdict + " (applied index " + applied + ", leader's commit "
                + leader.map(l -> Long.toString(l.getRaftIndex())).orElse("?") + "), " + alarms;
    }

    /** Lifts every fault still in force: heals the network, resumes and restarts members. */
    void healAll() {
        if (!cluster.network().cutLinks().isEmpty()) {
            cluster.network().healAll();
            note("heal", "network", "all links forward again");
        }
        for (Cluster.Node n : cluster.members()) {
            if (n.paused) {
                cluster.resume(n.slot);
                note("resume", n.name, "SIGCONT");
            }
            if (n.process != null && !n.running()) {
                cluster.restart(n.slot);
                note("restart", n.name, "at heal");
            }
        }
    }

    private void note(String kind, String target, String detail) {
        recorder.fault(kind, target, detail);
        log.add(String.format("%8.3fs %-12s %-8s %s", recorder.now() / 1e9, kind, target, detail));
    }

    /**
     * The leader, waiting (up to 10 s) for one: right after a restart there may be none yet, and a
     * leader-targeted fault should hit the next leader rather than silently nothing.
     */
    private Optional<Integer> leader() {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            Optional<Integer> l = cluster.leader();
            if (l.isPresent() || System.nanoTime() > deadline) {
                if (l.isEmpty()) {
                    note("skip", "-", "no leader within 10 s for a leader-targeted fault");
                }
                return l;
            }
            sleep(200);
        }
    }

    private List<Integer> running() {
        List<Integer> out = new ArrayList<>();
        for (Cluster.Node n : cluster.members()) {
            if (n.running() && !n.paused) {
                out.add(n.slot);
            }
        }
        return out;
    }

    private int randomRunning() {
        List<Integer> r = running();
        return r.get(random.nextInt(r.size()));
    }

    private int voters() {
        return (int) cluster.members().stream().count();
    }

    private static void sleep(long millis) {
        NodeProcess.sleep(millis);
    }
}
