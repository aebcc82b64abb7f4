package dev.thumbnail.devinfra;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real {@code redis-server} from the PATH (Debian package {@code redis-server}) on a free loopback port, keeping
 * nothing on disk. {@link #stop()} and {@link #restart()} serve the fault tests.
 */
public final class RedisServer extends LoopbackServer {

    private RedisServer(Path dir, int port) {
        super(dir, port);
    }

    public static RedisServer start(Path dir) {
        RedisServer redis = new RedisServer(dir, FreePort.find());
        redis.restart();
        return redis;
    }

    /** The address in the form the Quarkus Redis client takes ({@code quarkus.redis.hosts}). */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    List<String> command() {
        String binary = System.getenv().getOrDefault("REDIS_SERVER", "redis-server");
        if (!binary.contains("/") && !onPath(binary)) {
            throw new IllegalStateException("redis-server not found on the PATH: run ./test.sh, which installs it, "
                    + "or apt-get install -y redis-server");
        }
        return List.of(binary, "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
                "no", "--dir", dir.toString());
    }

    private static boolean onPath(String program) {
        return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(folder -> Files.isExecutable(Path.of(folder, program)));
    }

    @Override
    String name() {
        return "redis-server";
    }

    @Override
    Duration startTimeout() {
        return Duration.ofSeconds(20);
    }

    @Override
    boolean answers() {
        return answersPing();
    }

    private boolean answersPing() {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = new byte[7];
            int read = in.readNBytes(reply, 0, 7);
            return read == 7 && new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }
}
