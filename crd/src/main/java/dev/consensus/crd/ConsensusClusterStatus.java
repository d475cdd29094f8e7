package dev.consensus.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.List;

/**
 * What the operator last observed, written as a whole each time (never field by field), so that no
 * reader sees half of one observation and half of another.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConsensusClusterStatus(
    @JsonPropertyDescription("metadata.generation of the spec this status was computed for.")
    Long observedGeneration,

    @JsonPropertyDescription("One-word summary: Pending, Running, Reconfiguring, Degraded, Unavailable,"
        + " Paused or Invalid.")
    ClusterPhase phase,

    @JsonPropertyDescription("Available, Progressing and Degraded, in Kubernetes' condition format.")
    List<Condition> conditions,

    @JsonPropertyDescription("The cluster ID the members report, in hex as etcdctl prints it.")
    String clusterId,

    @JsonPropertyDescription("Name of the current leader, if there is one.")
    String leader,

    @JsonPropertyDescription("The leader's Raft term.")
    Long raftTerm,

    @JsonPropertyDescription("Names of the voting members.")
    List<String> voters,

    @JsonPropertyDescription("Names of the learners (members catching up, without a vote).")
    List<String> learners,

    @JsonPropertyDescription("Votes needed for a decision: a majority of the voters.")
    Integer quorumSize,

    @JsonPropertyDescription("How many more voters may fail with the cluster still available: healthy"
        + " voters minus the quorum, never below 0.")
    Integer failureTolerance,

    @JsonPropertyDescription("Members in the membership (voters and learners); the scale subresource's"
        + " status replicas.")
    @StatusReplicas
    Integer replicas,

    @JsonPropertyDescription("Members that answered and are healthy.")
    Integer readyMembers,

    @JsonPropertyDescription("Label selector of the members' pods, for the scale subresource.")
    @LabelSelector
    String selector,

    @JsonPropertyDescription("One row per member, the columns of 'etcdctl endpoint status'.")
    List<MemberStatus> members,

    @JsonPropertyDescription("The membership or restart operation in progress, if any.")
    Operation operation) {
}
