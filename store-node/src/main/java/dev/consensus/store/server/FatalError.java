package dev.consensus.store.server;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Why a member stopped on its own, in one line for the log and stderr. A full data disk gets its
 * own wording: it is the one fatal error an operator can fix without a backup, and "No space
 * left on device" deep in a RocksDB or WAL stack trace is easy to miss.
 */
public record FatalError(Throwable cause, boolean diskFull) {

    public static FatalError of(Throwable cause) {
        return new FatalError(cause, isDiskFull(cause));
    }

    /**
     * True when some exception in the cause chain reports ENOSPC: the JDK's "No space left on
     * device" from a file write or fsync, and RocksDB's NoSpace status, whose message carries
     * the same words from the OS.
     */
    public static boolean isDiskFull(Throwable t) {
        Throwable c = t;
        for (int depth = 0; c != null && depth < 32; depth++) { // bounded: a cause chain can loop
            String m = String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("no space left on device") || m.contains("enospc")) {
                return true;
            }
            c = c.getCause();
        }
        return false;
    }

    /** The line logged and printed when the member stops: what happened and what to do. */
    public String describe(String memberId, Path dataDir) {
        if (diskFull) {
            return "member " + memberId + " stopped: the data disk is full (" + cause
                    + "); nothing after the last durable write was acknowledged. Free space under "
                    + dataDir + " and start the member again: it replays its WAL and catches up from the leader";
        }
        return "member " + memberId + " stopped on a fatal error: " + cause;
    }

    /**
     * The line printed when a member cannot even start because its data disk is full (RocksDB
     * replays its log into a new table file when it opens, which needs space); empty for any other
     * cause, which keeps its stack trace.
     */
    public static java.util.Optional<String> startFailure(Throwable cause, String name, Path dataDir) {
        if (!isDiskFull(cause)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("cannot start member " + name + ": the data disk is full (" + cause
                + "); nothing was changed. Free space under " + dataDir
                + " and start the member again: it replays its WAL and catches up from the leader");
    }
}
