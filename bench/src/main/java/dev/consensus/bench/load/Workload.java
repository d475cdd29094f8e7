package dev.consensus.bench.load;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The kinds of load, by the names the command line uses. */
public enum Workload {
    PUT("put"),
    RANGE("range"),
    TXN_CAS("txn-cas"),
    WATCH_LATENCY("watch-latency");

    private final String cliName;

    Workload(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static Workload parse(String name) {
        for (Workload workload : values()) {
            if (workload.cliName.equals(name)) {
                return workload;
            }
        }
        throw new IllegalArgumentException("unknown workload '" + name + "' (expected one of " + names() + ")");
    }

    public static String names() {
        return Arrays.stream(values()).map(Workload::cliName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
