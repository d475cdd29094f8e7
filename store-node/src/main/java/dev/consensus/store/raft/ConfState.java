package dev.consensus.store.raft;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * The membership in force: who votes and who only learns. Immutable; the sets are sorted so
 * that iteration, and so everything the core emits, is the same on every run.
 *
 * <p>Invariant: no id is both a voter and a learner.
 */
public record ConfState(Set<Long> voters, Set<Long> learners) {

    public static final ConfState EMPTY = new ConfState(Set.of(), Set.of());

    public ConfState {
        voters = sorted(voters);
        learners = sorted(learners);
        for (long id : voters) {
            if (learners.contains(id)) {
                throw new IllegalArgumentException("member " + id + " is both voter and learner");
            }
        }
    }

    /** Member ids are etcd's unsigned 64-bit ids, so they sort unsigned. */
    private static Set<Long> sorted(Set<Long> ids) {
        TreeSet<Long> out = new TreeSet<>(Long::compareUnsigned);
        out.addAll(ids);
        return Collections.unmodifiableSortedSet(out);
    }

    public static ConfState ofVoters(Long... ids) {
        return new ConfState(Set.of(ids), Set.of());
    }

    public boolean isVoter(long id) {
        return voters.contains(id);
    }

    public boolean isLearner(long id) {
        return learners.contains(id);
    }

    /** Every member, voters and learners, in id order. */
    public Set<Long> members() {
        Set<Long> all = new TreeSet<>(Long::compareUnsigned);
        all.addAll(voters);
        all.addAll(learners);
        return Collections.unmodifiableSet(all);
    }
}
