package dev.consensus.store.transport;

import com.google.protobuf.CodedOutputStream;
import dev.consensus.api.raftpb.MessageBatch;
import dev.consensus.api.raftpb.RaftMessage;
import dev.consensus.store.raft.Message;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything this member sends to one peer, except snapshots, on one long-lived stream. The Raft
 * loop hands over a Ready's messages with {@link #send}: when the stream is open and ready and
 * nothing is queued before them, they go out at once as one batch on the loop's thread, which
 * spares each message a wake-up of another thread on every hop of a write. Otherwise they go to a
 * bounded queue that a sender thread drains into batches, waiting for the stream as needed, so
 * the loop never waits for a peer.
 *
 * <p>Nothing is retried here. A message that does not fit the queue, or that was queued while the
 * stream was down, is dropped and the peer reported unreachable; Raft sends again what matters.
 * After a failed stream the next one is opened only after a backoff that doubles with each failure
 * in a row, and goes straight to its maximum when the peer refused us (wrong cluster, removed).
 */
final class PeerSender {

    private static final Logger LOG = LoggerFactory.getLogger(PeerSender.class);
    // cluster_id, from and to as uint64 varints: 3 tags and at most 3 x 10 bytes.
    private static final int ENVELOPE_BYTES = 33;

    private final long peerId;
    private final PeerIdentity self;
    private final PeerInbound inbound;
    private final PeerChannels channels;
    private final TransportConfig config;
    private final ArrayBlockingQueue<Message> queue;
    private final Thread thread;
    private final AtomicLong batchesSent = new AtomicLong();

    // Guarded by this: where the peer is and the state of the stream to it.
    private List<URI> urls;
    private int urlIndex;
    private ManagedChannel channel;
    private BatchStream stream;
    private long retryAtNanos = System.nanoTime();
    private int failuresInARow;
    // Read without the lock by offer(): the Raft loop must never wait behind a channel being built.
    private volatile boolean closed;

    // Sender thread only: the message that did not fit the last batch, first in the next.
    private RaftMessage carried;

    // Held while a batch is handed to the stream: gRPC takes one onNext at a time.
    private final ReentrantLock sendLock = new ReentrantLock();
    // Messages queued and not yet handed to the stream or dropped. Sending on the caller's thread
    // is allowed only at zero, under sendLock, so it never overtakes a queued message.
    private final AtomicInteger unsent = new AtomicInteger();

