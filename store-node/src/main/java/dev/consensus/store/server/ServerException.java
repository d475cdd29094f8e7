package dev.consensus.store.server;

/** A request the server refused or could not finish, with etcd's error for it. */
public final class ServerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ServerError error;

    public ServerException(ServerError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    public ServerError error() {
        return error;
    }
}
