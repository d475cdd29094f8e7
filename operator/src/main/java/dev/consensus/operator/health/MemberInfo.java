package dev.consensus.operator.health;

import java.net.URI;
import java.util.List;

/**
 * One entry of the member list ({@code MemberList}): ID, name, peer URLs, learner or voter. A member
 * added but not started yet has no name; {@link #displayName()} then takes it from its peer URL,
 * whose host starts with the pod's name.
 */
public record MemberInfo(long id, String name, List<String> peerUrls, boolean learner) {

  public MemberInfo {
    peerUrls = List.copyOf(peerUrls);
  }

  public String displayName() {
    if (name != null && !name.isEmpty()) {
      return name;
    }
    for (String url : peerUrls) {
      try {
        String host = URI.create(url).getHost();
        if (host != null && !host.isEmpty()) {
          int dot = host.indexOf('.');
          return dot < 0 ? host : host.substring(0, dot);
        }
      } catch (IllegalArgumentException e) {
        // Not a URL: fall through to the ID.
      }
    }
    return HexIds.format(id);
  }
}
