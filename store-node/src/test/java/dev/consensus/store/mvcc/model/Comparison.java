package dev.consensus.store.mvcc.model;

import dev.consensus.api.etcdserverpb.LeaseGrantResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model and one or more targets side by side: each operation goes to all of them (with lease
 * ids translated per target), and their normalised answers and watch streams are compared. It
 * reports differences and leaves failing to its caller.
 */
public final class Comparison {

    /** Longest wait for a watch stream to deliver what the model says it must have by now. */
    public static final Duration WATCH_WAIT = Duration.ofSeconds(10);

    private final EtcdModel model;
    private final List<Side> sides = new ArrayList<>();

    /** A target with its lease id map. */
    private record Side(Target target, LeaseIds ids, Normalizer normalizer) {
    }

    /** Every side's normalised answer to one operation, the model's first. */
    public record Answers(Map<String, Outcome> byName) {

        public Outcome model() {
            return byName.get("model");
        }

        public Outcome of(String target) {
            return byName.get(target);
        }

        public boolean agree() {
            return byName.values().stream().distinct().count() == 1;
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder(agree() ? "answers agree:" : "answers differ:");
            byName.forEach((who, answer) -> text.append("\n  ").append(who).append(": ").append(answer));
            return text.toString();
        }
    }

    public Comparison(EtcdModel model, List<Target> targets) {
        this.model = model;
        for (Target target : targets) {
            LeaseIds ids = new LeaseIds();
            sides.add(new Side(target, ids, new Normalizer(ids)));
        }
    }

    public EtcdModel model() {
        return model;
    }

    /**
     * Sends {@code op} to the model and every target. A target that throws instead of answering
     * fails with an {@link AssertionError} naming it; so does a model that has no answer.
     */
    public Answers run(ModelOp op) {
        Outcome expected;
        try {
            expected = model.run(op);
        } catch (RuntimeException e) {
            throw new AssertionError("the model has no answer: " + e.getMessage(), e);
        }
        Map<String, Outcome> answers = new LinkedHashMap<>();
        answers.put("model", expected);
        for (Side side : sides) {
            Outcome raw;
            try {
                raw = side.target().run(LeaseTranslation.toTarget(op, side.ids()));
            } catch (RuntimeException e) {
                throw new AssertionError(side.target().name() + " threw " + e + "\n" + new Answers(answers), e);
            }
            mapAutomaticLease(op, expected, raw, side.ids());
            answers.put(side.target().name(), side.normalizer().outcome(raw));
        }
        return new Answers(answers);
    }

    private static void mapAutomaticLease(ModelOp op, Outcome expected, Outcome raw, LeaseIds ids) {
        if (op instanceof ModelOp.LeaseGrant grant && grant.request().getID() == 0
                && expected instanceof Outcome.Ok modelOk && raw instanceof Outcome.Ok targetOk) {
            ids.map(((LeaseGrantResponse) modelOk.response()).getID(), ((LeaseGrantResponse) targetOk.response()).getID());
        }
    }

    /**
     * Waits until each target's stream of the watch with this index delivered as many items as
     * the model says it must have, then returns the first difference, or null if all agree.
     */
    public String watchDifference(int watch) {
        List<WatchItem> expected = model.expectedItems(watch);
        for (Side side : sides) {
            side.target().awaitItems(watch, expected.size(), WATCH_WAIT);
            List<WatchItem> actual = side.normalizer().items(side.target().items(watch));
            if (!actual.equals(expected)) {
                return "watch " + watch + " on " + side.target().name() + " delivered other items than the model:\n"
                        + itemDiff(expected, actual);
            }
        }
        return null;
    }

    /**
     * A target's items for the watch with this index, normalised, once it has {@code atLeast} of
     * them or {@link #WATCH_WAIT} has passed.
     */
    public List<WatchItem> items(String target, int watch, int atLeast) {
        for (Side side : sides) {
            if (side.target().name().equals(target)) {
                side.target().awaitItems(watch, atLeast, WATCH_WAIT);
                return side.normalizer().items(side.target().items(watch));
            }
        }
        throw new IllegalArgumentException("no target named " + target);
    }

    /** Restarts the model's view and every target; a target that loses something throws. */
    public void reopen() {
        model.apply(new ModelOp.Reopen());
        for (Side side : sides) {
            try {
                side.target().reopen();
            } catch (AssertionError e) {
                throw new AssertionError(side.target().name() + " did not survive the restart: " + e.getMessage(), e);
            }
        }
    }

    private static String itemDiff(List<WatchItem> expected, List<WatchItem> actual) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
            String want = i < expected.size() ? expected.get(i).toString() : "(nothing)";
            String got = i < actual.size() ? actual.get(i).toString() : "(nothing)";
            text.append(want.equals(got) ? "    " : "  ! ").append("model: ").append(want).append('\n');
            if (!want.equals(got)) {
                text.append("    got:   ").append(got).append('\n');
            }
        }
        return text.toString();
    }
}