    PeerSender(long peerId, List<URI> urls, PeerIdentity self, PeerInbound inbound, PeerChannels channels,
            TransportConfig config) {
        this.peerId = peerId;
        this.urls = List.copyOf(urls);
        this.self = self;
        this.inbound = inbound;
        this.channels = channels;
        this.config = config;
        this.queue = new ArrayBlockingQueue<>(config.queueLength());
        this.thread = new Thread(this::run, "peer-sender-" + PeerChecks.hex(peerId));
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * Sends {@code messages} (all to this peer, in order) now on the calling thread when it can
     * without waiting, else queues them; returns how many were dropped because the queue is full.
     */
    int send(List<Message> messages) {
        if (!closed && sendLock.tryLock()) {
            try {
                if (unsent.get() == 0 && sendNow(messages)) {
                    return 0;
                }
            } finally {
                sendLock.unlock();
            }
        }
        int dropped = 0;
        for (Message message : messages) {
            if (!offer(message)) {
                dropped++;
            }
        }
        return dropped;
    }

    /** True if the messages went out (those too large to send dropped) on the stream, which was ready. */
    private boolean sendNow(List<Message> messages) {
        BatchStream current;
        synchronized (this) {
            current = stream;
        }
        if (current == null || !current.isReady()) {
            return false;
        }
        List<RaftMessage> batch = new ArrayList<>(messages.size());
        long bytes = ENVELOPE_BYTES;
        for (Message message : messages) {
            RaftMessage encoded = encodeOrDrop(message);
            if (encoded == null) {
                continue;
            }
            long size = elementBytes(encoded);
            if (!batch.isEmpty() && bytes + size > config.maxBatchBytes()) {
                hand(current, batch);
                batch = new ArrayList<>();
                bytes = ENVELOPE_BYTES;
            }
            batch.add(encoded);
            bytes += size;
        }
        if (!batch.isEmpty()) {
            hand(current, batch);
        }
        return true;
    }

    /** Queues a message without waiting; false if the queue is full or the sender is closed. */
    boolean offer(Message message) {
        if (closed) {
            return false;
        }
        unsent.incrementAndGet();
        if (!queue.offer(message)) {
            unsent.decrementAndGet();
            return false;
        }
        return true;
    }

    long batchesSent() {
        return batchesSent.get();
    }

    /** New URLs for this peer: the stream to the old ones ends; calls in flight on the old channel finish. */
    synchronized void setUrls(List<URI> newUrls) {
        if (newUrls.equals(urls)) {
            return;
        }
        urls = List.copyOf(newUrls);
        urlIndex = 0;
        if (stream != null) {
            stream.cancel("the peer's URLs changed");
            stream = null;
        }
        if (channel != null) {
            channel.shutdown();
            channel = null;
        }
    }

    synchronized ConnectivityState channelState() {
        return channel == null ? null : channel.getState(false);
    }

    /** True if there is no stream and the backoff after the last failed one has passed. */
    synchronized boolean opensStreamOnNextSend() {
        return !closed && stream == null && System.nanoTime() - retryAtNanos >= 0;
    }

    /** The channel to the peer, opened on first use; snapshots share it. */
    synchronized ManagedChannel channel() throws IOException {
        if (closed) {
            throw new IOException("the transport is closed");
        }
        if (channel == null) {
            channel = channels.open(urls.get(urlIndex));
        }
        return channel;
    }

    private void run() {
        while (true) {
            List<RaftMessage> batch = List.of();
            try {
                batch = nextBatch();
                if (!batch.isEmpty()) {
                    sendLock.lock();
                    try {
                        deliver(batch);
                    } finally {
                        sendLock.unlock();
                    }
                }
            } catch (InterruptedException e) {
                return; // closing
            } catch (RuntimeException e) {
                LOG.error("sending to peer {} failed; the batch is dropped", PeerChecks.hex(peerId), e);
                inbound.unreachable(peerId);
            } finally {
                unsent.addAndGet(-batch.size());
            }
        }
    }

    private List<RaftMessage> nextBatch() throws InterruptedException {
        List<RaftMessage> batch = new ArrayList<>();
        RaftMessage first = carried != null ? carried : encodeOrDrop(queue.take());
        carried = null;
        if (first == null) {
            unsent.decrementAndGet();
            return batch;
        }
        batch.add(first);
        long bytes = ENVELOPE_BYTES + elementBytes(first);
        for (Message next = queue.poll(); next != null; next = queue.poll()) {
            RaftMessage encoded = encodeOrDrop(next);
            if (encoded == null) {
                unsent.decrementAndGet();
                continue;
            }
            long size = elementBytes(encoded);
            if (bytes + size > config.maxBatchBytes()) {
                carried = encoded;
                break;
            }
            batch.add(encoded);
            bytes += size;
        }
        return batch;
    }

    private RaftMessage encodeOrDrop(Message message) {
        RaftMessage encoded = MessageCodec.encode(message);
        if (ENVELOPE_BYTES + elementBytes(encoded) > config.maxMessageBytes()) {
            // The peer would refuse it; only a larger max message size can carry it.
            LOG.error("dropped a {} to peer {}: {} bytes is more than the max message size {}", message.kindName(),
                    PeerChecks.hex(peerId), elementBytes(encoded), config.maxMessageBytes());
            return null;
        }
        return encoded;
    }

    private static long elementBytes(RaftMessage message) {
        return CodedOutputStream.computeMessageSize(MessageBatch.MESSAGES_FIELD_NUMBER, message);
    }

    private void deliver(List<RaftMessage> batch) throws InterruptedException {
        BatchStream current = currentStream();
        if (current == null) {
            inbound.unreachable(peerId); // waiting out a backoff: the batch is dropped
            return;
        }
        boolean connected = current.connected();
        Duration timeout = connected ? config.sendTimeout() : config.connectTimeout();
        if (!current.awaitReady(timeout)) {
            // Ending the stream reports the peer unreachable and starts the backoff.
            String what = connected ? " took no batch within " : " was not reached within ";
            current.cancel("peer " + PeerChecks.hex(peerId) + what + timeout);
            return;
        }
        hand(current, batch);
    }

    private void hand(BatchStream current, List<RaftMessage> batch) {
        if (current.send(MessageBatch.newBuilder().setClusterId(self.clusterId()).setFrom(self.memberId())
                .setTo(peerId).addAllMessages(batch).build())) {
            batchesSent.incrementAndGet();
        } else {
            inbound.unreachable(peerId);
        }
    }

    private synchronized BatchStream currentStream() {
        if (closed || stream != null) {
            return stream;
        }
        if (System.nanoTime() - retryAtNanos < 0) {
            return null;
        }
        try {
            ManagedChannel ch = channel();
            if (failuresInARow > 0) {
                ch.resetConnectBackoff(); // our backoff has passed; gRPC's own may be longer
            }
            stream = BatchStream.open(ch, this::streamEnded);
            return stream;
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot open a stream to peer {} at {}: {}", PeerChecks.hex(peerId), urls.get(urlIndex),
                    e.getMessage());
            backOff(false);
            return null;
        }
    }

