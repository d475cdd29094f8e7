package dev.consensus.store.server;

import dev.consensus.store.raft.EntryType;
import dev.consensus.store.raft.ConfChange;
import dev.consensus.store.raft.Proposal;
import dev.consensus.store.raft.ProposeResult;
import dev.consensus.store.raft.RaftNode;
import dev.consensus.store.raft.Role;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Turns client requests into Raft proposals and ReadIndex reads, and their outcome into a
 * future: the applied result, or etcd's error (no leader, timed out, too large).
 */
final class Proposer {

    /** How often requests past their timeout are failed: at most this late. */
    static final long SWEEP_MILLIS = 50;

    private final RaftLoop loop;
    private final PendingRequests pending;
    private final ReadRequests reads;
    private final RaftStatus status;
    private final Deadlines deadlines;
    private final long maxRequestBytes;
    private final StoreServer.ServerEvents events;

    Proposer(RaftLoop loop, PendingRequests pending, ReadRequests reads, RaftStatus status, long timeoutMillis,
            long maxRequestBytes, StoreServer.ServerEvents events) {
        this.events = events;
        this.loop = loop;
        this.pending = pending;
        this.reads = reads;
        this.status = status;
        this.deadlines = new Deadlines(timeoutMillis, System::nanoTime);
        this.maxRequestBytes = maxRequestBytes;
    }

    /** Proposes a request; the future holds what applying it returned. */
    <T> CompletableFuture<T> propose(ServerRequest request) {
        return propose(request, node -> true);
    }

    /**
     * Proposes a request only while this member leads in {@code term}, never forwarding it; fails
     * with "leader changed" otherwise. For what a leader decides from its own memory, such as a
     * lease past its deadline: a leader frozen (SIGSTOP) and resumed, or cut off, would otherwise
     * hand its stale decision to the new leader, which would commit it (fault run mixed, seed 16:
     * a lease revoked by the old leader's expiry just after the new leader had renewed it).
     */
    <T> CompletableFuture<T> proposeAsLeader(long term, ServerRequest request) {
        return propose(request, node -> node.role() == Role.LEADER && node.term() == term);
    }

    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<T> propose(ServerRequest request, Predicate<RaftNode> allowed) {
        long id = pending.newId();
        byte[] data = ServerRequestCodec.encode(id, request);
        if (data.length > maxRequestBytes) {
            return CompletableFuture.failedFuture(ServerError.REQUEST_TOO_LARGE.exception());
        }
        CompletableFuture<Object> result = pending.register(id);
        events.proposalStarted();
        loop.submit(node -> {
            if (!allowed.test(node)) {
                pending.fail(id, ServerError.LEADER_CHANGED.exception());
                return;
            }
            ProposeResult r = node.propose(List.of(Proposal.of(data)));
            failUnlessAccepted(r, result);
        });
        return (CompletableFuture<T>) counted(withTimeout(result));
    }

    /** Proposes a membership change whose entry carries {@code context}. */
    CompletableFuture<Object> proposeConfChange(ConfChange change, byte[] context) {
        CompletableFuture<Object> result = pending.register(change);
        byte[] data = change.encode(context);
        loop.submit(node -> {
            ProposeResult r = node.propose(List.of(new Proposal(EntryType.CONF_CHANGE, data)));
            failUnlessAccepted(r, result);
        });
        return withTimeout(result);
    }

    /** Completes once a read at this moment may be served locally (ReadIndex, thesis 6.4). */
    CompletableFuture<Void> readIndex() {
        if (!status.hasLeader()) {
            return CompletableFuture.failedFuture(ServerError.NO_LEADER.exception());
        }
        CompletableFuture<Void> ready = new CompletableFuture<>();
        long id = reads.register(ready);
        loop.submit(node -> {
            if (!node.requestRead(id)) {
                reads.fail(id, ServerError.NO_LEADER.exception());
            }
        });
        return withTimeout(ready);
    }

    private static void failUnlessAccepted(ProposeResult r, CompletableFuture<?> result) {
        switch (r) {
            case APPENDED, FORWARDED -> { }
            case NO_LEADER -> result.completeExceptionally(ServerError.NO_LEADER.exception());
            case LEADERSHIP_TRANSFER_IN_PROGRESS, LEADER_BEING_REMOVED ->
                    result.completeExceptionally(ServerError.LEADER_CHANGED.exception());
            case CONF_CHANGE_PENDING -> result.completeExceptionally(ServerError.UNHEALTHY.exception());
            case INVALID_CONF_CHANGE -> result.completeExceptionally(ServerError.MEMBER_NOT_FOUND.exception());
        }
    }

    private <T> CompletableFuture<T> counted(CompletableFuture<T> future) {
        return future.whenComplete((r, e) -> {
            events.proposalDone();
            if (e != null) {
                events.proposalFailed();
            }
        });
    }

    /** Fails what has waited longer than the request timeout; the server calls it every {@link #SWEEP_MILLIS}. */
    void expireTimedOut() {
        deadlines.sweep();
    }

    <T> CompletableFuture<T> withTimeout(CompletableFuture<T> future) {
        long leaderChangesAtStart = status.leaderChanges();
        return deadlines.track(future).exceptionallyCompose(e -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof TimeoutException) {
                ServerError error = status.leaderChanges() != leaderChangesAtStart
                        ? ServerError.TIMEOUT_LEADER_FAIL : ServerError.TIMEOUT;
                return CompletableFuture.failedFuture(error.exception());
            }
            return CompletableFuture.failedFuture(cause);
        });
    }
}
