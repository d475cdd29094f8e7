package dev.consensus.store.raft.confchange;

/** A membership change that does not fit the membership it would apply to. */
public final class InvalidConfChangeException extends Exception {

    private static final long serialVersionUID = 1L;

    public InvalidConfChangeException(String message) {
        super(message);
    }
}
