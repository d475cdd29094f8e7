package dev.consensus.store.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks TCP ports that are free on 127.0.0.1, for a process the test is about to start.
 *
 * <p>All the ports asked for are held open together while they are chosen, so one call never
 * returns the same port twice. Another process may still take a port between this call and the
 * child's bind; callers that start a process retry with fresh ports when that happens.
 */
public final class LoopbackPorts {

    /** The loopback address every test process listens on. */
    public static final String HOST = "127.0.0.1";

    private LoopbackPorts() {
    }

    /** Returns {@code count} distinct ports that were free on {@link #HOST} a moment ago. */
    public static List<Integer> pick(int count) {
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
                    // The port was only probed; a failed close leaves nothing to clean up.
                }
            }
        }
    }
}
