package dev.consensus.e2e.harness;

import dev.consensus.operator.model.ClusterNames;
import java.util.ArrayList;
import java.util.List;

/**
 * The "pod IPs" of one StatefulSet in the harness: pod {@code NAME-i} on the loopback address
 * {@code PREFIX.(i+1)}, where the prefix is a /24 of its own (127.x.y) so clusters, earlier runs and
 * other tests on the machine do not collide. Every pod listens on the ports its container declares,
 * on its own address, as pods on their own network namespaces would.
 */
public record PodAddresses(String prefix) {

  /** At most this many pods per StatefulSet get names in the hosts file. */
  public static final int MAX_PODS = 16;

  public String host(int ordinal) {
    if (ordinal < 0 || ordinal >= MAX_PODS) {
      throw new IllegalArgumentException("the harness runs ordinals 0.." + (MAX_PODS - 1) + ", not " + ordinal);
    }
    return prefix + "." + (ordinal + 1);
  }

  /** The hosts-file lines (address, name) for one cluster's pods and Services; both with and without cluster.local. */
  public List<String[]> hostsEntries(ClusterNames names, int clientServicePods) {
    List<String[]> entries = new ArrayList<>();
    for (int i = 0; i < MAX_PODS; i++) {
      entries.add(new String[] {host(i), names.memberHost(i)});
      entries.add(new String[] {host(i), names.memberHost(i) + ".cluster.local"});
    }
    // A Service's name resolves to the pods behind it; the harness has no proxy, so to the first few pods.
    for (int i = 0; i < clientServicePods; i++) {
      entries.add(new String[] {host(i), names.clientHost()});
      entries.add(new String[] {host(i), names.clientHost() + ".cluster.local"});
    }
    return entries;
  }
}
