package dev.consensus.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import java.util.List;
import java.util.Map;

/** Settings copied onto every member's pod as they are; the operator adds nothing to them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PodOverrides(
    @JsonPropertyDescription("Pod affinity and anti-affinity, e.g. to spread members over nodes.")
    Affinity affinity,

    @JsonPropertyDescription("Tolerations of the members' pods.")
    List<Toleration> tolerations,

    @JsonPropertyDescription("Node labels a member's node must have.")
    Map<String, String> nodeSelector,

    @JsonPropertyDescription("How members spread over zones or nodes.")
    List<TopologySpreadConstraint> topologySpreadConstraints,

    @JsonPropertyDescription("PriorityClass of the members' pods.")
    String priorityClassName,

    @JsonPropertyDescription("Extra pod labels. The app.kubernetes.io/ labels the operator sets cannot be overridden.")
    Map<String, String> labels,

    @JsonPropertyDescription("Extra pod annotations.")
    Map<String, String> annotations) {
}
