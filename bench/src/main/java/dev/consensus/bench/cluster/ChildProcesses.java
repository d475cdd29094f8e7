package dev.consensus.bench.cluster;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server processes this JVM started and has not yet seen exit. One shutdown hook SIGKILLs
 * whatever is left, by PID, if the benchmark is interrupted (Ctrl-C, SIGTERM) or dies on an
 * error, so no member outlives the run that started it.
 */
final class ChildProcesses {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "cluster-bench-reaper"));
    }

    private ChildProcesses() {
    }

    static void started(Process process) {
        LIVE.add(process);
        process.onExit().thenRun(() -> LIVE.remove(process));
    }
}
