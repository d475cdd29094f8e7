package dev.consensus.store.testing;

/** What one run of {@code etcdctl} printed, and how it exited. */
public record EtcdctlResult(int exitCode, String stdout, String stderr) {

    /** Returns this result if etcdctl succeeded, else throws with everything it printed. */
    public EtcdctlResult requireSuccess() {
        if (exitCode != 0) {
            throw new IllegalStateException(
                    "etcdctl exited with " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr);
        }
        return this;
    }
}
