package dev.consensus.store.raft.sim;

/** An invariant the simulation checks did not hold; {@code invariant} names which. */
public final class SimulationFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String invariant;

    public SimulationFailure(String invariant, String message) {
        super(invariant + ": " + message);
        this.invariant = invariant;
    }

    public String invariant() {
        return invariant;
    }
}
