package dev.consensus.operator.members;

import dev.consensus.api.etcdserverpb.ClusterGrpc;
import dev.consensus.api.etcdserverpb.MaintenanceGrpc;
import dev.consensus.api.etcdserverpb.Member;
import dev.consensus.api.etcdserverpb.MemberAddRequest;
import dev.consensus.api.etcdserverpb.MemberListRequest;
import dev.consensus.api.etcdserverpb.MemberPromoteRequest;
import dev.consensus.api.etcdserverpb.MemberRemoveRequest;
import dev.consensus.api.etcdserverpb.MoveLeaderRequest;
import dev.consensus.api.etcdserverpb.StatusRequest;
import dev.consensus.api.etcdserverpb.StatusResponse;
import dev.consensus.operator.health.EndpointReport;
import dev.consensus.operator.health.MemberInfo;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * {@link MembershipClient} over the etcd v3 gRPC API (the project's own stubs from store-api), one
 * channel per member client URL so that a call reaches exactly the member it names: plaintext for
 * {@code http}, TLS for {@code https} with the credentials given for that endpoint ({@link #useTls}),
 * the member's certificate checked against the trusted CA and the URL's host name. Every call has a
 * deadline of {@code callTimeout}; the member's own error text (etcd's words) is kept.
 */
public final class GrpcMembershipClient implements MembershipClient {

  private final Duration callTimeout;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final Map<String, ClientTls> credentials = new ConcurrentHashMap<>();
  private final ClientTls fallbackTls;

  public GrpcMembershipClient(Duration callTimeout) {
    this(callTimeout, null);
  }

  /** A client that uses {@code fallbackTls} for https endpoints no credentials were given for (tools, tests). */
  public GrpcMembershipClient(Duration callTimeout, ClientTls fallbackTls) {
    this.callTimeout = callTimeout;
    this.fallbackTls = fallbackTls;
  }

  @Override
  public void useTls(String endpoint, ClientTls tls) {
    ClientTls before = credentials.put(endpoint, tls);
    if (before != null && !before.equals(tls)) {
      // Rotated: the next call dials with the new certificate.
      ManagedChannel stale = channels.remove(endpoint);
      if (stale != null) {
        stale.shutdownNow();
      }
    }
  }

  @Override
  public List<MemberInfo> memberList(String endpoint) {
    return call(endpoint, "member list", c -> ClusterGrpc.newBlockingStub(c).withDeadlineAfter(millis(), TimeUnit.MILLISECONDS)
        .memberList(MemberListRequest.getDefaultInstance()).getMembersList())
        .stream().map(GrpcMembershipClient::info).toList();
  }

  @Override
  public EndpointReport status(long memberId, String endpoint) {
    try {
      StatusResponse s = call(endpoint, "status", c -> MaintenanceGrpc.newBlockingStub(c)
          .withDeadlineAfter(millis(), TimeUnit.MILLISECONDS).status(StatusRequest.getDefaultInstance()));
      return new EndpointReport.Answered(s.getHeader().getMemberId(), s.getHeader().getClusterId(), s.getLeader(),
          s.getRaftTerm(), s.getRaftIndex(), s.getRaftAppliedIndex(), s.getDbSize(), s.getVersion(), s.getIsLearner(),
          s.getErrorsList());
    } catch (MembershipException e) {
      return new EndpointReport.Unreachable(memberId, e.getMessage());
    }
  }

  @Override
  public List<MemberInfo> addLearner(String endpoint, String peerUrl) {
    return call(endpoint, "member add --learner " + peerUrl, c -> ClusterGrpc.newBlockingStub(c)
        .withDeadlineAfter(millis(), TimeUnit.MILLISECONDS)
        .memberAdd(MemberAddRequest.newBuilder().addPeerURLs(peerUrl).setIsLearner(true).build()).getMembersList())
        .stream().map(GrpcMembershipClient::info).toList();
  }

  @Override
  public void promote(String endpoint, long memberId) {
    call(endpoint, "member promote " + Long.toHexString(memberId), c -> ClusterGrpc.newBlockingStub(c)
        .withDeadlineAfter(millis(), TimeUnit.MILLISECONDS)
        .memberPromote(MemberPromoteRequest.newBuilder().setID(memberId).build()));
  }

  @Override
  public void remove(String endpoint, long memberId) {
    call(endpoint, "member remove " + Long.toHexString(memberId), c -> ClusterGrpc.newBlockingStub(c)
        .withDeadlineAfter(millis(), TimeUnit.MILLISECONDS)
        .memberRemove(MemberRemoveRequest.newBuilder().setID(memberId).build()));
  }

  @Override
  public void moveLeader(String leaderEndpoint, long transfereeId) {
    call(leaderEndpoint, "move-leader " + Long.toHexString(transfereeId), c -> MaintenanceGrpc.newBlockingStub(c)
        .withDeadlineAfter(millis(), TimeUnit.MILLISECONDS)
        .moveLeader(MoveLeaderRequest.newBuilder().setTargetID(transfereeId).build()));
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
    channels.clear();
  }

  private long millis() {
    return callTimeout.toMillis();
  }

  private <T> T call(String endpoint, String what, Function<ManagedChannel, T> rpc) {
    try {
      return rpc.apply(channel(endpoint));
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == io.grpc.Status.Code.UNAVAILABLE
          || e.getStatus().getCode() == io.grpc.Status.Code.DEADLINE_EXCEEDED) {
        // A channel that failed to connect waits out gRPC's reconnect backoff (up to minutes) before it
        // tries again; a member that was down or not started yet must be asked afresh next time.
        ManagedChannel failed = channels.remove(endpoint);
        if (failed != null) {
          failed.shutdownNow();
        }
      }
      String description = e.getStatus().getDescription();
      throw new MembershipException(what + " at " + endpoint + ": " + e.getStatus().getCode()
          + (description == null ? "" : ": " + description), e);
    }
  }

  private ManagedChannel channel(String endpoint) {
    return channels.computeIfAbsent(endpoint, e -> {
      URI uri = URI.create(e);
      return switch (uri.getScheme()) {
        case "http" -> ManagedChannelBuilder.forAddress(uri.getHost(), uri.getPort()).usePlaintext().build();
        case "https" -> Grpc.newChannelBuilderForAddress(uri.getHost(), uri.getPort(), tlsCredentials(e)).build();
        default -> throw new MembershipException("member URL " + e + " has scheme " + uri.getScheme()
            + "; expected http or https", null);
      };
    });
  }

  private ChannelCredentials tlsCredentials(String endpoint) {
    ClientTls tls = credentials.getOrDefault(endpoint, fallbackTls);
    if (tls == null) {
      throw new MembershipException("no client TLS credentials for " + endpoint
          + " (spec.tls.clientSecretName's Secret not read yet)", null);
    }
    try {
      return TlsChannelCredentials.newBuilder()
          .keyManager(pem(tls.certificateChain()), pem(tls.privateKey()))
          .trustManager(pem(tls.trustedCa()))
          .build();
    } catch (IOException | IllegalArgumentException e) {
      throw new MembershipException("client TLS credentials for " + endpoint + " are not usable: " + e.getMessage(),
          e);
    }
  }

  private static InputStream pem(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
  }

  private static MemberInfo info(Member m) {
    return new MemberInfo(m.getID(), m.getName(), m.getPeerURLsList(), m.getIsLearner());
  }
}
