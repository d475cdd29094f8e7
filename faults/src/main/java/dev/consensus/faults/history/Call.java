package dev.consensus.faults.history;

/**
 * What a client asked for: the kind of operation and its inputs. Values are strings; a
 * {@code null} value stands for an absent key (a delete writes "absent").
 */
public sealed interface Call permits Call.KeyCall, Call.LeaseCall {

    /** The short name used in reports and history files. */
    String kind();

    /** An operation on one key. */
    sealed interface KeyCall extends Call permits Read, Write, Cas, Delete {
        String key();
    }

    /** An operation on one lease. */
    sealed interface LeaseCall extends Call permits LeaseGrant, LeaseRevoke, LeaseKeepAlive {
        long leaseId();
    }

    /** How a read was served; serializable reads are not linearizable and most checkers skip them. */
    enum ReadMode {
        LINEARIZABLE,
        SERIALIZABLE,
        /** A linearizable read of every key after all faults healed and all clients stopped. */
        FINAL
    }

    /** A range read of exactly one key. */
    record Read(String key, ReadMode mode) implements KeyCall {
        public Read {
            requireKey(key);
            mode = mode == null ? ReadMode.LINEARIZABLE : mode;
        }

        public Read(String key) {
            this(key, ReadMode.LINEARIZABLE);
        }

        @Override
        public String kind() {
            return "read";
        }
    }

    /** A put; {@code leaseId} 0 means no lease. */
    record Write(String key, String value, long leaseId) implements KeyCall {
        public Write {
            requireKey(key);
            if (value == null) {
                throw new IllegalArgumentException("a write needs a value; a delete writes absent");
            }
        }

        public Write(String key, String value) {
            this(key, value, 0);
        }

        @Override
        public String kind() {
            return "write";
        }
    }

    /**
     * A compare-and-set as one Txn: if the key's value is {@code expected} ({@code null}: the
     * key is absent, create_revision = 0) then put {@code value}.
     */
    record Cas(String key, String expected, String value) implements KeyCall {
        public Cas {
            requireKey(key);
            if (value == null) {
                throw new IllegalArgumentException("a compare-and-set needs a value to write");
            }
        }

        @Override
        public String kind() {
            return "cas";
        }
    }

    /** A delete of one key. */
    record Delete(String key) implements KeyCall {
        public Delete {
            requireKey(key);
        }

        @Override
        public String kind() {
            return "delete";
        }
    }

    /** A lease grant; {@code leaseId} 0 lets the server choose the ID (the outcome carries it). */
    record LeaseGrant(long leaseId, long ttlSeconds) implements LeaseCall {
        @Override
        public String kind() {
            return "grant";
        }
    }

    record LeaseRevoke(long leaseId) implements LeaseCall {
        @Override
        public String kind() {
            return "revoke";
        }
    }

    /** One keep-alive request and its response on a keep-alive stream. */
    record LeaseKeepAlive(long leaseId) implements LeaseCall {
        @Override
        public String kind() {
            return "keepalive";
        }
    }

    private static void requireKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("an operation on a key needs a non-empty key");
        }
    }
}
