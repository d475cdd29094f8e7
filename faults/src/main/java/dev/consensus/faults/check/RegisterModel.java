package dev.consensus.faults.check;

import dev.consensus.faults.history.Call;
import dev.consensus.faults.history.Operation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 *
 * <p>Values no read returned and no compare-and-set expected are all one state,
 * {@link #UNOBSERVED}: every operation treats them alike (present, equal to nothing anyone
 * compares with), so telling them apart only multiplies the states to search. Indeterminate
 * operations with the same effect (same kind, same expected value, same resulting state) form
 * one group for {@link LinearSearch.Op#group}.
 */
final class RegisterModel {

    static final int ABSENT = 0;
    static final int UNOBSERVED = 1;
    private static final String UNOBSERVED_TEXT = "<a value no read saw>";

    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> values = new ArrayList<>(List.of("absent", UNOBSERVED_TEXT));
    private final Set<String> observed = new HashSet<>();

    int id(String value) {
        if (value == null) {
            return ABSENT;
        }
        if (!observed.contains(value)) {
            return UNOBSERVED;
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
        for (Operation op : ops) {
            if (relevant(op) && op.isOk() && op.call() instanceof Call.Read && op.ok().value() != null) {
                observed.add(op.ok().value());
            }
            if (relevant(op) && op.call() instanceof Call.Cas c && c.expected() != null) {
                observed.add(c.expected());
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            if (relevant(ops.get(i))) {
                order.add(i);
            }
        }
        order.sort(Comparator.comparingLong((Integer i) -> ops.get(i).callNanos()).thenComparing(i -> i));
        Map<String, Integer> groups = new HashMap<>();
        Map<Integer, Integer> ranks = new HashMap<>();
        List<LinearSearch.Op> out = new ArrayList<>();
        for (int i : order) {
            Operation op = ops.get(i);
            int group = -1;
            int rank = 0;
            if (op.isIndeterminate()) {
                group = groups.computeIfAbsent(effect(op), k -> groups.size());
                rank = ranks.merge(group, 1, Integer::sum) - 1;
            }
            out.add(new LinearSearch.Op(i, op.callNanos(), op.returnNanos(), op.isIndeterminate(), step(op), group, rank));
        }
        return out;
    }

    /** Indeterminate operations with equal effects on every state share this text. */
    private String effect(Operation op) {
        return switch (op.call()) {
            case Call.Write w -> "write " + id(w.value());
            case Call.Cas c -> "cas " + id(c.expected()) + " " + id(c.value());
            case Call.Delete d -> "delete";
            default -> throw new IllegalArgumentException("no effect to group: " + op);
        };
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
