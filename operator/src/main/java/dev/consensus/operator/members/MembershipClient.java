package dev.consensus.operator.members;

import dev.consensus.operator.health.EndpointReport;
import dev.consensus.operator.health.MemberInfo;
import java.util.List;

/**
 * The operator's only way to the members: the etcd v3 Cluster and Maintenance calls that
 * {@code etcdctl member add --learner}, {@code member promote}, {@code member remove},
 * {@code member list}, {@code endpoint status} and {@code move-leader} make. Each call names the
 * client URL it goes to, because some must reach one member in particular (Status, MoveLeader to the
 * leader). Hidden behind an interface so the reconciler's decisions can be tested without members.
 *
 * <p>Calls throw {@link MembershipException} with the member's own error text when the member
 * refuses or cannot be reached within the client's bounded timeout.
 */
public interface MembershipClient extends AutoCloseable {

  /** The membership as {@code endpoint} knows it. */
  List<MemberInfo> memberList(String endpoint);

  /** {@code Maintenance.Status} of the member at {@code endpoint}; never throws, an error is a report. */
  EndpointReport status(long memberId, String endpoint);

  /** Adds a learner with {@code peerUrl}; returns the membership after the add, the new member included. */
  List<MemberInfo> addLearner(String endpoint, String peerUrl);

  void promote(String endpoint, long memberId);

  void remove(String endpoint, long memberId);

  /** Hands leadership to {@code transfereeId}; {@code leaderEndpoint} must be the current leader's. */
  void moveLeader(String leaderEndpoint, long transfereeId);

  /**
   * The credentials for {@code https} endpoints of one cluster, given before the calls that need them
   * (the reconciler reads them from the cluster's client TLS Secret at each reconcile). Endpoints are
   * matched by their exact URL. A client that only speaks plaintext ignores them.
   */
  default void useTls(String endpoint, ClientTls tls) {
  }

  @Override
  void close();
}
