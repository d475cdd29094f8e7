package dev.consensus.bench.load;

/**
 * A range's consistency, as etcd's benchmark and etcdctl spell it: {@code l} is linearizable
 * (the member confirms it is still current through the leader), {@code s} serializable (the
 * member answers from its own state).
 */
public enum Consistency {
    LINEARIZABLE("l"),
    SERIALIZABLE("s");

    private final String cliName;

    Consistency(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static Consistency parse(String name) {
        return switch (name) {
            case "l" -> LINEARIZABLE;
            case "s" -> SERIALIZABLE;
            default -> throw new IllegalArgumentException(
                    "unknown consistency '" + name + "' (expected l for linearizable or s for serializable)");
        };
    }

    @Override
    public String toString() {
        return cliName;
    }
}
