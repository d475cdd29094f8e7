package dev.consensus.operator.reconcile;

import dev.consensus.crd.Operation;

/**
 * The planner's answer: the step to take, and the operation status shows while it is taken (null
 * when nothing is in progress).
 */
public record Plan(Step step, Operation operation) {
}
