package dev.consensus.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * One member as {@code etcdctl endpoint status} shows it, plus its role and how far it trails the
 * leader. Numbers are absent when the member did not answer.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MemberStatus(
    @JsonPropertyDescription("Member name (its pod's name).")
    String name,

    @JsonPropertyDescription("Member ID in hex, as etcdctl prints it.")
    String memberId,

    @JsonPropertyDescription("Leader, Follower or Learner.")
    MemberRole role,

    @JsonPropertyDescription("The member's Raft term.")
    Long raftTerm,

    @JsonPropertyDescription("The member's committed Raft index.")
    Long raftIndex,

    @JsonPropertyDescription("The member's applied Raft index.")
    Long appliedIndex,

    @JsonPropertyDescription("Entries the member's committed index trails the leader's by.")
    Long lag,

    @JsonPropertyDescription("Database size in bytes.")
    Long dbSize,

    @JsonPropertyDescription("Server version the member reports.")
    String version,

    @JsonPropertyDescription("True when the member answered, knows a leader and reports no errors.")
    Boolean healthy,

    @JsonPropertyDescription("Errors and alarms the member reports, or why it could not be reached.")
    List<String> errors) {
}
