package dev.consensus.crd;

/** Regular expressions shared by the schema annotations and {@link dev.consensus.crd.validation.SpecValidator}. */
public final class Patterns {

  /**
   * An image repository without tag or digest: path segments split by '/', where only the last may
   * not hold ':' (a registry host may carry a port, {@code localhost:5000/store-node}).
   */
  public static final String IMAGE_REPOSITORY = "^([^/@\\s]+/)*[^/:@\\s]+$";

  /** A Docker tag: 128 characters at most of letters, digits, '_', '.', '-', not starting with '.' or '-'. */
  public static final String IMAGE_TAG = "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$";

  /** A Kubernetes object name (DNS-1123 subdomain), as Secret names are. */
  public static final String DNS_SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  private Patterns() {
  }
}
