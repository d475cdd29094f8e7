package dev.consensus.store.transport;

import java.time.Duration;

/**
 * The peer transport's limits and timings, validated once.
 *
 * @param maxBatchBytes       a sender cuts a batch before the message that would take it past this
 *                            many encoded bytes; a single larger message goes alone
 * @param maxMessageBytes     the largest batch or snapshot chunk a member accepts, and so the
 *                            largest single message a sender tries; larger ones are dropped
 * @param queueLength         messages waiting for one peer; when full, new ones are dropped and
 *                            the peer reported unreachable
 * @param snapshotChunkBytes  file bytes per snapshot chunk
 * @param connectTimeout      how long a sender waits for a new stream's connection to the peer
 *                            before giving up the batch, reporting the peer unreachable and backing off
 * @param sendTimeout         how long a sender waits for a connected stream to take a batch (a peer
 *                            that reads too slowly) before giving it up
 * @param snapshotTimeout     how long a snapshot stream may wait for one chunk to be taken, or for
 *                            the recipient's answer after the last one
 * @param reconnectBackoff    the wait after a failed stream before the next attempt; it doubles
 *                            with each failure in a row
 * @param maxReconnectBackoff the most that wait grows to
 * @param keepAliveTime       an idle connection is pinged this often, so a peer that vanished
 *                            without closing it is noticed
 * @param keepAliveTimeout    how long a ping may go unanswered before the connection is dropped
 */
public record TransportConfig(
        int maxBatchBytes,
        int maxMessageBytes,
        int queueLength,
        int snapshotChunkBytes,
        Duration connectTimeout,
        Duration sendTimeout,
        Duration snapshotTimeout,
        Duration reconnectBackoff,
        Duration maxReconnectBackoff,
        Duration keepAliveTime,
        Duration keepAliveTimeout) {

    /** The smallest ping interval a member accepts from a peer, below any sensible keepAliveTime. */
    static final Duration MIN_PEER_PING_INTERVAL = Duration.ofSeconds(1);

    public TransportConfig {
        require(maxBatchBytes >= 1, "max batch bytes must be positive");
        require(maxMessageBytes >= maxBatchBytes, "max message bytes (" + maxMessageBytes
                + ") must be at least max batch bytes (" + maxBatchBytes + ")");
        require(queueLength >= 1, "queue length must be positive");
        require(snapshotChunkBytes >= 1, "snapshot chunk bytes must be positive");
        // A chunk carries its data plus a few bytes of framing.
        require(snapshotChunkBytes <= maxMessageBytes - 64, "snapshot chunk bytes (" + snapshotChunkBytes
                + ") must leave room for framing below max message bytes (" + maxMessageBytes + ")");
        requirePositive(connectTimeout, "connect timeout");
        requirePositive(sendTimeout, "send timeout");
        requirePositive(snapshotTimeout, "snapshot timeout");
        requirePositive(reconnectBackoff, "reconnect backoff");
        require(maxReconnectBackoff != null && maxReconnectBackoff.compareTo(reconnectBackoff) >= 0,
                "max reconnect backoff must be at least the reconnect backoff");
        require(keepAliveTime != null && keepAliveTime.compareTo(MIN_PEER_PING_INTERVAL) >= 0,
                "keepalive time must be at least " + MIN_PEER_PING_INTERVAL.toSeconds() + "s");
        requirePositive(keepAliveTimeout, "keepalive timeout");
    }

    /**
     * 4 MiB batches, 32 MiB messages (room above etcd's largest sensible --max-request-bytes),
     * 4096 queued messages per peer (etcd's stream buffer), 1 MiB snapshot chunks, 1 s to connect
     * (a new stream's batches wait no longer than that for a peer that is down), reconnects backed
     * off from 100 ms to at most 500 ms (under the election timeout: see docs/transport.md).
     */
    public static TransportConfig defaults() {
        return new TransportConfig(4 << 20, 32 << 20, 4096, 1 << 20,
                Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30),
                Duration.ofMillis(100), Duration.ofMillis(500),
                Duration.ofSeconds(30), Duration.ofSeconds(10));
    }

    public TransportConfig withBatching(int batchBytes, int messageBytes, int queue) {
        return new TransportConfig(batchBytes, messageBytes, queue, snapshotChunkBytes, connectTimeout,
                sendTimeout, snapshotTimeout, reconnectBackoff, maxReconnectBackoff, keepAliveTime, keepAliveTimeout);
    }

    public TransportConfig withSnapshotChunkBytes(int bytes) {
        return new TransportConfig(maxBatchBytes, maxMessageBytes, queueLength, bytes, connectTimeout,
                sendTimeout, snapshotTimeout, reconnectBackoff, maxReconnectBackoff, keepAliveTime, keepAliveTimeout);
    }

    public TransportConfig withReconnectBackoff(Duration initial, Duration max) {
        return new TransportConfig(maxBatchBytes, maxMessageBytes, queueLength, snapshotChunkBytes, connectTimeout,
                sendTimeout, snapshotTimeout, initial, max, keepAliveTime, keepAliveTimeout);
    }

    public TransportConfig withTimeouts(Duration connect, Duration send) {
        return new TransportConfig(maxBatchBytes, maxMessageBytes, queueLength, snapshotChunkBytes, connect,
                send, snapshotTimeout, reconnectBackoff, maxReconnectBackoff, keepAliveTime, keepAliveTimeout);
    }

    private static void requirePositive(Duration d, String what) {
        require(d != null && d.isPositive(), what + " must be positive");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("peer transport config: " + message);
        }
    }
}
