package dev.consensus.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The CRD users install (helm/consensus-operator/crds/, the chart's) is the one the Java types generate. A change to the types
 * without regenerating the copy fails the build here, with the command that fixes it.
 */
class CrdDriftTest {

  @Test
  void the_checked_in_crd_is_the_one_the_java_types_generate() {
    Path generated = CrdFiles.generated();
    Path checkedIn = CrdFiles.checkedIn();
    assertThat(generated).as("the CRD generator's output (crd-generator-maven-plugin, process-classes)").exists();
    if (!Files.exists(checkedIn)) {
      fail(checkedIn.normalize() + " is missing. Run `make crd` to generate it, then commit it.");
    }
    String expected = CrdFiles.read(generated);
    String actual = CrdFiles.read(checkedIn);
    if (!expected.equals(actual)) {
      fail(checkedIn.normalize() + " differs from the CRD the Java types in crd/ generate ("
          + generated.normalize() + "), first at line " + firstDifferentLine(expected, actual)
          + ". Run `make crd` to regenerate it, review `git diff helm/consensus-operator/crds`, and commit it.");
    }
  }

  private static int firstDifferentLine(String a, String b) {
    String[] left = a.split("\n", -1);
    String[] right = b.split("\n", -1);
    int i = 0;
    while (i < left.length && i < right.length && left[i].equals(right[i])) {
      i++;
    }
    return i + 1;
  }
}
