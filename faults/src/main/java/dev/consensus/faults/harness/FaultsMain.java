package dev.consensus.faults.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code make faults}: runs scenarios on real store-node processes and checks each history.
 * Exit 0 when every run passed (or was skipped, saying why), 1 on a violation or an undecided
 * check, 64 on a usage error.
 */
public final class FaultsMain {

    private static final String USAGE = """
            usage: FaultsMain [--scenario all|%s] [--duration SECONDS] [--seed N] [--seeds COUNT]
                              [--max-ops N] [--out DIR] [--flags 'store-node flags']
              --duration  seconds of faults and load per run (default 60)
              --seed      the first seed (default 1); --seeds runs COUNT seeds from it (default 1)
              --out       where <scenario>-<seed>/ goes (default faults/target/faults)
              --flags     extra store-node flags for every member, e.g. --unsafe-local-linearizable-reads
            """.formatted(String.join("|", Arrays.stream(Scenario.values()).map(Scenario::id).toList()));

    private FaultsMain() {
    }

    public static void main(String[] args) {
        List<Scenario> scenarios = List.of(Scenario.values());
        long duration = 60;
        long seed = 1;
        long seeds = 1;
        long maxOps = 200_000;
        Path out = Path.of("faults/target/faults");
        List<String> flags = List.of();
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                String v = i + 1 < args.length ? args[i + 1] : null;
                switch (a) {
                    case "--scenario" -> scenarios = "all".equals(need(a, v)) ? List.of(Scenario.values())
                            : List.of(Scenario.parse(v));
                    case "--duration" -> duration = number(a, need(a, v));
                    case "--seed" -> seed = number(a, need(a, v));
                    case "--seeds" -> seeds = number(a, need(a, v));
                    case "--max-ops" -> maxOps = number(a, need(a, v));
                    case "--out" -> out = Path.of(need(a, v));
                    case "--flags" -> flags = need(a, v).isBlank() ? List.of() : List.of(v.trim().split("\\s+"));
                    case "-h", "--help" -> {
                        System.out.print(USAGE);
                        return;
                    }
                    default -> throw new IllegalArgumentException("unexpected argument \"" + a + "\"");
                }
                i++;
            }
            if (duration < 1 || seeds < 1 || maxOps < 1) {
                throw new IllegalArgumentException("--duration, --seeds and --max-ops must be at least 1");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("faults: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(64);
            return;
        }
        List<RunResult> results = new ArrayList<>();
        for (long s = seed; s < seed + seeds; s++) {
            for (Scenario scenario : scenarios) {
                RunOptions o = RunOptions.of(scenario, s, Duration.ofSeconds(duration), out)
                        .withServerFlags(flags).withMaxOperations(maxOps);
                results.add(FaultRun.run(o, System.out));
            }
        }
        System.out.println("\nfaults: summary");
        boolean ok = true;
        for (RunResult r : results) {
            System.out.println("  " + r.summary());
            if (!r.passed()) {
                ok = false;
                System.out.println("    replay: " + r.replay());
            }
        }
        System.exit(ok ? 0 : 1);
    }

    private static String need(String flag, String value) {
        if (value == null) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return value;
    }

    private static long number(String flag, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a whole number, got \"" + value + "\"");
        }
    }
}
