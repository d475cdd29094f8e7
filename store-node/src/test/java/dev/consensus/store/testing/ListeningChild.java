package dev.consensus.store.testing;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;

/**
 * A stand-in program for {@link ChildProcessTest}, started as a real process: it needs
 * nothing but the JDK, so the fixture's signals and waits are tested apart from store-node.
 *
 * <p>{@code listen <port>} accepts connections on 127.0.0.1:port until killed; {@code idle}
 * waits without listening; {@code exit <code>} exits at once. On SIGTERM it prints
 * "stopping on SIGTERM" (from a shutdown hook) before it exits.
 */
public final class ListeningChild {

    private ListeningChild() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "exit" -> {
                System.out.println("exiting with " + args[1]);
                System.exit(Integer.parseInt(args[1]));
            }
            case "idle" -> {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("stopping on SIGTERM")));
                System.out.println("idle");
                new CountDownLatch(1).await();
            }
            case "listen" -> {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("stopping on SIGTERM")));
                try (ServerSocket server = new ServerSocket(Integer.parseInt(args[1]), 50,
                        InetAddress.getByName(LoopbackPorts.HOST))) {
                    System.out.println("listening on " + server.getLocalPort());
                    while (true) {
                        try (Socket ignored = server.accept()) {
                            // accept and close: a probe only needs the connection
                        }
                    }
                }
            }
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }
}
