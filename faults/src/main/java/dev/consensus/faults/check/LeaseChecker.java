package dev.consensus.faults.check;

import dev.consensus.faults.history.Call;
import dev.consensus.faults.history.Fault;
import dev.consensus.faults.history.History;
import dev.consensus.faults.history.Operation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keys attached to a lease vanish when, and only when, the lease is revoked or expires.
 * Linearizable reads of keys ever written with a lease are judged here (the register check
 * leaves those keys out):
 *
 * <ul>
 *   <li><b>present after revoke</b>: a read called after a revoke of the value's lease returned
 *       ok still shows the value;
 *   <li><b>outlived its lease</b>: a read shows the value later than the lease's last possible
 *       refresh + TTL + {@code expirySlack}, plus TTL + {@code expirySlack} again for every
 *       fault since the grant (a new leader restarts every lease at its full TTL, so each
 *       fault may buy the lease one more TTL). The last possible refresh is the latest return of
 *       the grant or any keep-alive that did not say "not found", indeterminate ones included
 *       (an indeterminate keep-alive counts as refreshing when the client gave up on it);
 *   <li><b>missing while alive</b>: a read shows the key absent although the value's write
 *       returned ok before the read, nothing else could have changed the key in between, no
 *       revoke of the lease (in any outcome but FAIL) was called before the read returned,
 *       and the lease was certainly alive: the read returned at least {@code aliveSlack}
 *       before the grant's or an ok keep-alive's call time plus its TTL, or an ok keep-alive
 *       was called after the read (the lease was alive then, and leases do not come back);
 *   <li><b>used after revoke</b>: an ok write attached to the lease, or an ok keep-alive,
 *       called after a revoke of the lease returned ok; a write after a keep-alive said
 *       "not found".
 * </ul>
 * A read of a leased key showing a value no one tried to write is reported too.
 */
public final class LeaseChecker implements Checker {

    public static final String NAME = "lease";
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /**
     * @param aliveSlackNanos  subtracted from a lease's certain lifetime before calling a
     *                         missing key a violation (clock and TTL rounding)
     * @param expirySlackNanos added to a lease's latest possible expiry before calling a
     *                         present key a violation (the lessor's check interval, the revoke's
     *                         round through Raft), and again per fault
     */
    public record Options(long aliveSlackNanos, long expirySlackNanos) {
        public static final Options DEFAULT = new Options(100_000_000L, 2 * NANOS_PER_SECOND);

        public Options {
            if (aliveSlackNanos < 0 || expirySlackNanos < 0) {
                throw new IllegalArgumentException("lease slacks must not be negative");
            }
        }
    }

    private final Options options;

    public LeaseChecker() {
        this(Options.DEFAULT);
    }

