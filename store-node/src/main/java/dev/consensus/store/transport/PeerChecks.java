package dev.consensus.store.transport;

import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a member checks before it accepts anything from a peer: the cluster is its own, it is the
 * recipient, and the sender was not removed. Refusals are logged and say which ids disagree.
 */
final class PeerChecks {

    /** etcd's words, which a removed member's operator will search for. */
    static final String REMOVED = "the member has been permanently removed from the cluster";

    private static final Logger LOG = LoggerFactory.getLogger(PeerChecks.class);

    private final PeerIdentity self;
    private final PeerInbound inbound;

    PeerChecks(PeerIdentity self, PeerInbound inbound) {
        this.self = self;
        this.inbound = inbound;
    }

    /** The refusal for a request from {@code from} to {@code to} in cluster {@code clusterId}, or OK. */
    Status check(long clusterId, long from, long to) {
        Status refusal = refusal(clusterId, from, to);
        if (!refusal.isOk()) {
            LOG.warn("refused a peer request from member {}: {}", hex(from), refusal.getDescription());
        }
        return refusal;
    }

    private Status refusal(long clusterId, long from, long to) {
        if (clusterId != self.clusterId()) {
            return Status.FAILED_PRECONDITION.withDescription("cluster ID mismatch: member " + hex(self.memberId())
                    + " is in cluster " + hex(self.clusterId()) + ", member " + hex(from)
                    + " sent a request for cluster " + hex(clusterId));
        }
        if (to != self.memberId()) {
            return Status.FAILED_PRECONDITION.withDescription("to field mismatch: this is member "
                    + hex(self.memberId()) + ", the request is for member " + hex(to));
        }
        if (from == 0) {
            return Status.INVALID_ARGUMENT.withDescription("the request names no sender (from is 0)");
        }
        if (inbound.isRemoved(from)) {
            return Status.PERMISSION_DENIED.withDescription(REMOVED);
        }
        return Status.OK;
    }

    /** True if a peer refused this member because it was removed from the cluster. */
    static boolean isRemovedRefusal(Status status) {
        return status.getCode() == Status.Code.PERMISSION_DENIED && REMOVED.equals(status.getDescription());
    }

    /** Member and cluster ids are printed as etcd prints them: unsigned hex. */
    static String hex(long id) {
        return Long.toHexString(id);
    }
}
