package dev.consensus.bench.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Ports the OS reports free on 127.0.0.1. All are held open together while chosen, so one call
 * never returns a port twice; another process can still take one before the member binds it,
 * which {@link LocalCluster} detects and answers by starting again on fresh ports.
 */
final class FreePorts {

    static final String HOST = "127.0.0.1";

    private FreePorts() {
    }

    static List<Integer> pick(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            InetAddress loopback = InetAddress.getByName(HOST);
            for (int i = 0; i < count; i++) {
                held.add(new ServerSocket(0, 1, loopback));
            }
            return held.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("could not find " + count + " free ports on " + HOST, e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // Only probed; nothing to release.
                }
            }
        }
    }
}
