package dev.consensus.store.server;

/** Refusals shared by every service. */
final class Guards {

    private Guards() {}

    /** Learners serve serializable reads and status only, as etcd's learners do. */
    static void notLearner(StoreServer server) {
        if (server.isLearner()) {
            throw ServerError.NOT_SUPPORTED_FOR_LEARNER.exception();
        }
    }
}
