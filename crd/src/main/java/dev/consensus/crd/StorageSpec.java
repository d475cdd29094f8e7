package dev.consensus.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * Each member's volume. Size and class are immutable: they live in the StatefulSet's volume claim
 * template, which Kubernetes does not let anyone change, and the operator does not resize claims.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.size == oldSelf.size",
    message = "storage.size is immutable: the StatefulSet's volume claim template cannot change"
        + " and the operator does not resize volumes")
@ValidationRule(
    value = "has(self.storageClassName) == has(oldSelf.storageClassName)"
        + " && (!has(self.storageClassName) || self.storageClassName == oldSelf.storageClassName)",
    message = "storage.storageClassName is immutable: existing members' volumes keep their class")
public record StorageSpec(
    @JsonPropertyDescription("Size of each member's volume, a Kubernetes quantity (e.g. 8Gi). Immutable.")
    @Required
    Quantity size,

    @JsonPropertyDescription("StorageClass of the volumes; unset uses the cluster's default class. Immutable.")
    String storageClassName,

    @JsonPropertyDescription("What happens to the volumes when the ConsensusCluster is deleted: Retain"
        + " (the default: the data outlives the resource) or Delete.")
    @Default("Retain")
    VolumeDeletionPolicy deletionPolicy) {
}
