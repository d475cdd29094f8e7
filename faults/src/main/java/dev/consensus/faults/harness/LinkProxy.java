package dev.consensus.faults.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy for one directed peer link: the connections one member opens to another. Raft
 * messages from A to B travel only on A's connections to B (a client stream per peer), so
 * cutting this proxy drops exactly A's messages to B and leaves B's to A alone: a one-way
 * partition; both directions make a symmetric one.
 *
 * <p>Cut, the proxy behaves like a network that drops packets, not like a closed port:
 * connections stay open and every byte is read and thrown away, so the sender sees silence and
 * times out as it would on a real partition. On heal, the connections that lost bytes are
 * reset (their HTTP/2 streams are torn), and new ones are forwarded again.
 */
final class LinkProxy implements AutoCloseable {

    private final String name;
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;
    private volatile boolean closed;

    private LinkProxy(String name, ServerSocket server, InetSocketAddress target) {
        this.name = name;
        this.server = server;
        this.target = target;
    }

    /** Listens on {@code host:port} and forwards to {@code target}; fails if the port is taken. */
    static LinkProxy start(String name, String host, int port, InetSocketAddress target) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getByName(host), port), 50);
        LinkProxy proxy = new LinkProxy(name, server, target);
        Thread.ofVirtual().name("proxy-" + name).start(proxy::acceptLoop);
        return proxy;
    }

    String name() {
        return name;
    }

    boolean isCut() {
        return cut;
    }

    /** Drops everything on this link from now on, on open connections and new ones. */
    void cut() {
        cut = true;
        for (Connection c : connections) {
            c.discarding = true;
        }
    }

    /** Forwards again; connections that lost bytes while cut are reset. */
    void heal() {
        cut = false;
        for (Connection c : connections) {
            if (c.discarding) {
                c.close();
            }
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket inbound;
            try {
                inbound = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            Thread.ofVirtual().name("proxy-" + name + "-conn").start(() -> open(inbound));
        }
    }

    private void open(Socket inbound) {
        Connection c = new Connection(inbound);
        connections.add(c);
        if (cut) {
            c.discarding = true;
        } else {
            try {
                Socket outbound = new Socket();
                outbound.setTcpNoDelay(true);
                outbound.connect(target, 2_000);
                c.outbound = outbound;
            } catch (IOException e) {
                c.close(); // the member behind it is down: the sender sees the refusal, as it would directly
                return;
            }
        }
        try {
            inbound.setTcpNoDelay(true);
        } catch (IOException ignored) {
            // Only latency.
        }
        if (c.outbound != null) {
            Socket out = c.outbound;
            Thread.ofVirtual().start(() -> pump(c, socketIn(out), socketOut(inbound)));
        }
        pump(c, socketIn(inbound), c.outbound == null ? null : socketOut(c.outbound));
    }

    private void pump(Connection c, InputStream in, OutputStream out) {
        byte[] buffer = new byte[16 * 1024];
        try {
            while (true) {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                if (!c.discarding && out != null) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
        } catch (IOException | UncheckedIOException ended) {
            // Either side closed or reset: end both.
        }
        c.close();
    }

    private static InputStream socketIn(Socket s) {
        try {
            return s.getInputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static OutputStream socketOut(Socket s) {
        try {
            return s.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // Closing a listener that failed leaves nothing behind.
        }
        for (Connection c : connections) {
            c.close();
        }
    }

    private final class Connection {
        final Socket inbound;
        volatile Socket outbound;
        volatile boolean discarding;

        Connection(Socket inbound) {
            this.inbound = inbound;
        }

        void close() {
            connections.remove(this);
            reset(inbound);
            Socket out = outbound;
            if (out != null) {
                reset(out);
            }
        }

        private void reset(Socket s) {
            try {
                s.setSoLinger(true, 0);
            } catch (IOException ignored) {
                // Already closed.
            }
            try {
                s.close();
            } catch (IOException ignored) {
                // Already closed.
            }
        }
    }
}
