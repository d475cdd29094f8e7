package dev.consensus.store.raft.confchange;

import dev.consensus.store.raft.ConfChange;
import dev.consensus.store.raft.ConfState;
import java.util.Set;
import java.util.TreeSet;

/**
 * Applies one single-member change to a membership (thesis chapter 4). Changes of one member at
 * a time keep every majority of the old membership overlapping every majority of the new one,
 * which is why no joint consensus is needed. Pure: same input, same output, on every node.
 */
public final class MembershipChange {

    private MembershipChange() {}

    /**
     * The membership after {@code change}.
     *
     * @throws InvalidConfChangeException when the change does not fit {@code current}
     */
    public static ConfState apply(ConfState current, ConfChange change) throws InvalidConfChangeException {
        long id = change.memberId();
        Set<Long> voters = new TreeSet<>(current.voters());
        Set<Long> learners = new TreeSet<>(current.learners());
        switch (change.type()) {
            case ADD_LEARNER -> {
                if (voters.contains(id)) {
                    throw new InvalidConfChangeException("member " + hex(id) + " is a voter; demoting a voter to learner is not supported");
                }
                learners.add(id);
            }
            case PROMOTE_LEARNER -> {
                if (!learners.remove(id)) {
                    throw new InvalidConfChangeException("member " + hex(id) + " is not a learner; can only promote a learner member");
                }
                voters.add(id);
            }
            case ADD_VOTER -> {
                learners.remove(id);
                voters.add(id);
            }
            case REMOVE_MEMBER -> {
                if (!voters.contains(id) && !learners.contains(id)) {
                    throw new InvalidConfChangeException("member " + hex(id) + " is not a member");
                }
                if (voters.size() == 1 && voters.contains(id)) {
                    throw new InvalidConfChangeException("member " + hex(id) + " is the last voter; removing it would leave no quorum");
                }
                voters.remove(id);
                learners.remove(id);
            }
        }
        return new ConfState(voters, learners);
    }

    private static String hex(long id) {
        return Long.toHexString(id);
    }
}
