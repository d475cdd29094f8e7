package dev.consensus.crd.validation;

import dev.consensus.crd.ConsensusClusterSpec;
import dev.consensus.crd.StorageSpec;
import dev.consensus.crd.TlsSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The immutability rules the CRD's CEL rules enforce at the API server, repeated for the operator:
 * an API server without CEL (or a mock one) lets such a change through, and the operator must then
 * refuse it rather than half-apply it. Compared against the spec the operator last applied.
 *
 * <p>One difference: the API server compares a quantity's text ("1Gi" to "1024Mi" is a change), this
 * class its value (it is not), because the applied value may come back normalized.
 */
public final class ChangeValidator {

  private ChangeValidator() {
  }

  /** Every immutable field that differs between the applied spec and the new one. */
  public static List<SpecViolation> validateChange(ConsensusClusterSpec applied, ConsensusClusterSpec next) {
    List<SpecViolation> out = new ArrayList<>();
    if (applied == null || next == null) {
      return out;
    }
    StorageSpec before = applied.storage();
    StorageSpec after = next.storage();
    if (before != null && after != null) {
      if (!Objects.equals(before.size(), after.size())) {
        out.add(new SpecViolation("spec.storage.size", "storage.size is immutable: the StatefulSet's volume"
            + " claim template cannot change and the operator does not resize volumes (was " + before.size()
            + ", now " + after.size() + ")"));
      }
      if (!Objects.equals(before.storageClassName(), after.storageClassName())) {
        out.add(new SpecViolation("spec.storage.storageClassName", "storage.storageClassName is immutable:"
            + " existing members' volumes keep their class (was " + before.storageClassName() + ", now "
            + after.storageClassName() + ")"));
      }
    }
    if (tlsShape(applied.tls()) != tlsShape(next.tls())) {
      out.add(new SpecViolation("spec.tls", "TLS cannot be turned on or off on an existing cluster"
          + " (tls.clientSecretName and tls.peerSecretName may change, not appear or disappear): members"
          + " advertise their URLs with the scheme, and the membership records the peer URLs"));
    }
    return List.copyOf(out);
  }

  /** Which sides use TLS, as two bits: client, peer. */
  private static int tlsShape(TlsSpec tls) {
    if (tls == null) {
      return 0;
    }
    return (tls.clientSecretName() != null ? 1 : 0) | (tls.peerSecretName() != null ? 2 : 0);
  }
}
