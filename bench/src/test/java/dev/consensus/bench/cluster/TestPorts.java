package dev.consensus.bench.cluster;

/** A loopback port nothing listens on a moment after this call (picked by the OS, then released). */
public final class TestPorts {

    private TestPorts() {
    }

    public static int unused() {
        return FreePorts.pick(1).get(0);
    }
}
