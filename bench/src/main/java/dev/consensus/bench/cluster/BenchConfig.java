package dev.consensus.bench.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * One cluster benchmark, checked by the command that built it.
 *
 * @param etcd the reference side
 * @param other the side compared with etcd; empty when skipped
 * @param otherSkipped why {@code other} is empty (printed in the report), or empty text
 * @param members members per cluster
 * @param timing Raft timing flags, the same for both sides
 * @param startTimeout longest wait for a cluster, or a restarted member, to be ready
 * @param plan the loads
 * @param rounds how many times each side runs the plan, alternating which side goes first
 * @param failoverRounds leader kills measured per side
 * @param failoverTimeout longest wait for a put to succeed after a kill
 * @param probeInterval how often a put is started after a kill (the window's resolution)
 * @param probeTimeout deadline of each put tried after a kill
 * @param rssInterval how often resident memory is sampled during the loads
 * @param workDir where the members' data and logs go
 * @param keepData keep {@code workDir} afterwards (it is kept anyway when a side fails)
 */
public record BenchConfig(
        ServerCommand etcd,
        Optional<ServerCommand> other,
        String otherSkipped,
        int members,
        LocalCluster.Timing timing,
        Duration startTimeout,
        BenchPlan plan,
        int rounds,
        int failoverRounds,
        Duration failoverTimeout,
        Duration probeInterval,
        Duration probeTimeout,
        Duration rssInterval,
        Path workDir,
        boolean keepData) {
}
