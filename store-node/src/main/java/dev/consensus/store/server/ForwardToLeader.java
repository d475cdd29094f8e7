package dev.consensus.store.server;

/**
 * Only the leader can answer this call (lease deadlines, learner progress); the gRPC layer
 * passes it on to the leader's client URL, as etcd forwards such calls over its peer link.
 */
public final class ForwardToLeader extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ForwardToLeader() {
        super("only the leader can answer this", null, false, false);
    }
}
