package dev.consensus.store.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * etcd 3.5's health endpoints, decided from the facts a {@link HealthCheck} reports.
 *
 * <p>{@code /health}: 200 with {@code {"health":"true","reason":""}}, or 503 with
 * {@code {"health":"false","reason":"..."}}. Reasons, in etcd's order: an active alarm not
 * named in {@code ?exclude=} ({@code ALARM NOSPACE}, {@code ALARM CORRUPT}); no leader
 * ({@code RAFT NO LEADER}, skipped with {@code ?serializable=true}); a failed read
 * ({@code RANGE ERROR:<error>}).
 *
 * <p>{@code /livez} (check {@code serializable_read}) and {@code /readyz} (checks
 * {@code data_corruption}, {@code serializable_read}, {@code linearizable_read},
 * {@code non_learner}), and {@code /livez/<check>}, {@code /readyz/<check>} for one check:
 * 200 {@code ok}, preceded by one {@code [+]<check> ok} line per check with {@code ?verbose};
 * or 503 listing every check, {@code [-]<check> failed: <error>} for those that failed.
 * {@code ?exclude=<check>} leaves a check out (an unknown name is ignored, as etcd ignores it).
 * etcd runs the checks in map order; here they always run in the order above.
 */
final class HealthEndpoints {

    static final String DATA_CORRUPTION = "data_corruption";
    static final String SERIALIZABLE_READ = "serializable_read";
    static final String LINEARIZABLE_READ = "linearizable_read";
    static final String NON_LEARNER = "non_learner";
    static final List<String> LIVEZ = List.of(SERIALIZABLE_READ);
    static final List<String> READYZ = List.of(DATA_CORRUPTION, SERIALIZABLE_READ, LINEARIZABLE_READ, NON_LEARNER);

    private final BoundedHealthCheck check;
    private final HealthMetrics metrics;

    HealthEndpoints(BoundedHealthCheck check, HealthMetrics metrics) {
        this.check = check;
        this.metrics = metrics;
    }

    HttpAnswer health(Query query) {
        boolean serializable = "true".equals(query.first("serializable"));
        long deadline = System.nanoTime() + check.timeout().toNanos();
        HealthStatus status = BoundedHealthCheck.await(check.start(serializable), deadline);
        String reason = healthReason(status, serializable, query.all("exclude"));
        metrics.health(reason.isEmpty());
        String body = "{\"health\":\"" + reason.isEmpty() + "\",\"reason\":\"" + jsonEscape(reason) + "\"}";
        return reason.isEmpty() ? HttpAnswer.ok(HttpAnswer.PLAIN, body) : HttpAnswer.error(503, body);
    }

    /** The first reason etcd would give for being unhealthy, or "" when healthy. */
    static String healthReason(HealthStatus status, boolean serializable, Set<String> excludedAlarms) {
        for (Alarm alarm : Alarm.values()) {
            if (status.alarms().contains(alarm) && !excludedAlarms.contains(alarm.name())) {
                return "ALARM " + alarm.name();
            }
        }
        if (!serializable && !status.hasLeader()) {
            return "RAFT NO LEADER";
        }
        return status.readError().map(error -> "RANGE ERROR:" + error).orElse("");
    }

    /**
     * {@code /livez} or {@code /readyz} ({@code type}), all its checks less the excluded ones
     * when {@code only} is null, else just the check {@code only}.
     */
    HttpAnswer probe(String type, List<String> checks, String only, Query query) {
        List<String> selected = new ArrayList<>();
        if (only != null) {
            selected.add(only);
        } else {
            Set<String> excluded = query.all("exclude");
            checks.stream().filter(name -> !excluded.contains(name)).forEach(selected::add);
        }
        boolean needsLinearizable = selected.contains(LINEARIZABLE_READ);
        boolean needsSerializable = selected.stream().anyMatch(name -> !name.equals(LINEARIZABLE_READ));
        long deadline = System.nanoTime() + check.timeout().toNanos();
        // Both reads start before either is awaited, so a stuck member costs one timeout, not two.
        CompletableFuture<HealthStatus> local = needsSerializable ? check.start(true) : null;
        CompletableFuture<HealthStatus> consensus = needsLinearizable ? check.start(false) : null;
        HealthStatus localStatus = local == null ? null : BoundedHealthCheck.await(local, deadline);
        HealthStatus consensusStatus = consensus == null ? null : BoundedHealthCheck.await(consensus, deadline);
        HealthStatus facts = localStatus != null ? localStatus : consensusStatus;

        StringBuilder lines = new StringBuilder();
        boolean allPassed = true;
        for (String name : selected) {
            Optional<String> failure = switch (name) {
                case DATA_CORRUPTION -> facts.alarms().contains(Alarm.CORRUPT)
                        ? Optional.of("alarm activated: " + Alarm.CORRUPT.name()) : Optional.empty();
                case SERIALIZABLE_READ -> localStatus.readError();
                case LINEARIZABLE_READ -> consensusStatus.readError();
                case NON_LEARNER -> facts.learner() ? Optional.of("not supported for learner") : Optional.empty();
                default -> throw new IllegalArgumentException("no health check " + name);
            };
            metrics.check(type, name, failure.isEmpty());
            if (failure.isPresent()) {
                allPassed = false;
                lines.append("[-]").append(name).append(" failed: ").append(failure.get()).append('\n');
            } else {
                lines.append("[+]").append(name).append(" ok\n");
            }
        }
        if (!allPassed) {
            // etcd always details a failure; http.Error adds the final newline.
            return HttpAnswer.error(503, lines.toString());
        }
        return HttpAnswer.ok(HttpAnswer.PLAIN, (query.has("verbose") ? lines.toString() : "") + "ok\n");
    }

    /**
     * Escapes a string for a JSON string literal as Go's encoding/json does, which etcd's
     * answers go through: it also writes {@code < > &} and the line separators as escapes.
     */
    static String jsonEscape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
