package dev.consensus.faults.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.faults.history.History;
import org.junit.jupiter.api.Test;

/** Hand-made register histories: the ones a correct store can produce pass, the others fail. */
class LinearizabilityCheckerTest {

    private final LinearizabilityChecker checker = new LinearizabilityChecker();

    private CheckResult check(Hist h) {
        return checker.check(h.build());
    }

    @Test
    void staleReadIsRejected() {
        CheckResult r = check(new Hist()
                .write("a", "x", "1", 0, 10, 0)
                .write("a", "x", "2", 20, 30, 0)
                .read("b", "x", "1", 40, 50));
        assertThat(r.status()).isEqualTo(Status.VIOLATION);
        assertThat(r.findings().get(0).summary()).contains("key \"x\": not linearizable");
    }

    @Test
    void readOfValueNeverWrittenIsRejected() {
        assertThat(check(new Hist()
                .write("a", "x", "1", 0, 10, 0)
                .read("b", "x", "ghost", 20, 30)).status()).isEqualTo(Status.VIOLATION);
    }

    @Test
    void casSucceedingOnWrongValueIsRejected() {
        assertThat(check(new Hist()
                .write("a", "x", "1", 0, 10, 0)
                .cas("b", "x", "0", "2", 20, 30, true)).status()).isEqualTo(Status.VIOLATION);
    }

    @Test
    void casFailingOnTheRightValueIsRejected() {
        assertThat(check(new Hist()
                .write("a", "x", "1", 0, 10, 0)
                .cas("b", "x", "1", "2", 20, 30, false)).status()).isEqualTo(Status.VIOLATION);
    }

    @Test
    void readOfAbsentKeyAfterWriteIsRejected() {
        assertThat(check(new Hist()
                .write("a", "x", "1", 0, 10, 0)
                .read("b", "x", null, 20, 30)).status()).isEqualTo(Status.VIOLATION);
    }

    @Test
    void concurrentWriteAndReadPassInEitherOrder() {
        assertThat(check(new Hist()
                .write("a", "x", "1", 0, 100, 0)
                .read("b", "x", null, 10, 20)
                .read("c", "x", "1", 30, 40)).status()).isEqualTo(Status.OK);
        assertThat(check(new Hist()
                .write("a", "x", "1", 0, 100, 0)
                .read("b", "x", "1", 10, 20)
                .read("c", "x", "1", 30, 40)).status()).isEqualTo(Status.OK);
    }

    @Test
    void concurrentWritesMayLandInEitherOrder() {
        for (String last : new String[] {"1", "2"}) {
            assertThat(check(new Hist()
                    .write("a", "x", "1", 0, 50, 0)
                    .write("b", "x", "2", 10, 60, 0)
                    .read("c", "x", last, 70, 80)).status()).as("final %s", last).isEqualTo(Status.OK);
        }
    }

    @Test
    void readsMustAgreeOnOneOrderOfConcurrentWrites() {
        // Both writes are concurrent, but once c saw 2 after 1, d cannot see 1 after 2 later.
        assertThat(check(new Hist()
                .write("a", "x", "1", 0, 50, 0)
                .write("b", "x", "2", 0, 50, 0)
                .read("c", "x", "2", 60, 70)
                .read("d", "x", "1", 80, 90)).status()).isEqualTo(Status.VIOLATION);
    }

    @Test
    void indeterminateWriteThatHappenedPasses() {
        assertThat(check(new Hist()
                .writeIndeterminate("a", "x", "1", 0)
                .read("b", "x", "1", 50, 60)).status()).isEqualTo(Status.OK);
    }

    @Test
    void indeterminateWriteThatNeverHappenedPasses() {
        assertThat(check(new Hist()
                .writeIndeterminate("a", "x", "1", 0)
                .read("b", "x", null, 50, 60)
                .read("b", "x", null, 70, 80)).status()).isEqualTo(Status.OK);
    }

    @Test
    void indeterminateWriteThatAppearsMuchLaterPasses() {
        assertThat(check(new Hist()
                .writeIndeterminate("a", "x", "1", 0)
                .read("b", "x", null, 50, 60)
                .write("c", "x", "2", 100, 110, 0)
                .read("b", "x", "2", 200, 210)
                .read("b", "x", "1", 100_000, 100_010)).status()).isEqualTo(Status.OK);
    }

    @Test
    void indeterminateWriteCannotTakeEffectBeforeItsCall() {
        assertThat(check(new Hist()
                .read("b", "x", "1", 0, 5)
                .writeIndeterminate("a", "x", "1", 10)).status()).isEqualTo(Status.VIOLATION);
    }

    @Test
    void indeterminateWriteHappensOnceOnly() {
        // 1 appeared, was overwritten by 2, and cannot come back.
        assertThat(check(new Hist()
                .writeIndeterminate("a", "x", "1", 0)
                .read("b", "x", "1", 50, 60)
                .write("c", "x", "2", 70, 80, 0)
                .read("b", "x", "1", 90, 100)).status()).isEqualTo(Status.VIOLATION);
    }

    @Test
    void failedWriteNeverHappened() {
        assertThat(check(new Hist()
                .op("a", new dev.consensus.faults.history.Call.Write("x", "1"), 0, 10,
                        new dev.consensus.faults.history.Outcome.Fail("etcdserver: request is too large"))
                .read("b", "x", "1", 50, 60)).status()).isEqualTo(Status.VIOLATION);
    }

    @Test
    void keysAreCheckedSeparately() {
        CheckResult r = check(new Hist()
                .write("a", "x", "1", 0, 10, 0)
                .write("a", "y", "1", 0, 10, 0)
                .read("b", "x", "1", 20, 30)
                .read("b", "y", null, 20, 30));
        assertThat(r.checked()).isEqualTo(2);
        assertThat(r.findings()).singleElement().satisfies(f -> assertThat(f.summary()).contains("\"y\""));
    }

    @Test
    void violationReportNamesTheBlockedWindowAndNearbyFaults() {
        History h = new Hist()
                .write("a", "x", "1", 0, 10, 0)
                .write("a", "x", "2", 20, 30, 0)
                .fault("partition", "m1 | m2 m3", 35)
                .read("b", "x", "1", 40, 50)
                .build();
        String details = checker.check(h).findings().get(0).details();
        assertThat(details)
                .contains("longest linearizable prefix: 2 operations, after which \"x\" is \"2\"")
                .contains("then op #3 returns at +0.050000s")
                .contains("#3     b        +0.040000s .. +0.050000s     read \"x\" -> ok \"1\"")
                .contains("FAULT partition m1 | m2 m3");
    }

    @Test
    void searchOutOfBudgetSaysUnknown() {
        Hist h = new Hist();
        // Many concurrent writes and a read that cannot be explained: the search must try orders.
        for (int i = 0; i < 12; i++) {
            h.write("p" + i, "x", "v" + i, 0, 100, 0);
        }
        h.read("r", "x", "never", 200, 210);
        CheckResult r = new LinearizabilityChecker(new LinearizabilityChecker.Options(50)).check(h.build());
        assertThat(r.status()).isEqualTo(Status.UNKNOWN);
        assertThat(r.findings().get(0).summary()).contains("budget of 50 search steps exceeded");
    }
}
