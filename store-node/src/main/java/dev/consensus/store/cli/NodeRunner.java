package dev.consensus.store.cli;

import dev.consensus.store.api.ClientApiServer;
import dev.consensus.store.cluster.Member;
import dev.consensus.store.metrics.MetricRegistry;
import dev.consensus.store.metrics.MetricsHttpServer;
import dev.consensus.store.metrics.ServerMetrics;
import dev.consensus.store.server.MaintenanceOperations;
import dev.consensus.store.server.DeferredEvents;
import dev.consensus.store.server.GrpcPeerTransports;
import dev.consensus.store.server.MetricsEvents;
import dev.consensus.store.server.ServerHealth;
import dev.consensus.store.server.ServerSettings;
import dev.consensus.store.server.FatalError;
import dev.consensus.store.server.StoreServer;
import dev.consensus.store.tls.TlsSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * Starts one member from its configuration: the server with its gRPC peer transport, the etcd
 * client API on the client URLs, metrics and health on the metrics URLs; then waits until the
 * member stops (removed from the cluster, a fatal error, or SIGTERM).
 */
final class NodeRunner {

    /** etcd keeps this many entries after a snapshot for slow followers. */
    private static final long SNAPSHOT_CATCH_UP_ENTRIES = 5000;

    private NodeRunner() {}

    static int run(ServerConfig config, PrintStream err) {
        return run(config, err, false);
    }

    /** As above; {@code unsafeLocalReads} plants the stale-read bug ({@link StoreNodeMain#UNSAFE_LOCAL_READS}). */
    static int run(ServerConfig config, PrintStream err, boolean unsafeLocalReads) {
        ServerSettings settings = settings(config).withUnsafeLocalLinearizableReads(unsafeLocalReads);
        MetricRegistry registry = new MetricRegistry();
        DeferredEvents events = new DeferredEvents();
        StoreServer server;
        try {
            server = StoreServer.start(settings,
                    new GrpcPeerTransports(config.listenPeerUrls(), tls(config.peerTls())), events);
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            err.println("store-node: cannot start member " + config.name() + ": " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            // A full disk met while opening the backend is the operator's to fix, not a bug: one
            // line saying so instead of a stack trace. Anything else keeps its stack trace.
            String line = FatalError.startFailure(e, config.name(), settings.dataDir()).orElseThrow(() -> e);
            err.println("store-node: " + line);
            return 1;
        }
        // The member id (a label of the metrics) is known only once the member has started.
        ServerMetrics metrics = new ServerMetrics(registry, MaintenanceOperations.REPORTED_VERSION, server.memberId());
        events.deliverTo(new MetricsEvents(metrics));
        metrics.quotaBackendBytes(settings.quotaBackendBytes());
        metrics.reportDbSize(server::dbSizeBytes, server::dbSizeBytes);
        List<AutoCloseable> open = new ArrayList<>();
        try {
            open.add(ClientApiServer.start(server, config.listenClientUrls(), tls(config.clientTls())));
            if (!config.listenMetricsUrls().isEmpty()) {
                Duration timeout = MetricsHttpServer.etcdRequestTimeout(settings.electionMillis());
                open.add(MetricsHttpServer.start(config.listenMetricsUrls(), registry,
                        new ServerHealth(server, timeout.minusMillis(200).toMillis()), timeout));
            }
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            err.println("store-node: cannot serve clients: " + e.getMessage());
            closeAll(open);
            server.close();
            return 1;
        }
        Thread shutdown = Thread.ofPlatform().unstarted(() -> {
            closeAll(open);
            server.close();
        });
        Runtime.getRuntime().addShutdownHook(shutdown);
        err.println("store-node: ready to serve client requests on " + config.listenClientUrls());
        StoreServer.StopReason reason;
        try {
            reason = server.stopped().get();
        } catch (InterruptedException | ExecutionException e) {
            reason = StoreServer.StopReason.FAILED;
        }
        closeAll(open);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdown);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is already on its way out.
        }
        if (reason == StoreServer.StopReason.FAILED) {
            // The log has it with the stack trace; stderr gets the one line an operator acts on.
            err.println("store-node: " + server.failure().orElse("member stopped on a fatal error"));
        }
        return switch (reason) {
            case CLOSED, REMOVED -> 0;
            case FAILED -> 1;
        };
    }

    static ServerSettings settings(ServerConfig config) {
        String token = config.bootstrap().token();
        Map<String, Long> ids = MemberIds.memberIds(config.bootstrap().initialCluster(), token);
        List<Member> initial = new ArrayList<>();
        config.bootstrap().initialCluster().forEach((name, urls) ->
                initial.add(new Member(ids.get(name), name, urls, List.of(), false)));
        ServerConfig.Limits limits = config.limits();
        return new ServerSettings(config.name(), config.dataDir(), config.advertiseClientUrls(),
                config.initialAdvertisePeerUrls(), initial,
                MemberIds.clusterId(config.bootstrap().initialCluster(), token),
                config.bootstrap().state() == ServerConfig.ClusterState.EXISTING, token,
                config.timing().heartbeatIntervalMs(), config.timing().electionTimeoutMs(),
                limits.snapshotCount(), Math.min(SNAPSHOT_CATCH_UP_ENTRIES, limits.snapshotCount()),
                limits.maxRequestBytes(), (int) limits.maxTxnOps(), limits.effectiveQuotaBackendBytes(),
                (int) limits.maxLearners(), progressInterval(config.timing().watchProgressNotifyInterval()));
    }

    /** etcd keeps its 10-minute default when the flag is 0. */
    private static Duration progressInterval(Duration flag) {
        return flag.isZero() ? ServerConfig.Timing.DEFAULT_WATCH_PROGRESS_NOTIFY_INTERVAL : flag;
    }

    private static Optional<TlsSettings> tls(ServerConfig.Tls tls) {
        if (tls == null || (!tls.enabled() && tls.trustedCaFile() == null)) {
            return Optional.empty();
        }
        return Optional.of(new TlsSettings(tls.certFile(), tls.keyFile(), tls.trustedCaFile(), tls.clientCertAuth()));
    }

    private static void closeAll(List<AutoCloseable> open) {
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception e) {
                // Closing on the way out; nothing better to do with it.
            }
        }
        open.clear();
    }
}
