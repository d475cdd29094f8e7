package dev.consensus.faults.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.faults.history.Call;
import dev.consensus.faults.history.Outcome;
import org.junit.jupiter.api.Test;

class RevisionCheckerTest {

    private final RevisionChecker checker = new RevisionChecker();

    @Test
    void revisionGoingBackwardsForOneClientIsRejected() {
        CheckResult r = checker.check(new Hist()
                .read("c1", "x", null, 0, 10, 10, 0)
                .read("c1", "x", null, 20, 30, 8, 0)
                .build());
        assertThat(r.status()).isEqualTo(Status.VIOLATION);
        assertThat(r.findings().get(0).summary()).contains("client c1 saw the revision go backwards: 8 seen after 10");
    }

    @Test
    void revisionGoingBackwardsAcrossClientsInRealTimeIsRejected() {
        CheckResult r = checker.check(new Hist()
                .write("c1", "x", "1", 0, 10, 12)
                .read("c2", "x", "1", 20, 30, 11, 0)
                .build());
        assertThat(r.findings().get(0).summary()).contains("revision went backwards in real time (c1 then c2)");
    }

    @Test
    void writeMustCreateANewerRevisionThanAnySeenBefore() {
        assertThat(checker.check(new Hist()
                .read("c1", "x", null, 0, 10, 12, 0)
                .write("c1", "x", "1", 20, 30, 12)
                .build()).status()).isEqualTo(Status.VIOLATION);
    }

    @Test
    void concurrentOperationsMayShowRevisionsInAnyOrder() {
        assertThat(checker.check(new Hist()
                .write("c1", "x", "1", 0, 100, 12)
                .read("c2", "x", null, 10, 20, 11, 0)
                .read("c3", "x", "1", 30, 40, 12, 12)
                .op("c4", new Call.Read("x", Call.ReadMode.SERIALIZABLE), 50, 60, Outcome.Ok.read(null, 0, 3))
                .build()).status()).isEqualTo(Status.OK);
    }

    @Test
    void twoWritesWithOneRevisionAreRejected() {
        assertThat(checker.check(new Hist()
                .write("c1", "x", "1", 0, 10, 5)
                .write("c2", "y", "1", 0, 10, 5)
                .build()).findings().get(0).summary()).contains("two acknowledged changes got revision 5");
    }

    @Test
    void readMustShowTheRevisionItsWriteGot() {
        assertThat(checker.check(new Hist()
                .write("c1", "x", "1", 0, 10, 5)
                .read("c2", "x", "1", 20, 30, 9, 6)
                .build()).findings().get(0).summary())
                .contains("mod_revision 6 for a value whose write was acknowledged at revision 5");
    }
}
