package dev.consensus.faults.harness;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** A named set of faults the nemesis draws from, on 3 members with all three workloads. */
public enum Scenario {
    CRASH("SIGKILL of a random member, of the leader, of a majority; restart after a pause",
            FaultKind.KILL_RANDOM, FaultKind.KILL_LEADER, FaultKind.KILL_MAJORITY),
    PAUSE("SIGSTOP then SIGCONT of a random member or of the leader",
            FaultKind.PAUSE_RANDOM, FaultKind.PAUSE_LEADER),
    PARTITION("symmetric partitions of one member, one-way cuts, the leader isolated from its followers"
            + " (not from clients); then healed",
            FaultKind.PARTITION_ONE, FaultKind.PARTITION_ONE_WAY, FaultKind.ISOLATE_LEADER),
    MEMBERSHIP("add a learner, promote it, remove a member (the leader half of the time), under load",
            FaultKind.MEMBERSHIP),
    DISK_FULL("member m1's data directory on a small tmpfs that is filled up, then freed; m1 restarted"
            + " if it stopped", FaultKind.DISK_FULL),
    MIXED("all of the above but the full disk, drawn at random",
            FaultKind.KILL_RANDOM, FaultKind.KILL_LEADER, FaultKind.KILL_MAJORITY, FaultKind.PAUSE_RANDOM,
            FaultKind.PAUSE_LEADER, FaultKind.PARTITION_ONE, FaultKind.PARTITION_ONE_WAY,
            FaultKind.ISOLATE_LEADER, FaultKind.MEMBERSHIP);

    private final String description;
    private final Set<FaultKind> faults;

    Scenario(String description, FaultKind... faults) {
        this.description = description;
        this.faults = EnumSet.copyOf(Arrays.asList(faults));
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public String description() {
        return description;
    }

    public List<FaultKind> faults() {
        return List.copyOf(faults);
    }

    public static Scenario parse(String id) {
        for (Scenario s : values()) {
            if (s.id().equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scenario \"" + id + "\"; one of "
                + Arrays.stream(values()).map(Scenario::id).toList());
    }

    /**
     * Flags this scenario gives every member. The full disk needs writes that allocate space:
     * WAL segments are preallocated 64 MB at a time, so frequent snapshots are what meets the
     * full file system within a short run.
     */
    public List<String> serverFlags() {
        return this == DISK_FULL ? List.of("--snapshot-count", "50") : List.of();
    }

    /** One kind of fault; each is applied, held for a while, then lifted. */
    public enum FaultKind {
        KILL_RANDOM, KILL_LEADER, KILL_MAJORITY, PAUSE_RANDOM, PAUSE_LEADER, PARTITION_ONE, PARTITION_ONE_WAY,
        ISOLATE_LEADER, MEMBERSHIP, DISK_FULL
    }
}
