package dev.consensus.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * TLS Secrets (type kubernetes.io/tls with ca.crt, as cert-manager writes them). Certificates must
 * name the members' DNS names, {@code *.NAME.NAMESPACE.svc}, and for clients also the client Service.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.clientSecretName) || has(self.peerSecretName)",
    message = "tls needs clientSecretName, peerSecretName or both; remove tls for plain HTTP")
public record TlsSpec(
    @JsonPropertyDescription("Secret with the server certificate for client traffic (port 2379, https)."
        + " ca.crt is what clients, the operator included, trust.")
    @Pattern(Patterns.DNS_SUBDOMAIN)
    String clientSecretName,

    @JsonPropertyDescription("Secret with the certificate members use towards each other (port 2380,"
        + " mutual TLS: each member presents it as server and as client, so it needs both usages).")
    @Pattern(Patterns.DNS_SUBDOMAIN)
    String peerSecretName) {
}
