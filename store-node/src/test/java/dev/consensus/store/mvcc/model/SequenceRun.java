package dev.consensus.store.mvcc.model;

import com.google.protobuf.Empty;
import dev.consensus.api.etcdserverpb.LeaseTimeToLiveRequest;
import dev.consensus.api.etcdserverpb.RangeRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.LongFunction;

/**
 * One seeded sequence of operations, applied to the model and to each target, with every answer
 * and every watch stream compared after every step. A mismatch fails with the seed, the step,
 * the operation, every side's answer, the steps just before, and the command that replays it.
 */
public final class SequenceRun {

    /** How many steps a failure lists; -Dmvcc.model.recent=N lists more. */
    private static final int RECENT_STEPS = Integer.getInteger("mvcc.model.recent", 12);

    private final long seed;
    private final int steps;
    private final LongFunction<String> replayCommand;
    private final EtcdModel model = EtcdModel.withEtcdDefaults();
    private final OpGenerator generator;
    private final Comparison comparison;
    private final RunStats stats;
    private final Deque<String> recent = new ArrayDeque<>();

    public SequenceRun(long seed, int steps, GeneratorConfig config, LongFunction<String> replayCommand,
            List<Target> targets, RunStats stats) {
        this.seed = seed;
        this.steps = steps;
        this.replayCommand = replayCommand;
        this.generator = new OpGenerator(seed, model, config);
        this.comparison = new Comparison(model, targets);
        this.stats = stats;
    }

    /** Runs every step, then checks the final state. */
    public void run() {
        for (int step = 0; step < steps; step++) {
            step(step, generator.next());
        }
        for (int watch : model.openWatches()) {
            // A progress response comes after every event up to its revision: nothing was left out.
            if (model.watchStart(watch) <= model.revision() + 1) {
                step(steps, new ModelOp.WatchProgress(watch));
            }
        }
        checkState(steps, "final state");
        for (int watch = 0; watch < model.watchCount(); watch++) {
            stats.watchItems(model.expectedItems(watch).size());
        }
    }

    private void step(int step, ModelOp op) {
        remember(step, op);
        if (op instanceof ModelOp.Reopen) {
            stats.record(op, new Outcome.Ok(Empty.getDefaultInstance()));
            checkState(step, "before reopen");
            try {
                comparison.reopen();
            } catch (AssertionError e) {
                throw failure(step, op, e.getMessage(), e);
            }
            checkState(step, "after reopen");
            return;
        }
        compare(step, op, "");
        for (int watch = 0; watch < model.watchCount(); watch++) {
            String difference = comparison.watchDifference(watch);
            if (difference != null) {
                throw failure(step, op, difference, null);
            }
        }
    }

    private void compare(int step, ModelOp op, String context) {
        Comparison.Answers answers;
        try {
            answers = comparison.run(op);
        } catch (AssertionError e) {
            throw failure(step, op, context + e.getMessage(), e);
        }
        stats.record(op, answers.model());
        if (!answers.agree()) {
            throw failure(step, op, context + answers, null);
        }
    }

    /** Reads everything (now and at a few past revisions) and every lease, comparing as any step. */
    private void checkState(int step, String why) {
        List<ModelOp> reads = new ArrayList<>();
        RangeRequest all = RangeRequest.newBuilder().setKey(KeySpan.FROM_KEY).setRangeEnd(KeySpan.FROM_KEY).build();
        reads.add(new ModelOp.Range(all));
        long floor = Math.max(1, model.compactRevision());
        for (long revision : new long[] {floor, (floor + model.revision()) / 2, model.revision() - 1}) {
            if (revision >= floor) {
                reads.add(new ModelOp.Range(all.toBuilder().setRevision(revision).build()));
            }
        }
        for (long lease : model.leases()) {
            reads.add(new ModelOp.LeaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(lease).setKeys(true).build()));
        }
        for (ModelOp read : reads) {
            remember(step, read);
            compare(step, read, why + ": ");
        }
    }

    private void remember(int step, ModelOp op) {
        recent.addLast("#" + step + " " + ModelOp.describe(op));
        while (recent.size() > RECENT_STEPS) {
            recent.removeFirst();
        }
    }

    private AssertionError failure(int step, ModelOp op, String what, Throwable cause) {
        String text = "seed " + seed + ", step " + step + " of " + steps + ": " + ModelOp.describe(op) + "\n"
                + what + "\nrecent steps (newest last):\n  " + String.join("\n  ", recent)
                + "\nreplay this seed: " + replayCommand.apply(seed);
        return new AssertionError(text, cause);
    }
}
