package dev.consensus.faults.harness;

import dev.consensus.faults.check.Checkers;
import dev.consensus.faults.check.Status;
import dev.consensus.faults.history.Call;
import dev.consensus.faults.history.History;
import dev.consensus.faults.history.HistoryFile;
import dev.consensus.faults.history.HistoryRecorder;
import dev.consensus.faults.history.Operation;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

/**
 * One bounded run: start 3 members, run the workloads and the nemesis for the duration (or
 * until the operation budget is spent), heal everything, read every key once more, let the
 * watchers catch up, then check the history. Writes {@code history.jsonl}, {@code report.txt}
 * and the members' logs to {@link RunOptions#runDir()}; the members' data lives in a temporary
 * directory that is deleted at the end, and only processes this run started are stopped.
 */
public final class FaultRun {

    private static final int MEMBERS = 3;
    /** Three members plus two slots for learners added by membership changes. */
    private static final int SLOTS = 5;

    private FaultRun() {
    }

    public static RunResult run(RunOptions o, PrintStream out) {
        Path runDir = o.runDir();
        long started = System.nanoTime();
        Path work;
        try {
            deleteTree(runDir);
            Files.createDirectories(runDir);
            work = Files.createTempDirectory("faults-" + o.scenario().id() + "-" + o.seed() + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String replay = replayCommand(o);
        out.println("faults: " + o.scenario().id() + " seed " + o.seed() + " for " + o.duration().toSeconds()
                + " s: " + o.scenario().description());
        SmallDisk disk = null;
        PeerNetwork network = null;
        Cluster cluster = null;
        List<Thread> threads = new ArrayList<>();
        try {
            if (o.scenario() == Scenario.DISK_FULL) {
                Optional<String> why = SmallDisk.unavailable(work);
                if (why.isPresent()) {
                    String reason = why.get();
                    write(runDir.resolve("report.txt"), "SKIPPED: " + reason + "\n");
                    out.println("faults: SKIPPED " + o.scenario().id() + ": " + reason);
                    return new RunResult(o, Optional.empty(), Optional.of(reason), List.of(), 0, seconds(started),
                            runDir, replay, List.of());
                }
                disk = SmallDisk.mount(work.resolve("m1-data"));
            }
            network = PeerNetwork.create(work, SLOTS, new Random(o.seed()));
            List<String> flags = new ArrayList<>(o.scenario().serverFlags());
            flags.addAll(o.serverFlags());
            cluster = new Cluster(work, network, flags, "faults-" + o.seed(), StartupArchive.get(o.outRoot(), out));
            cluster.start(MEMBERS);
            out.printf("faults: 3 members up in %.1f s%n", seconds(started));
            HistoryRecorder recorder = new HistoryRecorder();
            RunContext ctx = new RunContext(cluster, recorder, o);
            List<String> problems = Collections.synchronizedList(new ArrayList<>());
            Nemesis nemesis = drive(ctx, disk, threads, problems);
            out.printf("faults: healed, final reads done, watchers caught up at %.1f s%n", seconds(started));
            RunResult result = judge(ctx, nemesis, seconds(started), runDir, replay, problems);
            out.println(result.summary());
            Checkers.Report report = result.report().orElseThrow();
            if (!result.passed()) {
                out.println(report.text());
                out.println("faults: " + report.status() + " with seed " + o.seed() + "; replay with: " + replay);
            }
            return result;
        } finally {
            for (Thread t : threads) {
                t.interrupt();
            }
            if (cluster != null) {
                cluster.close();
            }
            if (network != null) {
                network.close();
            }
            if (disk != null) {
                disk.close();
            }
            copyLogs(work, runDir);
            deleteTree(work);
            out.printf("faults: cleaned up at %.1f s%n", seconds(started));
        }
    }

    /**
     * Runs the workloads and the nemesis until the duration or the operation budget ends, lifts
     * every fault, reads every key once more and lets the watchers catch up; returns the nemesis
     * for its log. Every thread it starts goes into {@code threads}, for the caller to stop.
     */
    private static Nemesis drive(RunContext ctx, SmallDisk disk, List<Thread> threads, List<String> problems) {
        RunOptions o = ctx.options;
        long end = System.nanoTime() + o.duration().toNanos();
        List<Watcher> watchers = new ArrayList<>();
        for (int i = 1; i <= o.watchers(); i++) {
            Watcher w = new Watcher(ctx, "w" + i);
            watchers.add(w);
            threads.add(Thread.ofPlatform().daemon().name("w" + i).start(w));
        }
        List<Thread> clients = new ArrayList<>();
        for (int i = 1; i <= o.clients(); i++) {
            clients.add(Thread.ofPlatform().daemon().name("c" + i).start(new RegisterClient(ctx, "c" + i)));
        }
        for (int i = 1; i <= o.leaseClients(); i++) {
            clients.add(Thread.ofPlatform().daemon().name("l" + i).start(new LeaseClient(ctx, "l" + i, i)));
        }
        threads.addAll(clients);
        Nemesis nemesis = new Nemesis(ctx, end, disk, problems);
        Thread nemesisThread = Thread.ofPlatform().daemon().name("nemesis").start(nemesis);
        threads.add(nemesisThread);

        while (System.nanoTime() < end && !ctx.stop.get()) {
            NodeProcess.sleep(200);
        }
        ctx.stop.set(true);
        join(nemesisThread, Duration.ofSeconds(60));
        nemesis.healAll();
        for (Thread t : clients) {
            join(t, Duration.ofSeconds(15));
        }
        ctx.cluster.awaitLeader(Duration.ofSeconds(60));
        nemesis.finishMembership();
        long finalRevision = finalReads(ctx, problems);
        for (Watcher w : watchers) {
            w.finish(finalRevision);
        }
        for (Thread t : threads) {
            join(t, Duration.ofSeconds(20));
        }
        return nemesis;
    }

    /** Writes the history, checks it, writes the report; the result says what the checkers said. */
    private static RunResult judge(RunContext ctx, Nemesis nemesis, double seconds, Path runDir, String replay,
                                   List<String> problems) {
        History history = ctx.recorder.history();
        try {
            HistoryFile.write(runDir.resolve("history.jsonl"), history);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the history to " + runDir, e);
        }
        Checkers.Report report = Checkers.defaults().check(history);
        RunResult result = new RunResult(ctx.options, Optional.of(report), Optional.empty(), nemesis.log(),
                nemesis.applied(), seconds, runDir, replay, problems);
        String text = result.summary() + "\n\nfaults:\n" + String.join("\n", nemesis.log()) + "\n\n" + report.text();
        if (!result.passed()) {
            text += "\nseed " + ctx.options.seed() + "; replay with: " + replay + "\n";
        }
        write(runDir.resolve("report.txt"), text);
        return result;
    }

    /**
     * Reads every register key with mode FINAL on every running member, retrying (bounded) until
     * each key has one answer; returns the highest revision seen, for the watchers to reach.
     */
    private static long finalReads(RunContext ctx, List<String> problems) {
        long revision = 0;
        for (Cluster.Node n : ctx.cluster.members()) {
            if (!n.running()) {
                problems.add(n.name + " is not running after the faults were lifted; its log ends:\n"
                        + n.process.logTail().indent(4));
                continue;
            }
            if (n.learner) {
                continue; // a learner serves no linearizable read; finishMembership reported why it is one
            }
            for (int k = 0; k < ctx.options.keys(); k++) {
                String key = RegisterClient.key(k);
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                boolean answered = false;
                while (!answered && System.nanoTime() < deadline) {
                    answered = RegisterClient.read(ctx, "final", n.slot, key, Call.ReadMode.FINAL, null);
                    if (!answered) {
                        NodeProcess.sleep(300);
                        ctx.cluster.reconnectNow(n.slot);
                    }
                }
                if (!answered) {
                    problems.add(n.name + " answered no final read of " + key + " within 20 s");
                    break; // the next keys would wait as long for nothing
                }
            }
        }
        for (Operation op : ctx.recorder.history().operations()) {
            if (op.isOk()) {
                revision = Math.max(revision, op.ok().revision());
            }
        }
        return revision;
    }

    /** The command that replays this run's schedule. */
    static String replayCommand(RunOptions o) {
        String flags = o.serverFlags().isEmpty() ? "" : " FLAGS='" + String.join(" ", o.serverFlags()) + "'";
        return "make faults SCENARIO=" + o.scenario().id() + " DURATION=" + o.duration().toSeconds() + " SEED="
                + o.seed() + flags;
    }

    private static void join(Thread t, Duration timeout) {
        try {
            t.join(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyLogs(Path work, Path runDir) {
        try (Stream<Path> files = Files.list(work)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".log")).toList()) {
                Files.copy(f, runDir.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException ignored) {
            // Logs are a convenience; the history and report are already written.
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + root, e);
        }
    }
}
