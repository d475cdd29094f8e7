package dev.consensus.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A replicated, strongly consistent key-value store run by the operator: {@code spec} says what the
 * user wants (members, image, storage, store options), {@code status} what the members themselves
 * report. The CRD in {@code helm/consensus-operator/crds/} is generated from this class and the records it refers to.
 *
 * <p>The name becomes the StatefulSet's and the Services' names, so it must be a DNS-1035 label short
 * enough for the StatefulSet's {@code controller-revision-hash} label (NAME-hash, 63 characters at
 * most): 52 characters.
 */
@Group(ConsensusCluster.GROUP)
@Version(ConsensusCluster.VERSION)
@Kind("ConsensusCluster")
@Plural("consensusclusters")
@Singular("consensuscluster")
@ShortNames("cc")
@ValidationRule(
    value = "self.metadata.name.size() <= 52 && self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')",
    message = "metadata.name must be a DNS-1035 label of at most 52 characters (lower-case letters, digits"
        + " and '-', starting with a letter): it names the StatefulSet, its pods and the Services")
@AdditionalPrinterColumn(name = "Replicas", jsonPath = ".spec.replicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.readyMembers", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Leader", jsonPath = ".status.leader", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Term", jsonPath = ".status.raftTerm", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Failure-Tolerance", jsonPath = ".status.failureTolerance",
    type = AdditionalPrinterColumn.Type.INTEGER,
    getDescription = "How many more voting members may fail with the cluster still available")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ConsensusCluster extends CustomResource<ConsensusClusterSpec, ConsensusClusterStatus>
    implements Namespaced {

  public static final String GROUP = "consensus.dev";
  public static final String VERSION = "v1alpha1";

  private static final long serialVersionUID = 1L;
}
