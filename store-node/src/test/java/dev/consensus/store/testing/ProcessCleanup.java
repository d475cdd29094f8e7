package dev.consensus.store.testing;

import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit extension that closes, after each test, every process the test handed it, newest
 * first, even when the test failed or forgot to.
 *
 * <pre>{@code
 * @RegisterExtension final ProcessCleanup cleanup = new ProcessCleanup();
 * ...
 * StoreNodeProcess node = cleanup.track(StoreNodeProcess.builder(dir).args(...).start());
 * }</pre>
 */
public final class ProcessCleanup implements AfterEachCallback {

    private final Deque<AutoCloseable> tracked = new ArrayDeque<>();

    /** Returns {@code process}, to be closed after the current test. */
    public synchronized <T extends AutoCloseable> T track(T process) {
        tracked.push(process);
        return process;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Exception first = null;
        while (true) {
            AutoCloseable next;
            synchronized (this) {
                next = tracked.poll();
            }
            if (next == null) {
                break;
            }
            try {
                next.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
