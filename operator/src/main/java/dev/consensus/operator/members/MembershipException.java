package dev.consensus.operator.members;

/** A membership call failed: the member refused it (with etcd's message) or did not answer in time. */
public final class MembershipException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public MembershipException(String message, Throwable cause) {
    super(message, cause);
  }
}
