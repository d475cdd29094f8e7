package dev.consensus.crd;

/** The kinds of operations that change the membership or restart members. */
public enum OperationKind {
  ScaleOut,
  ScaleIn,
  ReplaceMember,
  RollingRestart
}
