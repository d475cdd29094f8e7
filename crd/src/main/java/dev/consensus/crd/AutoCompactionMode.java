package dev.consensus.crd;

import com.fasterxml.jackson.annotation.JsonProperty;

/** etcd's {@code --auto-compaction-mode}, spelled as etcd spells it. */
public enum AutoCompactionMode {
  @JsonProperty("periodic")
  PERIODIC("periodic"),
  @JsonProperty("revision")
  REVISION("revision");

  private final String flagValue;

  AutoCompactionMode(String flagValue) {
    this.flagValue = flagValue;
  }

  /** The value as etcd's flag takes it. */
  public String flagValue() {
    return flagValue;
  }
}
