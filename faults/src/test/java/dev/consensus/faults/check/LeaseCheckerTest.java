package dev.consensus.faults.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consensus.faults.history.Call;
import dev.consensus.faults.history.Outcome;
import org.junit.jupiter.api.Test;

/** Lease 7 has a TTL of 2 s; times are milliseconds. */
class LeaseCheckerTest {

    private final LeaseChecker checker = new LeaseChecker();

    private static Hist leasedKey() {
        return new Hist()
                .op("c1", new Call.LeaseGrant(7, 2), 0, 10, Outcome.Ok.granted(7, 2, 1))
                .op("c1", new Call.Write("k", "v", 7), 20, 30, Outcome.Ok.written(2));
    }

    private static Hist keepAlive(Hist h, long call) {
        return h.op("ka", new Call.LeaseKeepAlive(7), call, call + 5, Outcome.Ok.keptAlive(2, 2));
    }

    @Test
    void keyStillPresentAfterRevokeIsRejected() {
        CheckResult r = checker.check(leasedKey()
                .op("c1", new Call.LeaseRevoke(7), 100, 110, Outcome.Ok.revoked(3))
                .read("c2", "k", "v", 120, 130)
                .build());
        assertThat(r.findings()).singleElement()
                .satisfies(f -> assertThat(f.summary()).contains("key \"k\" still present after its lease was revoked"));
    }

    @Test
    void keyGoneAfterRevokeAndPresentBeforePasses() {
        CheckResult r = checker.check(keepAlive(leasedKey(), 900)
                .read("c2", "k", "v", 1000, 1010)
                .op("c1", new Call.LeaseRevoke(7), 1100, 1110, Outcome.Ok.revoked(3))
                .read("c2", "k", null, 1120, 1130)
                .build());
        assertThat(r.status()).isEqualTo(Status.OK);
        assertThat(r.checked()).isEqualTo(1);
    }

    @Test
    void keyMissingWhileKeptAliveIsRejected() {
        Hist h = leasedKey();
        for (long t = 500; t <= 5000; t += 500) {
            keepAlive(h, t);
        }
        CheckResult r = checker.check(h.read("c2", "k", null, 4000, 4010).build());
        assertThat(r.findings()).singleElement()
                .satisfies(f -> assertThat(f.summary()).contains("missing while its lease 7 was alive and not revoked"));
    }

    @Test
    void keyMissingAfterAnIndeterminateRevokePasses() {
        CheckResult r = checker.check(keepAlive(leasedKey(), 500)
                .op("c1", new Call.LeaseRevoke(7), 600, 700, new Outcome.Indeterminate("deadline exceeded"))
                .read("c2", "k", null, 800, 810)
                .build());
        assertThat(r.status()).isEqualTo(Status.OK);
    }

    @Test
    void keyMissingOnceKeepAlivesStoppedPasses() {
        // The last keep-alive was at 500 ms: past 2.5 s the lease may have expired.
        CheckResult r = checker.check(keepAlive(leasedKey(), 500)
                .read("c2", "k", null, 2600, 2610)
                .build());
        assertThat(r.status()).isEqualTo(Status.OK);
    }

    @Test
    void keyPresentLongAfterItsLeaseExpiredIsRejected() {
        CheckResult r = checker.check(keepAlive(leasedKey(), 500)
                .read("c2", "k", "v", 10_000, 10_010)
                .build());
        assertThat(r.findings()).singleElement()
                .satisfies(f -> assertThat(f.summary()).contains("still present after its lease must have expired"));
    }

    @Test
    void everyFaultMayBuyTheLeaseAnotherTtl() {
        // Expiry at the latest 0.505 + 2 + 2 s, plus 4 s for each of the two faults: 12.5 s.
        CheckResult r = checker.check(keepAlive(leasedKey(), 500)
                .fault("kill", "leader", 1000)
                .fault("restart", "leader", 3000)
                .read("c2", "k", "v", 10_000, 10_010)
                .build());
        assertThat(r.status()).isEqualTo(Status.OK);
    }

    @Test
    void writeToARevokedLeaseMustFail() {
        CheckResult r = checker.check(leasedKey()
                .op("c1", new Call.LeaseRevoke(7), 100, 110, Outcome.Ok.revoked(3))
                .op("c1", new Call.Write("k", "w", 7), 120, 130, Outcome.Ok.written(4))
                .build());
        assertThat(r.findings()).extracting(Finding::summary)
                .anySatisfy(s -> assertThat(s).contains("write \"k\" := \"w\" lease 7 succeeded although lease 7 was already gone"));
    }
}
