package dev.consensus.crd.validation;

/**
 * One rule a resource breaks: the field's path in the resource (as kubectl would name it) and a
 * message saying what is wrong and, where it helps, what to do instead.
 */
public record SpecViolation(String field, String message) {

  @Override
  public String toString() {
    return field + ": " + message;
  }
}
