package dev.consensus.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import java.util.List;

/**
 * What the user asks for. Descriptions are in {@link JsonPropertyDescription} because the CRD
 * generator reads compiled classes, where Javadoc does not survive.
 *
 * <p>Turning TLS on or off (either side) is refused on update: members advertise their peer and
 * client URLs with the scheme in them, and the Raft membership records the peer URLs, so the switch
 * needs every member re-registered, which the operator does not do.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.tls) == has(oldSelf.tls) && (!has(self.tls) || ("
        + "has(self.tls.clientSecretName) == has(oldSelf.tls.clientSecretName)"
        + " && has(self.tls.peerSecretName) == has(oldSelf.tls.peerSecretName)))",
    message = "TLS cannot be turned on or off on an existing cluster (tls.clientSecretName and"
        + " tls.peerSecretName may change, not appear or disappear): members advertise their URLs with"
        + " the scheme, and the membership records the peer URLs")
public record ConsensusClusterSpec(
    @JsonPropertyDescription("Number of members. The operator grows the cluster one learner at a time"
        + " (added, caught up, then promoted) and shrinks it one member at a time. 1 to 7: etcd's"
        + " guidance stops at 7, past which every write waits on more acknowledgements for no more"
        + " useful fault tolerance. Odd numbers tolerate as many failures as the next even one.")
    @Required @Min(1) @Max(7) @SpecReplicas
    Integer replicas,

    @JsonPropertyDescription("Container image repository, without tag or digest (the tag is 'version')."
        + " Defaults to the store-node image. A stock etcd image also works; then set 'command' to"
        + " its executable, e.g. [\"/usr/local/bin/etcd\"].")
    @Pattern(Patterns.IMAGE_REPOSITORY)
    String image,

    @JsonPropertyDescription("Image tag. Defaults to the operator's own version. Changing it restarts"
        + " the members one at a time, followers first.")
    @Pattern(Patterns.IMAGE_TAG)
    String version,

    @JsonPropertyDescription("Container command: the store's executable in the image. Unset, the image's"
        + " entrypoint runs (the store-node image's is store-node). The flags are the container's"
        + " arguments either way.")
    List<String> command,

    @JsonPropertyDescription("Each member's persistent volume.")
    @Required
    StorageSpec storage,

    @JsonPropertyDescription("CPU and memory requests and limits of the store container.")
    ResourceRequirements resources,

    @JsonPropertyDescription("Scheduling and metadata settings added to every member's pod.")
    PodOverrides pod,

    @JsonPropertyDescription("Settings of the store itself, passed as etcd's flags.")
    StoreOptions store,

    @JsonPropertyDescription("TLS for client and peer traffic, from Secrets of type kubernetes.io/tls"
        + " (tls.crt, tls.key, ca.crt). Unset: plain HTTP.")
    TlsSpec tls,

    @JsonPropertyDescription("When true the operator changes nothing: no membership step, no object"
        + " update. Status is still reported.")
    @Default("false")
    Boolean paused) {

  /** {@code paused} with its default. */
  public boolean isPaused() {
    return Boolean.TRUE.equals(paused);
  }
}
