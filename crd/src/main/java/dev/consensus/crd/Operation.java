package dev.consensus.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The operation the operator is in the middle of, so that a restarted operator and a person can both see it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Operation(
    @JsonPropertyDescription("ScaleOut, ScaleIn, ReplaceMember or RollingRestart.")
    OperationKind kind,

    @JsonPropertyDescription("The step within the operation, e.g. AddLearner, WaitCaughtUp, Promote.")
    String step,

    @JsonPropertyDescription("When the step began (RFC 3339).")
    String since,

    @JsonPropertyDescription("Human-readable detail: which member, how far behind.")
    String detail) {
}
