package dev.consensus.store.raft.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code make sim SEEDS=<count> START=<first seed> [VERBOSE=1]}: runs a range of seeds on every
 * core, prints each failure with its replay command and a summary, and exits 1 if any failed.
 * With one seed and {@code --verbose}, narrates the run.
 */
public final class SimulationMain {

    private SimulationMain() {}

    public static void main(String[] args) throws Exception {
        long start = 1;
        int seeds = 200;
        boolean verbose = false;
        boolean brief = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--start" -> start = Long.parseLong(args[++i]);
                case "--seeds" -> seeds = Integer.parseInt(args[++i]);
                case "--verbose" -> verbose = true;
                case "--brief" -> brief = true;
                default -> {
                    System.err.println("usage: SimulationMain [--seeds N] [--start S] [--verbose | --brief]");
                    System.exit(2);
                }
            }
        }
        if (verbose && seeds == 1) {
            SimulationResult r = Simulation.run(start, System.out);
            System.out.println(r);
            System.exit(r.ok() ? 0 : 1);
        }
        Summary summary = runRange(start, seeds);
        System.out.println(brief ? summary.brief() : summary);
        System.exit(summary.failures().isEmpty() ? 0 : 1);
    }

    /** What a range of seeds came to. */
    public record Summary(long start, int seeds, List<SimulationResult> failures, SimStats totals, long events,
            long simulatedMs, long leaders, long wallMs) {

        /** One line per failure (seed, invariant), then which invariants caught how many seeds. */
        public String brief() {
            StringBuilder sb = new StringBuilder();
            java.util.Map<String, Integer> byInvariant = new java.util.TreeMap<>();
            for (SimulationResult f : failures) {
                sb.append("seed ").append(f.seed()).append(": ").append(f.failure().invariant()).append('\n');
                byInvariant.merge(f.failure().invariant(), 1, Integer::sum);
            }
            return sb.append(String.format("seeds %d..%d: %d of %d failed%s; caught by %s", start, start + seeds - 1,
                    failures.size(), seeds, failures.isEmpty() ? "" : ", first at seed " + failures.getFirst().seed(),
                    byInvariant)).toString();
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            for (SimulationResult f : failures) {
                sb.append(f).append('\n');
            }
            return sb.append(String.format("simulated seeds %d..%d: %d passed, %d failed in %.1fs wall; %d events, "
                            + "%.0fs simulated, %d leaders elected; %s", start, start + seeds - 1, seeds - failures.size(),
                    failures.size(), wallMs / 1000.0, events, simulatedMs / 1000.0, leaders, totals)).toString();
        }
    }

    public static Summary runRange(long start, int seeds) throws Exception {
        long began = System.nanoTime();
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<SimulationResult>> futures = new ArrayList<>();
            for (long s = start; s < start + seeds; s++) {
                long seed = s;
                futures.add(pool.submit(() -> Simulation.run(seed, null)));
            }
            List<SimulationResult> failures = new ArrayList<>();
            SimStats totals = new SimStats();
            long events = 0;
            long simulated = 0;
            long leaders = 0;
            for (Future<SimulationResult> f : futures) {
                SimulationResult r = f.get();
                totals.add(r.stats());
                events += r.events();
                simulated += r.endedAtMs();
                leaders += r.leadersElected();
                if (!r.ok()) {
                    failures.add(r);
                }
            }
            return new Summary(start, seeds, failures, totals, events, simulated, leaders,
                    (System.nanoTime() - began) / 1_000_000);
        } finally {
            pool.shutdownNow();
        }
    }
}
