package dev.thumbnail.testfixtures;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on loopback in front of a real server that can be made to stop carrying bytes without closing anything,
 * as a network partition or a peer gone without a reset does: {@link #stall()} silences every connection open then
 * (what is sent is acknowledged and dropped, nothing comes back), {@link #heal()} lets new connections through again
 * while the silenced ones stay silent, as the sockets of before a partition do. One thread per direction per
 * connection; for tests only.
 */
public final class StallingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean stalled;

    public StallingProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        try {
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "stalling-proxy-" + port());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Every open connection goes silent for good; new ones are accepted and silent until {@link #heal()}. */
    public void stall() {
        stalled = true;
        connections.forEach(Connection::stall);
    }

    /** New connections carry bytes again; the silenced ones stay silent. */
    public void heal() {
        stalled = false;
    }

    @Override
    public void close() throws IOException {
        server.close();
        connections.forEach(Connection::close);
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket client = null;
            try {
                client = server.accept();
                Connection connection = new Connection(client, stalled ? null : new Socket(targetHost, targetPort));
                connections.add(connection);
                if (stalled) {
                    connection.stall();
                }
                connection.start();
            } catch (IOException e) {
                // closed, or the target refused: the client sees its connection end
                if (client != null) {
                    Connection.closeQuietly(client);
                }
            }
        }
    }

    private static final class Connection {
        private final Socket client;
        private final Socket target;
        private volatile boolean silent;

        Connection(Socket client, Socket target) {
            this.client = client;
            this.target = target;
        }

        void stall() {
            silent = true;
        }

        void start() throws IOException {
            pump(client.getInputStream(), target == null ? null : target.getOutputStream());
            if (target != null) {
                pump(target.getInputStream(), client.getOutputStream());
            }
        }

        private void pump(InputStream from, OutputStream to) {
            Thread thread = new Thread(() -> {
                byte[] buffer = new byte[16 * 1024];
                try {
                    for (int read; (read = from.read(buffer)) >= 0;) {
                        if (!silent && to != null) {
                            to.write(buffer, 0, read);
                            to.flush();
                        }
                    }
                } catch (IOException e) {
                    // one side closed
                }
                if (!silent) {
                    close();
                }
            }, "stalling-proxy-pump");
            thread.setDaemon(true);
            thread.start();
        }

        void close() {
            closeQuietly(client);
            if (target != null) {
                closeQuietly(target);
            }
        }

        private static void closeQuietly(Socket socket) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
