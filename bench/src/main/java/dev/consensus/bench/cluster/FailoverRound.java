package dev.consensus.bench.cluster;

import java.time.Duration;

/**
 * One measured leader failure.
 *
 * @param recovered whether a put succeeded again within the limit
 * @param window from the SIGKILL of the leader to the first successful put through another member
 * @param killed the member killed
 * @param newLeader the leader {@code Status} reported afterwards, or a note if none
 * @param attempts puts tried until one succeeded
 * @param note why the round did not recover, or empty
 */
public record FailoverRound(boolean recovered, Duration window, String killed, String newLeader, int attempts,
        String note) {
}
