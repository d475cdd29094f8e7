package dev.consensus.faults.check;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LostWriteCheckerTest {

    private final LostWriteChecker checker = new LostWriteChecker();

    @Test
    void lostAcknowledgedWriteIsRejected() {
        CheckResult r = checker.check(new Hist()
                .write("a", "x", "1", 0, 10, 0)
                .write("a", "x", "2", 20, 30, 0)
                .fault("kill", "m1", 25)
                .finalRead("final", "x", "1", 100, 110)
                .build());
        assertThat(r.status()).isEqualTo(Status.VIOLATION);
        assertThat(r.findings().get(0).summary()).contains("the final read is not a state the writes allow");
        assertThat(r.findings().get(0).details()).contains("FAULT kill m1");
    }

    @Test
    void vanishedKeyIsRejected() {
        assertThat(checker.check(new Hist()
                .write("a", "x", "1", 0, 10, 0)
                .finalRead("final", "x", null, 100, 110)
                .build()).status()).isEqualTo(Status.VIOLATION);
    }

    @Test
    void finalStateOfAnyOrderOfConcurrentOrIndeterminateWritesPasses() {
        for (String last : new String[] {"1", "2", "3"}) {
            assertThat(checker.check(new Hist()
                    .write("a", "x", "1", 0, 50, 0)
                    .write("b", "x", "2", 10, 60, 0)
                    .writeIndeterminate("c", "x", "3", 20)
                    .finalRead("final", "x", last, 100, 110)
                    .build()).status()).as("final %s", last).isEqualTo(Status.OK);
        }
    }

    @Test
    void intermediateReadsAreLeftToTheLinearizabilityChecker() {
        // The stale read is the register checker's business; the final state is fine.
        assertThat(checker.check(new Hist()
                .write("a", "x", "1", 0, 10, 0)
                .write("a", "x", "2", 20, 30, 0)
                .read("b", "x", "1", 40, 50)
                .finalRead("final", "x", "2", 100, 110)
                .build()).status()).isEqualTo(Status.OK);
    }

    @Test
    void keyWrittenButNotReadAtTheEndIsUnknown() {
        CheckResult r = checker.check(new Hist()
                .write("a", "x", "1", 0, 10, 0)
                .write("a", "y", "1", 0, 10, 0)
                .finalRead("final", "x", "1", 100, 110)
                .build());
        assertThat(r.status()).isEqualTo(Status.UNKNOWN);
        assertThat(r.findings().get(0).summary()).contains("\"y\" has acknowledged writes but no final read");
    }
}
