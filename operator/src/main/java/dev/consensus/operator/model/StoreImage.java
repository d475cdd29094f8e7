package dev.consensus.operator.model;

import dev.consensus.crd.ConsensusClusterSpec;

/**
 * The members' container image: {@code spec.image} (a repository) and {@code spec.version} (a tag),
 * each defaulting to the store-node image the operator was released with.
 */
public final class StoreImage {

  /** The store-node image repository; `make images` builds the image (Jib). */
  public static final String DEFAULT_REPOSITORY = "ghcr.io/consensus-dev/store-node";
  /** The store-node version released together with this operator. */
  public static final String DEFAULT_TAG = "0.1.0";

  private StoreImage() {
  }

  public static String reference(ConsensusClusterSpec spec) {
    String repository = spec.image() == null ? DEFAULT_REPOSITORY : spec.image();
    return repository + ":" + tag(spec);
  }

  public static String tag(ConsensusClusterSpec spec) {
    return spec.version() == null ? DEFAULT_TAG : spec.version();
  }
}
