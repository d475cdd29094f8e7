package dev.consensus.operator.health;

/** Member and cluster IDs as etcdctl prints them: lower-case hex, no leading zeros. */
public final class HexIds {

  private HexIds() {
  }

  public static String format(long id) {
    return Long.toHexString(id);
  }
}
