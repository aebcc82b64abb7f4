package dev.thumbnail.devinfra;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real S3-API server on loopback: S3Proxy (Maven Central, {@code org.gaul:s3proxy}) with its filesystem backend,
 * each bucket a directory under {@code dir}, accepting AWS Signature V2 and V4 for one fixed identity
 * ({@link #ACCESS_KEY}/{@link #SECRET_KEY}). For the tests (in a child JVM, {@link #start}) and for
 * {@code STORAGE=s3 deploy/local/run.sh}, which runs this class's {@link #main}:
 *
 * <pre>
 * java -cp "$(cat s3proxy.classpath):dev-infra/target/classes" dev.thumbnail.devinfra.LocalS3 --port 9000 --dir D
 * </pre>
 */
public final class LocalS3 extends LoopbackServer {

    /** The local server's identity; the services take it from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. */
    public static final String ACCESS_KEY = "thumbnail-local";
    public static final String SECRET_KEY = "thumbnail-local-secret";

    private LocalS3(Path dir, int port) {
        super(dir, port);
    }

    public static LocalS3 start(Path dir) {
        LocalS3 s3 = new LocalS3(dir, FreePort.find());
        s3.restart();
        return s3;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    List<String> command() {
        return List.of(LocalKafka.javaBinary(), "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                classpath(LocalS3.class, "s3proxy.classpath"), LocalS3.class.getName(), "--port",
                String.valueOf(port), "--dir", dir.toString());
    }

    @Override
    boolean answers() {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    String name() {
        return "S3Proxy";
    }

    @Override
    Duration startTimeout() {
        return Duration.ofSeconds(60);
    }

    /** {@code --port P --dir D}: writes S3Proxy's settings under D and runs it in this JVM until killed. */
    public static void main(String[] args) throws Exception {
        int port = 9000;
        Path dir = Path.of(".data/s3");
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--dir" -> dir = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path data = Files.createDirectories(dir.resolve("buckets")).toAbsolutePath();
        Path properties = dir.resolve("s3proxy.properties");
        Files.writeString(properties, String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + data,
                ""));
        Class.forName("org.gaul.s3proxy.Main").getMethod("main", String[].class)
                .invoke(null, (Object) new String[] { "--properties", properties.toString() });
    }
}