    private void streamEnded(BatchStream ended, Status status) {
        boolean refused = status.getCode() == Status.Code.FAILED_PRECONDITION
                || status.getCode() == Status.Code.PERMISSION_DENIED
                || status.getCode() == Status.Code.INVALID_ARGUMENT;
        URI url;
        boolean lost;
        synchronized (this) {
            if (ended != stream) {
                return; // replaced or closed on purpose
            }
            stream = null;
            if (closed || status.isOk()) {
                return;
            }
            url = urls.get(urlIndex);
            // The connection itself went (closed, reset): not a refusal, not our own timeout.
            lost = ended.connected() && status.getCode() == Status.Code.UNAVAILABLE;
            if (ended.connected()) {
                failuresInARow = 0; // it worked for a while: start the backoff afresh
            }
            backOff(refused);
            if (!refused && urls.size() > 1) {
                urlIndex = (urlIndex + 1) % urls.size(); // try the peer's next URL
                channel.shutdown();
                channel = null;
            }
        }
        if (refused) {
            LOG.error("peer {} at {} refused this member: {}", PeerChecks.hex(peerId), url, status.getDescription());
        } else {
            LOG.warn("lost the stream to peer {} at {}: {} {}", PeerChecks.hex(peerId), url, status.getCode(),
                    status.getDescription());
        }
        if (PeerChecks.isRemovedRefusal(status)) {
            inbound.removedFromCluster(peerId);
        }
        inbound.unreachable(peerId);
        if (lost) {
            inbound.connectionLost(peerId);
        }
    }

    private void backOff(boolean refused) {
        failuresInARow++;
        Duration wait = config.maxReconnectBackoff();
        if (!refused && failuresInARow < 31) {
            Duration doubled = config.reconnectBackoff().multipliedBy(1L << (failuresInARow - 1));
            wait = doubled.compareTo(wait) < 0 ? doubled : wait;
        }
        retryAtNanos = System.nanoTime() + wait.toNanos();
    }

    /** Stops the thread, ends the stream normally, and closes the channel (bounded waits). */
    void close() {
        BatchStream last;
        ManagedChannel ch;
        synchronized (this) {
            closed = true;
            last = stream;
            stream = null;
            ch = channel;
            channel = null;
        }
        thread.interrupt();
        try {
            thread.join(1000);
            if (last != null) {
                if (thread.isAlive()) {
                    last.cancel("transport closed");
                } else {
                    last.finish();
                }
            }
            if (ch != null) {
                ch.shutdown();
                if (!ch.awaitTermination(1, TimeUnit.SECONDS)) {
                    ch.shutdownNow();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (ch != null) {
                ch.shutdownNow();
            }
        }
    }
}
