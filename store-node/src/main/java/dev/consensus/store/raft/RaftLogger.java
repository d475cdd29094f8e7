package dev.consensus.store.raft;

/**
 * Where the core says what it decided. The core does no I/O itself; the server routes this to
 * its logging, the simulator to a narrated timeline or nowhere.
 */
public interface RaftLogger {

    enum Level { DEBUG, INFO, WARN }

    /** A logger that drops everything. */
    RaftLogger DISCARD = new RaftLogger() {
        @Override
        public boolean isEnabled(Level level) {
            return false;
        }

        @Override
        public void log(Level level, String message) {}
    };

    /** Checked before a message is built, so disabled levels cost nothing on the hot path. */
    boolean isEnabled(Level level);

    void log(Level level, String message);
}
