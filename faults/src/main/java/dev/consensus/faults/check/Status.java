package dev.consensus.faults.check;

/** A checker's verdict, worst last so results combine with {@link #worst}. */
public enum Status {
    OK,
    /** The checker ran out of its budget before deciding: neither proven nor refuted. */
    UNKNOWN,
    VIOLATION;

    public static Status worst(Status a, Status b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
