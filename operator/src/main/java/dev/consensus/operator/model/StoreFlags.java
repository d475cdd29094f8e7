package dev.consensus.operator.model;

import dev.consensus.crd.ConsensusCluster;
import dev.consensus.crd.ConsensusClusterSpec;
import dev.consensus.crd.Defaults;
import dev.consensus.crd.StoreOptions;
import dev.consensus.crd.TlsSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.List;

/**
 * The member's command line: etcd's own flags, so store-node and a stock etcd read the same
 * arguments. Per-pod values come from the pod's environment through Kubernetes' {@code $(VAR)}
 * expansion: the name from {@code POD_NAME}, and the initial cluster and its state from the
 * cluster ConfigMap (see {@link ClusterConfigMapModel}), read when the container starts.
 */
public final class StoreFlags {

  public static final String POD_NAME_ENV = "POD_NAME";
  public static final String INITIAL_CLUSTER_ENV = "INITIAL_CLUSTER";
  public static final String INITIAL_CLUSTER_STATE_ENV = "INITIAL_CLUSTER_STATE";

  public static final String DATA_VOLUME = "data";
  public static final String DATA_MOUNT = "/var/lib/store";
  /** A directory below the mount, so a filesystem's lost+found never sits in etcd's data dir. */
  public static final String DATA_DIR = DATA_MOUNT + "/data";
  public static final String CLIENT_TLS_DIR = "/etc/consensus/tls/client";
  public static final String PEER_TLS_DIR = "/etc/consensus/tls/peer";

  private StoreFlags() {
  }

  public static List<String> args(ConsensusCluster cluster) {
    ConsensusClusterSpec spec = cluster.getSpec();
    ClusterNames names = ClusterNames.of(cluster);
    String peerScheme = peerTls(spec) ? "https" : "http";
    String clientScheme = clientTls(spec) ? "https" : "http";
    String self = names.memberHost("$(" + POD_NAME_ENV + ")");
    List<String> args = new ArrayList<>();
    args.add("--name=$(" + POD_NAME_ENV + ")");
    args.add("--data-dir=" + DATA_DIR);
    args.add("--listen-peer-urls=" + peerScheme + "://0.0.0.0:" + ClusterNames.PEER_PORT);
    args.add("--listen-client-urls=" + clientScheme + "://0.0.0.0:" + ClusterNames.CLIENT_PORT);
    args.add("--listen-metrics-urls=http://0.0.0.0:" + ClusterNames.METRICS_PORT);
    args.add("--initial-advertise-peer-urls=" + peerScheme + "://" + self + ":" + ClusterNames.PEER_PORT);
    args.add("--advertise-client-urls=" + clientScheme + "://" + self + ":" + ClusterNames.CLIENT_PORT);
    args.add("--initial-cluster=$(" + INITIAL_CLUSTER_ENV + ")");
    args.add("--initial-cluster-state=$(" + INITIAL_CLUSTER_STATE_ENV + ")");
    args.add("--initial-cluster-token=" + token(cluster));
    storeOptions(Defaults.storeOptions(spec.store()), args);
    tls(spec.tls(), args);
    return List.copyOf(args);
  }

  /** A member's peer URL as it advertises it, for the initial cluster the operator writes. */
  public static String peerUrl(ConsensusCluster cluster, String memberName) {
    String scheme = peerTls(cluster.getSpec()) ? "https" : "http";
    return scheme + "://" + ClusterNames.of(cluster).memberHost(memberName) + ":" + ClusterNames.PEER_PORT;
  }

  /** A member's client URL, as the operator dials it. */
  public static String clientUrl(ConsensusCluster cluster, String memberName) {
    String scheme = clientTls(cluster.getSpec()) ? "https" : "http";
    return scheme + "://" + ClusterNames.of(cluster).memberHost(memberName) + ":" + ClusterNames.CLIENT_PORT;
  }

  /**
   * The bootstrap token, part of every member ID. The resource's UID makes it differ between two
   * resources of the same name created one after the other, so their members never mistake each other.
   */
  static String token(ConsensusCluster cluster) {
    String uid = cluster.getMetadata().getUid();
    return uid == null ? cluster.getMetadata().getName() : cluster.getMetadata().getName() + "-" + uid;
  }

  public static boolean peerTls(ConsensusClusterSpec spec) {
    return spec.tls() != null && spec.tls().peerSecretName() != null;
  }

  public static boolean clientTls(ConsensusClusterSpec spec) {
    return spec.tls() != null && spec.tls().clientSecretName() != null;
  }

  private static void storeOptions(StoreOptions o, List<String> args) {
    args.add("--heartbeat-interval=" + o.heartbeatIntervalMs());
    args.add("--election-timeout=" + o.electionTimeoutMs());
    args.add("--snapshot-count=" + o.snapshotCount());
    if (o.quotaBackendBytes() != null) {
      // etcd takes a plain byte count; the resource takes a quantity.
      args.add("--quota-backend-bytes=" + Quantity.getAmountInBytes(o.quotaBackendBytes()).toBigInteger());
    }
    args.add("--auto-compaction-mode=" + o.autoCompactionMode().flagValue());
    args.add("--auto-compaction-retention=" + o.autoCompactionRetention());
  }

  private static void tls(TlsSpec tls, List<String> args) {
    if (tls == null) {
      return;
    }
    if (tls.clientSecretName() != null) {
      args.add("--cert-file=" + CLIENT_TLS_DIR + "/tls.crt");
      args.add("--key-file=" + CLIENT_TLS_DIR + "/tls.key");
      args.add("--trusted-ca-file=" + CLIENT_TLS_DIR + "/ca.crt");
      // Clients show a certificate from that CA: the operator shows the Secret's own.
      args.add("--client-cert-auth=true");
    }
    if (tls.peerSecretName() != null) {
      args.add("--peer-cert-file=" + PEER_TLS_DIR + "/tls.crt");
      args.add("--peer-key-file=" + PEER_TLS_DIR + "/tls.key");
      args.add("--peer-trusted-ca-file=" + PEER_TLS_DIR + "/ca.crt");
      args.add("--peer-client-cert-auth=true");
    }
  }
}
