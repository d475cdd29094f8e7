package dev.consensus.crd;

/**
 * What happens to members' volume claims when the resource is deleted; it becomes the StatefulSet's
 * {@code persistentVolumeClaimRetentionPolicy.whenDeleted}.
 */
public enum VolumeDeletionPolicy {
  Retain,
  Delete
}
