package dev.thumbnail.devinfra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A server the tests run as a child process on a loopback port, with its data under one directory: started, stopped
 * and started again on the same port and data (the fault tests), and stopped with the test JVM at the latest.
 */
abstract class LoopbackServer implements AutoCloseable {

    protected final Path dir;
    protected final int port;
    private ChildProcess process;

    LoopbackServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    public int port() {
        return port;
    }

    /** What to run. */
    abstract List<String> command();

    /** Whether the server answers yet. */
    abstract boolean answers();

    abstract String name();

    abstract Duration startTimeout();

    /** Starts the server again after {@link #stop()}, on the same port and data; nothing when it runs. */
    public synchronized void restart() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        process = ChildProcess.start(name(), command(), dir.resolve(name().replace(' ', '-') + ".log"));
        process.awaitReady(startTimeout(), this::answers);
    }

    /** SIGKILL: no shutdown, as when its node dies; {@link #restart()} brings it back on the same data. */
    public synchronized void kill() {
        if (process != null) {
            process.kill();
        }
    }

    /** SIGSTOP: the server keeps its port and connections but answers nothing until {@link #resume()}. */
    public synchronized void pause() {
        process.signal("STOP");
    }

    /** SIGCONT after {@link #pause()}: the server goes on with what reached it meanwhile. */
    public synchronized void resume() {
        process.signal("CONT");
    }

    public synchronized void stop() {
        if (process != null) {
            process.stop();
        }
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * A child JVM's class path: the jars Maven resolved into {@code resource} (beside {@code anchor}'s class) when
     * this module was built, plus this module's own classes.
     */
    static String classpath(Class<?> anchor, String resource) {
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " missing: build dev-infra with Maven first");
            }
            String jars = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            Path ownClasses = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jars + java.io.File.pathSeparator + ownClasses;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
