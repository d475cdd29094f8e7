package dev.consensus.store.raft.sim;

import java.util.SplittableRandom;

/**
 * Everything about one run that the seed decides before it starts: the cluster's shape, how
 * hostile the network and the machines are, how the nodes are tuned, and how long each phase
 * lasts. Printing it tells a reader what a failing seed was doing.
 */
record SimParams(
        long seed,
        int voters,
        int initialLearners,
        boolean membershipChanges,
        SimNetwork.Weather chaosWeather,
        int crashEveryMs,
        int partitionEveryMs,
        double crashAfterSendRate,
        SimNode.SnapshotPolicy snapshots,
        long maxBytesPerMessage,
        int maxInflightMessages,
        int maxPayloadBytes,
        int writeClients,
        int readClients,
        int probes,
        long safetyMs,
        long livenessMs,
        long drainMs) {

    static final int TICK_MS = 10;
    static final int ELECTION_TICKS = 10;
    static final int HEARTBEAT_TICKS = 1;
    static final int ELECTION_MS = TICK_MS * ELECTION_TICKS;

    static SimParams fromSeed(long seed) {
        SplittableRandom r = new SplittableRandom(mix(seed));
        int voters = switch (r.nextInt(10)) {
            case 0 -> 1;
            case 1, 2, 3, 4 -> 3;
            default -> 5;
        };
        int initialLearners = r.nextInt(5) == 0 ? 1 : 0;
        boolean membership = r.nextInt(10) < 6;
        SimNetwork.Weather weather = new SimNetwork.Weather(
                r.nextInt(4) == 0 ? 0 : r.nextDouble(0.15),
                r.nextInt(3) == 0 ? 0 : r.nextDouble(0.05),
                2 + r.nextInt(30),
                r.nextInt(3) == 0 ? 0 : r.nextDouble(0.03),
                ELECTION_MS * (1 + r.nextInt(3)));
        return new SimParams(
                seed,
                voters,
                initialLearners,
                membership,
                weather,
                ELECTION_MS * (3 + r.nextInt(20)),
                ELECTION_MS * (2 + r.nextInt(15)),
                r.nextInt(3) == 0 ? 0 : r.nextDouble(0.02),
                new SimNode.SnapshotPolicy(5 + r.nextInt(60), r.nextInt(25)),
                64L << r.nextInt(8),
                1 + r.nextInt(16),
                8 + r.nextInt(120),
                1 + r.nextInt(3),
                r.nextInt(3),
                voters == 1 ? 0 : 1 + r.nextInt(2),
                (long) ELECTION_MS * (80 + r.nextInt(60)),
                (long) ELECTION_MS * 20,
                (long) ELECTION_MS * 30);
    }

    /** A strong 64-bit mix, so that neighbouring seeds draw unrelated parameters. */
    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return z ^ (z >>> 33);
    }

    @Override
    public String toString() {
        return "voters=" + voters + " learners=" + initialLearners + " membershipChanges=" + membershipChanges
                + String.format(" drop=%.3f dup=%.3f delay<=%dms long=%.3f/%dms", chaosWeather.dropRate(),
                        chaosWeather.duplicateRate(), chaosWeather.maxDelayMs(), chaosWeather.longDelayRate(),
                        chaosWeather.longDelayMs())
                + " crashEvery~" + crashEveryMs + "ms partitionEvery~" + partitionEveryMs + "ms"
                + String.format(" crashAfterSend=%.3f", crashAfterSendRate)
                + " snapshotEvery=" + snapshots.every() + " retain=" + snapshots.retain()
                + " maxMsgBytes=" + maxBytesPerMessage + " inflight=" + maxInflightMessages
                + " writers=" + writeClients + " readers=" + readClients + " probes=" + probes
                + " safety=" + safetyMs + "ms liveness=" + livenessMs + "ms";
    }
}
