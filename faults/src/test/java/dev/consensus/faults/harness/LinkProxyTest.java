package dev.consensus.faults.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The peer-link proxy on real loopback sockets: forwards, drops everything while cut, resets on heal. */
class LinkProxyTest {

    private ServerSocket echo;
    private LinkProxy proxy;
    private int proxyPort;

    @BeforeEach
    void start() throws IOException {
        echo = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1"));
        Thread.ofVirtual().start(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    Thread.ofVirtual().start(() -> {
                        try (s) {
                            s.getInputStream().transferTo(s.getOutputStream());
                        } catch (IOException closed) {
                            // The test or the proxy closed it.
                        }
                    });
                } catch (IOException closed) {
                    return;
                }
            }
        });
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            proxyPort = probe.getLocalPort();
        }
        proxy = LinkProxy.start("a->b", "127.0.0.1", proxyPort, new InetSocketAddress("127.0.0.1", echo.getLocalPort()));
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    @Test
    void forwardsUntilCutThenDropsAndResetsOnHeal() throws IOException {
        try (Socket before = connect()) {
            assertThat(roundTrip(before, 'a')).isEqualTo('a');

            proxy.cut();
            before.getOutputStream().write('b');
            assertThat(readOrTimeout(before)).as("nothing comes back through a cut link").isEqualTo(-2);
            try (Socket during = connect()) {
                during.getOutputStream().write('c');
                assertThat(readOrTimeout(during)).as("a new connection is swallowed too").isEqualTo(-2);
            }

            proxy.heal();
            assertThat(readUntilEndOrError(before)).as("the connection that lost bytes is reset").isTrue();
        }
        try (Socket after = connect()) {
            assertThat(roundTrip(after, 'd')).isEqualTo('d');
        }
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", proxyPort), 5_000);
        s.setSoTimeout(5_000);
        return s;
    }

    private static int roundTrip(Socket s, char c) throws IOException {
        s.getOutputStream().write(c);
        return s.getInputStream().read();
    }

    /** The byte read, -1 at the end, or -2 when nothing came within a short while. */
    private static int readOrTimeout(Socket s) throws IOException {
        s.setSoTimeout(300);
        try {
            return s.getInputStream().read();
        } catch (SocketTimeoutException nothing) {
            return -2;
        } finally {
            s.setSoTimeout(5_000);
        }
    }

    private static boolean readUntilEndOrError(Socket s) {
        try {
            InputStream in = s.getInputStream();
            return in.read() == -1;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }
}
