package dev.consensus.operator.members;

import dev.consensus.operator.health.EndpointReport;
import dev.consensus.operator.health.MemberInfo;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.cluster.Member;
import io.etcd.jetcd.maintenance.StatusResponse;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link MembershipClient} over jetcd, with one single-endpoint client per member URL so that a call
 * reaches exactly the member it names (jetcd balances a multi-endpoint client across members). Every
 * call waits at most {@code callTimeout}; jetcd's own retries are limited to stay inside it.
 */
public final class JetcdMembershipClient implements MembershipClient {

  private final Duration callTimeout;
  private final Map<String, Client> clients = new ConcurrentHashMap<>();

  public JetcdMembershipClient(Duration callTimeout) {
    this.callTimeout = callTimeout;
  }

  @Override
  public List<MemberInfo> memberList(String endpoint) {
    return await(endpoint, "member list", client(endpoint).getClusterClient().listMember())
        .getMembers().stream().map(JetcdMembershipClient::info).toList();
  }

  @Override
  public EndpointReport status(long memberId, String endpoint) {
    try {
      StatusResponse s = await(endpoint, "status", client(endpoint).getMaintenanceClient().statusMember(endpoint));
      return new EndpointReport.Answered(s.getHeader().getMemberId(), s.getHeader().getClusterId(), s.getLeader(),
          s.getRaftTerm(), s.getRaftIndex(), s.getRaftAppliedIndex(), s.getDbSize(), s.getVersion(), s.isLearner(),
          s.getErrorList());
    } catch (MembershipException e) {
      return new EndpointReport.Unreachable(memberId, e.getMessage());
    }
  }

  @Override
  public List<MemberInfo> addLearner(String endpoint, String peerUrl) {
    return await(endpoint, "member add --learner " + peerUrl,
        client(endpoint).getClusterClient().addMember(List.of(URI.create(peerUrl)), true))
        .getMembers().stream().map(JetcdMembershipClient::info).toList();
  }

  @Override
  public void promote(String endpoint, long memberId) {
    await(endpoint, "member promote " + Long.toHexString(memberId),
        client(endpoint).getClusterClient().promoteMember(memberId));
  }

  @Override
  public void remove(String endpoint, long memberId) {
    await(endpoint, "member remove " + Long.toHexString(memberId),
        client(endpoint).getClusterClient().removeMember(memberId));
  }

  @Override
  public void moveLeader(String leaderEndpoint, long transfereeId) {
    await(leaderEndpoint, "move-leader " + Long.toHexString(transfereeId),
        client(leaderEndpoint).getMaintenanceClient().moveLeader(transfereeId));
  }

  @Override
  public void close() {
    clients.values().forEach(Client::close);
    clients.clear();
  }

  private Client client(String endpoint) {
    return clients.computeIfAbsent(endpoint, e -> Client.builder().endpoints(e)
        .retryMaxAttempts(2).retryDelay(100).retryMaxDelay(500)
        .connectTimeout(callTimeout).build());
  }

  private <T> T await(String endpoint, String call, CompletableFuture<T> future) {
    try {
      return future.get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new MembershipException(call + " at " + endpoint + ": " + rootMessage(cause), cause);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new MembershipException(call + " at " + endpoint + ": no answer within " + callTimeout.toMillis()
          + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MembershipException(call + " at " + endpoint + ": interrupted", e);
    }
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  private static MemberInfo info(Member m) {
    return new MemberInfo(m.getId(), m.getName(), m.getPeerURIs().stream().map(URI::toString).toList(),
        m.isLearner());
  }
}
