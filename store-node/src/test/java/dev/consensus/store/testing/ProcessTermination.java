package dev.consensus.store.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Ends one child process that a test started, by its PID: SIGTERM first so it can shut down
 * cleanly, SIGKILL if it has not exited after a grace period. Every wait is bounded.
 */
public final class ProcessTermination {

    private ProcessTermination() {
    }

    /**
     * Stops {@code process} and waits for it to be gone.
     *
     * @throws IllegalStateException if it is still alive after SIGKILL and another grace period
     */
    public static void stop(Process process, Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (await(process, grace)) {
            return;
        }
        process.destroyForcibly();
        if (!await(process, grace)) {
            throw new IllegalStateException("process " + process.pid() + " survived SIGTERM and SIGKILL");
        }
    }

    private static boolean await(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return false;
        }
    }
}
