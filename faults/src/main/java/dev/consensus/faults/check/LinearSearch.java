package dev.consensus.faults.check;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The Wing-Gong search with Lowe's memoization, over one object whose state is an int.
 *
 * <p>Calls and returns are laid out in time order in a linked list. The search walks it: at a
 * call it tries to linearize that operation now (the model accepts it from the current state),
 * removes it from the list and starts again from the head; at a return of an operation not yet
 * linearized it is stuck and undoes the last choice. A (linearized set, state) pair seen before
 * cannot lead anywhere new, so it is skipped; that cache is what makes the search practical.
 *
 * <p>Indeterminate operations have no return in the list (their return is at +infinity), so
 * nothing forces them to be linearized: reaching the end of the list with every determinate
 * operation placed is success, whatever became of the indeterminate ones. That is exactly "may
 * have happened at any time after its call, or never".
 */
final class LinearSearch {

    /** The state after applying an operation, or {@link #ILLEGAL}. */
    interface Step {
        int apply(int state);
    }

    static final int ILLEGAL = -1;

    /**
     * One operation for the search; {@code returnNanos} is ignored when indeterminate.
     * Indeterminate operations with the same effect from every state form a {@code group}
     * (-1: none), and within it they are linearized in call order only ({@code rank} 0, 1, ...).
     * That loses nothing: if some linearization uses k of them, the k earliest-called can take
     * their places, since each was called no later. It stops the search from trying every
     * subset of interchangeable operations, which is what makes many timeouts expensive.
     */
    record Op(int index, long callNanos, long returnNanos, boolean indeterminate, Step step, int group, int rank) {
        Op(int index, long callNanos, long returnNanos, boolean indeterminate, Step step) {
            this(index, callNanos, returnNanos, indeterminate, step, -1, 0);
        }
    }

    enum Verdict { LINEARIZABLE, NOT_LINEARIZABLE, BUDGET_EXCEEDED }

    /**
     * @param prefix      the deepest partial linearization the search reached, in order (op
     *                    indexes); for a linearizable history, one full linearization
     * @param stateAfter  the state after that prefix
     * @param blocking    the operation whose return the search could not pass at that point
     *                    (-1 when linearizable or out of budget)
     * @param steps       how many steps the search took
     */
    record Result(Verdict verdict, List<Integer> prefix, int stateAfter, int blocking, long steps) {
    }

    private static final class Node {
        final Op op;
        final boolean isCall;
        Node match;
        Node prev;
        Node next;

        Node(Op op, boolean isCall) {
            this.op = op;
            this.isCall = isCall;
        }
    }

    private record Frame(Node call, int stateBefore) {
    }

    private record Seen(BitSet linearized, int state) {
    }

    private LinearSearch() {
    }

    static Result run(List<Op> ops, int initialState, long maxSteps) {
        Node head = buildList(ops);
        Deque<Frame> stack = new ArrayDeque<>();
        BitSet linearized = new BitSet();
        Set<Seen> seen = new HashSet<>();
        int state = initialState;
        int[] placedInGroup = new int[ops.stream().mapToInt(Op::group).max().orElse(-1) + 1];
        Node entry = head.next;
        long steps = 0;
        List<Integer> best = List.of();
        int bestState = initialState;
        int blocking = -1;
        while (entry != null) {
            if (++steps > maxSteps) {
                return new Result(Verdict.BUDGET_EXCEEDED, best, bestState, blocking, steps);
            }
            if (entry.isCall) {
                int group = entry.op.group();
                if (group >= 0 && placedInGroup[group] != entry.op.rank()) {
                    entry = entry.next;
                    continue;
                }
                int next = entry.op.step().apply(state);
                if (next != ILLEGAL) {
                    BitSet with = (BitSet) linearized.clone();
                    with.set(entry.op.index());
                    if (seen.add(new Seen(with, next))) {
                        stack.push(new Frame(entry, state));
                        if (group >= 0) {
                            placedInGroup[group]++;
                        }
                        linearized = with;
                        state = next;
                        lift(entry);
                        entry = head.next;
                        continue;
                    }
                }
                entry = entry.next;
                continue;
            }
            // The return of an operation not linearized yet: this branch is dead.
            if (blocking == -1 || stack.size() > best.size()) {
                best = prefixOf(stack);
                bestState = state;
                blocking = entry.op.index();
            }
            if (stack.isEmpty()) {
                return new Result(Verdict.NOT_LINEARIZABLE, best, bestState, blocking, steps);
            }
            Frame top = stack.pop();
            state = top.stateBefore();
            if (top.call().op.group() >= 0) {
                placedInGroup[top.call().op.group()]--;
            }
            linearized = (BitSet) linearized.clone();
            linearized.clear(top.call().op.index());
            unlift(top.call());
            entry = top.call().next;
        }
        return new Result(Verdict.LINEARIZABLE, prefixOf(stack), state, -1, steps);
    }

    private static List<Integer> prefixOf(Deque<Frame> stack) {
        List<Integer> out = new ArrayList<>(stack.size());
        stack.descendingIterator().forEachRemaining(f -> out.add(f.call().op.index()));
        return out;
    }

    /** Calls and returns by time; at equal times calls first, so touching operations count as concurrent. */
    private static Node buildList(List<Op> ops) {
        record Point(long at, boolean isCall, Node node) {
        }
        List<Point> points = new ArrayList<>();
        for (Op op : ops) {
            Node call = new Node(op, true);
            points.add(new Point(op.callNanos(), true, call));
            if (!op.indeterminate()) {
                Node ret = new Node(op, false);
                call.match = ret;
                ret.match = call;
                points.add(new Point(op.returnNanos(), false, ret));
            }
        }
        points.sort(Comparator.comparingLong(Point::at).thenComparing(p -> !p.isCall()));
        Node head = new Node(null, false);
        Node last = head;
        for (Point p : points) {
            last.next = p.node();
            p.node().prev = last;
            last = p.node();
        }
        return head;
    }

    /** Unlinks a call and its return; their own links stay, so {@link #unlift} can put them back. */
    private static void lift(Node call) {
        unlink(call);
        if (call.match != null) {
            unlink(call.match);
        }
    }

    private static void unlift(Node call) {
        if (call.match != null) {
            relink(call.match);
        }
        relink(call);
    }

    private static void unlink(Node n) {
        n.prev.next = n.next;
        if (n.next != null) {
            n.next.prev = n.prev;
        }
    }

    private static void relink(Node n) {
        n.prev.next = n;
        if (n.next != null) {
            n.next.prev = n;
        }
    }
}
