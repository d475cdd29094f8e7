package dev.consensus.faults.check;

import dev.consensus.faults.history.Call;
import dev.consensus.faults.history.Operation;
import java.util.List;
import java.util.Objects;

/**
 * Linearizability of one key by trying every order, written independently of {@link LinearSearch}
 * (no list, no cache, the register rules spelled out again), for tiny histories only.
 */
final class BruteForce {

    private static final String ILLEGAL = "\u0000illegal";

    private BruteForce() {
    }

    static boolean linearizable(List<Operation> all) {
        List<Operation> ops = all.stream()
                .filter(op -> !op.isFail() && !(op.call() instanceof Call.Read && !op.isOk()))
                .toList();
        if (ops.size() > 16) {
            throw new IllegalArgumentException("too many operations for brute force: " + ops.size());
        }
        return search(ops, 0, null);
    }

    /** {@code done}: a bit per operation placed or, for an indeterminate one, dropped. */
    private static boolean search(List<Operation> ops, int done, String state) {
        boolean allDeterminatePlaced = true;
        for (int i = 0; i < ops.size(); i++) {
            if ((done & (1 << i)) == 0 && !ops.get(i).isIndeterminate()) {
                allDeterminatePlaced = false;
            }
        }
        if (allDeterminatePlaced) {
            return true;
        }
        for (int i = 0; i < ops.size(); i++) {
            if ((done & (1 << i)) != 0 || !mayGoNext(ops, done, i)) {
                continue;
            }
            String next = apply(ops.get(i), state);
            if (!ILLEGAL.equals(next) && search(ops, done | (1 << i), next)) {
                return true;
            }
        }
        return false;
    }

    /** No operation still to place returned before this one was called. */
    private static boolean mayGoNext(List<Operation> ops, int done, int i) {
        for (int j = 0; j < ops.size(); j++) {
            Operation other = ops.get(j);
            if ((done & (1 << j)) == 0 && !other.isIndeterminate() && other.returnNanos() < ops.get(i).callNanos()) {
                return false;
            }
        }
        return true;
    }

    private static String apply(Operation op, String state) {
        boolean ok = op.isOk();
        return switch (op.call()) {
            case Call.Read r -> Objects.equals(op.ok().value(), state) ? state : ILLEGAL;
            case Call.Write w -> w.value();
            case Call.Cas c -> {
                boolean matches = Objects.equals(c.expected(), state);
                if (!ok) {
                    yield matches ? c.value() : state;
                }
                yield op.ok().succeeded() == matches ? (matches ? c.value() : state) : ILLEGAL;
            }
            case Call.Delete d -> !ok || op.ok().succeeded() == (state != null) ? null : ILLEGAL;
            default -> throw new IllegalArgumentException(op.toString());
        };
    }
}
