package dev.consensus.store.mvcc;

/**
 * A request the store refused with one of etcd's errors. When thrown by a write, the entry was
 * still applied: the store changed nothing but its applied index, exactly as every replica does
 * for the same entry.
 */
public final class EtcdException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient EtcdError error;

    public EtcdException(EtcdError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    public EtcdError error() {
        return error;
    }
}
