package dev.consensus.faults.check;

import dev.consensus.faults.history.Call;
import dev.consensus.faults.history.Operation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One key as a register: its state is its value, or absent. Values are numbered (absent is 0)
 * so the search compares ints. What each operation may do from a state:
 *
 * <ul>
 *   <li>read ok v: only from state v;
 *   <li>write v (ok or indeterminate): from any state, to v;
 *   <li>cas e->v ok swapped: only from e, to v; ok compare false: only from a state other
 *       than e, unchanged; indeterminate: to v from e, unchanged from anything else (it
 *       happened and its compare failed; "never happened" is the search leaving it out);
 *   <li>delete ok deleted: only from a present state, to absent; ok nothing deleted: only from
 *       absent; indeterminate: to absent.
 * </ul>
 *
 * Operations that failed, indeterminate reads and serializable reads carry no information
 * about the register's linearizable history and are left out by {@link #ops}.
 */
final class RegisterModel {

    static final int ABSENT = 0;

    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> values = new ArrayList<>(List.of("absent"));

    int id(String value) {
        if (value == null) {
            return ABSENT;
        }
        return ids.computeIfAbsent(value, v -> {
            values.add(v);
            return values.size() - 1;
        });
    }

    /** The value numbered {@code id}, {@code null} for absent. */
    String value(int id) {
        return id == ABSENT ? null : values.get(id);
    }

    /** Whether the register model says anything about this operation. */
    static boolean relevant(Operation op) {
        if (op.isFail() || !(op.call() instanceof Call.KeyCall)) {
            return false;
        }
        if (op.call() instanceof Call.Read r) {
            return op.isOk() && r.mode() != Call.ReadMode.SERIALIZABLE;
        }
        return true;
    }

    /** Search operations for the relevant ones of {@code ops}; index i is {@code ops.get(i)}. */
    List<LinearSearch.Op> ops(List<Operation> ops) {
        List<LinearSearch.Op> out = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            Operation op = ops.get(i);
            if (relevant(op)) {
                out.add(new LinearSearch.Op(i, op.callNanos(), op.returnNanos(), op.isIndeterminate(), step(op)));
            }
        }
        return out;
    }

    private LinearSearch.Step step(Operation op) {
        boolean ok = op.isOk();
        return switch (op.call()) {
            case Call.Read r -> {
                int v = id(op.ok().value());
                yield s -> s == v ? s : LinearSearch.ILLEGAL;
            }
            case Call.Write w -> {
                int v = id(w.value());
                yield s -> v;
            }
            case Call.Cas c -> {
                int expected = id(c.expected());
                int v = id(c.value());
                if (!ok) {
                    yield s -> s == expected ? v : s;
                }
                yield op.ok().succeeded()
                        ? s -> s == expected ? v : LinearSearch.ILLEGAL
                        : s -> s != expected ? s : LinearSearch.ILLEGAL;
            }
            case Call.Delete d -> {
                if (!ok) {
                    yield s -> ABSENT;
                }
                yield op.ok().succeeded()
                        ? s -> s != ABSENT ? ABSENT : LinearSearch.ILLEGAL
                        : s -> s == ABSENT ? ABSENT : LinearSearch.ILLEGAL;
            }
            default -> throw new IllegalArgumentException("not a key operation: " + op);
        };
    }
}
