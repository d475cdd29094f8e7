package dev.consensus.faults.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.faults.history.Call;
import dev.consensus.faults.history.Outcome;
import org.junit.jupiter.api.Test;

class WatchCheckerTest {

    private final WatchChecker checker = new WatchChecker();

    /** Writers got revisions 2, 3, 4 on k/a, k/b, k/a. */
    private static Hist writes() {
        return new Hist()
                .write("c1", "k/a", "1", 0, 10, 2)
                .write("c1", "k/b", "1", 20, 30, 3)
                .write("c1", "k/a", "2", 40, 50, 4);
    }

    @Test
    void everyRevisionOnceInOrderAcrossAReconnectPasses() {
        CheckResult r = checker.check(writes()
                .watchStart("w", "k/", true, 2, 1)
                .put("w", "k/a", 2, "1", 11)
                .put("w", "k/b", 3, "1", 31)
                .fault("kill", "m1", 35)
                .watchStart("w", "k/", true, 4, 60)
                .put("w", "k/a", 4, "2", 61)
                .build());
        assertThat(r.status()).isEqualTo(Status.OK);
        assertThat(r.checked()).isEqualTo(1);
    }

    @Test
    void duplicatedEventIsRejected() {
        CheckResult r = checker.check(writes()
                .watchStart("w", "k/", true, 2, 1)
                .put("w", "k/a", 2, "1", 11)
                .put("w", "k/b", 3, "1", 31)
                .watchStart("w", "k/", true, 3, 60)
                .put("w", "k/b", 3, "1", 61)
                .put("w", "k/a", 4, "2", 62)
                .build());
        assertThat(r.findings()).singleElement()
                .satisfies(f -> assertThat(f.summary()).contains("duplicate event for \"k/b\" at revision 3"));
    }

    @Test
    void missingEventIsRejected() {
        CheckResult r = checker.check(writes()
                .watchStart("w", "k/", true, 2, 1)
                .put("w", "k/a", 2, "1", 11)
                .put("w", "k/a", 4, "2", 51)
                .build());
        assertThat(r.findings()).singleElement().satisfies(f -> {
            assertThat(f.summary()).contains("1 missing event(s) in its window 2..4");
            assertThat(f.details()).contains("\"k/b\" revision 3: acknowledged to #2");
        });
    }

    @Test
    void acknowledgedWriteBeforeTheLastProgressMustHaveArrived() {
        CheckResult r = checker.check(writes()
                .watchStart("w", "k/a", false, 2, 1)
                .put("w", "k/a", 2, "1", 11)
                .progress("w", 10, 70)
                .build());
        assertThat(r.findings()).singleElement()
                .satisfies(f -> assertThat(f.summary()).contains("missing event(s) in its window 2..10"));
    }

    @Test
    void eventNeverWrittenIsRejected() {
        CheckResult r = checker.check(writes()
                .watchStart("w", "k/", true, 2, 1)
                .put("w", "k/a", 2, "1", 11)
                .put("w", "k/b", 3, "1", 31)
                .put("w", "k/a", 4, "2", 51)
                .put("w", "k/c", 5, "ghost", 52)
                .build());
        assertThat(r.findings()).singleElement()
                .satisfies(f -> assertThat(f.summary()).contains("event never written: PUT \"k/c\" at revision 5"));
    }

    @Test
    void eventFromAnIndeterminateWritePasses() {
        CheckResult r = checker.check(writes()
                .op("c2", new Call.Write("k/c", "9"), 55, 56, new Outcome.Indeterminate("unavailable"))
                .watchStart("w", "k/", true, 2, 1)
                .put("w", "k/a", 2, "1", 11)
                .put("w", "k/b", 3, "1", 31)
                .put("w", "k/a", 4, "2", 51)
                .put("w", "k/c", 5, "9", 60)
                .build());
        assertThat(r.status()).isEqualTo(Status.OK);
    }

    @Test
    void eventNotMatchingItsAcknowledgedWriteIsRejected() {
        CheckResult r = checker.check(writes()
                .watchStart("w", "k/a", false, 2, 1)
                .put("w", "k/a", 2, "1", 11)
                .put("w", "k/a", 4, "1", 51)
                .build());
        assertThat(r.findings()).singleElement()
                .satisfies(f -> assertThat(f.summary()).contains("does not match the change acknowledged"));
    }

    @Test
    void outOfOrderEventIsRejected() {
        CheckResult r = checker.check(writes()
                .watchStart("w", "k/", true, 2, 1)
                .put("w", "k/a", 2, "1", 11)
                .put("w", "k/a", 4, "2", 51)
                .put("w", "k/b", 3, "1", 52)
                .build());
        assertThat(r.findings()).singleElement().satisfies(f -> assertThat(f.summary()).contains("out of order"));
    }

    @Test
    void reconnectPastTheLastSeenRevisionLeavesAGap() {
        CheckResult r = checker.check(writes()
                .watchStart("w", "k/", true, 2, 1)
                .put("w", "k/a", 2, "1", 11)
                .watchStart("w", "k/", true, 4, 60)
                .put("w", "k/a", 4, "2", 61)
                .build());
        assertThat(r.findings()).extracting(Finding::summary).anySatisfy(s -> assertThat(s)
                .contains("from revision 4 after seeing up to 2, leaving revisions 3..3 uncovered"));
    }

    @Test
    void watchersMustAgree() {
        CheckResult r = checker.check(writes()
                .op("c2", new Call.Write("k/c", "9"), 55, 56, new Outcome.Indeterminate("unavailable"))
                .op("c2", new Call.Write("k/c", "8"), 57, 58, new Outcome.Indeterminate("unavailable"))
                .watchStart("v", "k/c", false, 5, 1)
                .put("v", "k/c", 5, "9", 60)
                .watchStart("w", "k/c", false, 5, 1)
                .put("w", "k/c", 5, "8", 60)
                .build());
        assertThat(r.findings()).singleElement()
                .satisfies(f -> assertThat(f.summary()).contains("differs from what watcher v received"));
    }
}