    public LeaseChecker(Options options) {
        this.options = options;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** What the history says about one lease. */
    private static final class Lease {
        Operation grant;
        long ttlNanos;
        final List<Operation> keepAlives = new ArrayList<>();
        final List<Operation> revokes = new ArrayList<>();

        /** When an ok revoke or an ok "not found" keep-alive first proved the lease gone; MAX if never. */
        long provenGoneAt() {
            long at = Long.MAX_VALUE;
            for (Operation r : revokes) {
                if (r.isOk()) {
                    at = Math.min(at, r.returnNanos());
                }
            }
            for (Operation k : keepAlives) {
                if (k.isOk() && k.ok().ttlSeconds() <= 0) {
                    at = Math.min(at, k.returnNanos());
                }
            }
            return at;
        }

        long okRevokeReturn() {
            return revokes.stream().filter(Operation::isOk).mapToLong(Operation::returnNanos).min().orElse(Long.MAX_VALUE);
        }
    }

    @Override
    public CheckResult check(History history) {
        Map<Long, Lease> leases = leases(history.operations());
        Map<String, List<Operation>> byKey = new TreeMap<>();
        for (Operation op : history.operations()) {
            if (op.call() instanceof Call.KeyCall k) {
                byKey.computeIfAbsent(k.key(), x -> new ArrayList<>()).add(op);
            }
        }
        byKey.values().removeIf(ops -> ops.stream().noneMatch(op -> leaseOf(op) != 0));
        Describe d = new Describe(history);
        List<Finding> findings = new ArrayList<>();
        usedAfterRevoke(d, history.operations(), leases, findings);
        for (Map.Entry<String, List<Operation>> e : byKey.entrySet()) {
            for (Operation read : e.getValue()) {
                if (read.call() instanceof Call.Read r && r.mode() != Call.ReadMode.SERIALIZABLE && read.isOk()) {
                    if (read.ok().value() != null) {
                        checkPresent(d, history.faults(), e.getValue(), read, leases, findings);
                    } else {
                        checkAbsent(d, e.getValue(), read, leases, findings);
                    }
                }
            }
        }
        return CheckResult.of(NAME, leases.size(), findings);
    }

    private static Map<Long, Lease> leases(List<Operation> ops) {
        Map<Long, Lease> leases = new HashMap<>();
        for (Operation op : ops) {
            switch (op.call()) {
                case Call.LeaseGrant g when op.isOk() -> {
                    long id = op.ok().leaseId() != 0 ? op.ok().leaseId() : g.leaseId();
                    Lease l = leases.computeIfAbsent(id, x -> new Lease());
                    l.grant = op;
                    long ttl = op.ok().ttlSeconds() > 0 ? op.ok().ttlSeconds() : g.ttlSeconds();
                    l.ttlNanos = ttl * NANOS_PER_SECOND;
                }
                case Call.LeaseKeepAlive k when !op.isFail() ->
                        leases.computeIfAbsent(k.leaseId(), x -> new Lease()).keepAlives.add(op);
                case Call.LeaseRevoke r when !op.isFail() ->
                        leases.computeIfAbsent(r.leaseId(), x -> new Lease()).revokes.add(op);
                default -> {
                }
            }
        }
        return leases;
    }

    private static long leaseOf(Operation op) {
        return op.call() instanceof Call.Write w ? w.leaseId() : 0;
    }

    private static void usedAfterRevoke(Describe d, List<Operation> ops, Map<Long, Lease> leases, List<Finding> findings) {
        for (Operation op : ops) {
            if (!op.isOk()) {
                continue;
            }
            long id = switch (op.call()) {
                case Call.Write w -> w.leaseId();
                case Call.LeaseKeepAlive k -> op.ok().ttlSeconds() > 0 ? k.leaseId() : 0;
                default -> 0;
            };
            Lease l = id == 0 ? null : leases.get(id);
            if (l == null) {
                continue;
            }
            long gone = op.call() instanceof Call.Write ? l.provenGoneAt() : l.okRevokeReturn();
            if (op.callNanos() > gone) {
                findings.add(new Finding(NAME, Status.VIOLATION, Describe.call(op.call())
                        + " succeeded although lease " + id + " was already gone at " + d.time(gone),
                        "    " + d.op(op)));
            }
        }
    }

    private void checkPresent(Describe d, List<Fault> faults, List<Operation> keyOps, Operation read,
                              Map<Long, Lease> leases, List<Finding> findings) {
        String value = read.ok().value();
        List<Operation> writers = new ArrayList<>();
        for (Operation op : keyOps) {
            String written = switch (op.call()) {
                case Call.Write w -> w.value();
                case Call.Cas c -> c.value();
                default -> null;
            };
            if (value.equals(written) && !op.isFail() && op.callNanos() <= read.returnNanos()) {
                writers.add(op);
            }
        }
        String key = read.keyOrNull();
        if (writers.isEmpty()) {
            findings.add(new Finding(NAME, Status.VIOLATION, "read of \"" + key + "\" shows " + Describe.v(value)
                    + ", which no one tried to write before it", "    " + d.op(read)));
            return;
        }
        boolean allRevoked = true;
        boolean allExpired = true;
        for (Operation w : writers) {
            Lease l = leases.get(leaseOf(w));
            if (leaseOf(w) == 0 || l == null || l.grant == null) {
                return;
            }
            allRevoked &= l.okRevokeReturn() < read.callNanos();
            allExpired &= latestExpiry(l, faults) < read.callNanos();
        }
        if (allRevoked || allExpired) {
            Lease l = leases.get(leaseOf(writers.get(0)));
            List<Operation> shown = new ArrayList<>(writers);
            shown.addAll(allRevoked ? l.revokes : l.keepAlives.subList(Math.max(0, l.keepAlives.size() - 2), l.keepAlives.size()));
            shown.add(read);
            shown.sort(java.util.Comparator.comparingLong(Operation::callNanos));
            findings.add(new Finding(NAME, Status.VIOLATION, "key \"" + key + "\" still present "
                    + (allRevoked ? "after its lease was revoked" : "after its lease must have expired"),
                    d.ops(shown, "    ").stripTrailing()));
        }
    }

    /** The latest moment the lease could still exist, per the rule in the class comment. */
    private long latestExpiry(Lease l, List<Fault> faults) {
        long refresh = l.grant.returnNanos();
        for (Operation k : l.keepAlives) {
            if (!k.isOk() || k.ok().ttlSeconds() > 0) {
                refresh = Math.max(refresh, k.returnNanos());
            }
        }
        long extra = l.ttlNanos + options.expirySlackNanos();
        long faultsAfter = faults.stream().filter(f -> f.atNanos() >= l.grant.callNanos()).count();
        return saturatingAdd(refresh, extra * (1 + faultsAfter));
    }

    private void checkAbsent(Describe d, List<Operation> keyOps, Operation read, Map<Long, Lease> leases,
                             List<Finding> findings) {
        Operation last = null;
        for (Operation op : keyOps) {
            if (leaseOf(op) != 0 && op.isOk() && op.returnNanos() < read.callNanos()
                    && (last == null || op.returnNanos() > last.returnNanos())) {
                last = op;
            }
        }
        if (last == null) {
            return;
        }
        for (Operation other : keyOps) {
            boolean mayIntervene = other.isIndeterminate() || other.returnNanos() >= last.callNanos();
            if (other != last && other.mayMutateKey() && other.callNanos() < read.returnNanos() && mayIntervene) {
                return;
            }
        }
        Lease l = leases.get(leaseOf(last));
        if (l == null || l.grant == null || l.revokes.stream().anyMatch(r -> r.callNanos() < read.returnNanos())) {
            return;
        }
        long certainUntil = saturatingAdd(l.grant.callNanos(), l.ttlNanos);
        for (Operation k : l.keepAlives) {
            if (k.isOk() && k.ok().ttlSeconds() > 0) {
                certainUntil = k.callNanos() >= read.returnNanos() ? Long.MAX_VALUE
                        : Math.max(certainUntil, saturatingAdd(k.callNanos(), k.ok().ttlSeconds() * NANOS_PER_SECOND));
            }
            if (certainUntil == Long.MAX_VALUE) {
                break;
            }
        }
        if (saturatingAdd(read.returnNanos(), options.aliveSlackNanos()) <= certainUntil) {
            findings.add(new Finding(NAME, Status.VIOLATION, "key \"" + read.keyOrNull()
                    + "\" missing while its lease " + leaseOf(last) + " was alive and not revoked",
                    d.ops(List.of(l.grant, last, read), "    ").stripTrailing()));
        }
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}
