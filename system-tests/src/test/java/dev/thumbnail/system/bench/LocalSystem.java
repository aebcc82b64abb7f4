package dev.thumbnail.system.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.thumbnail.devinfra.ChildProcess;

/**
 * The whole system as a user starts it: {@code deploy/local/run.sh} with its defaults, in its own data folder. Knows
 * the process of each part (from the {@code run.pids} file the script writes), so that their CPU can be read.
 */
final class LocalSystem implements AutoCloseable {

    private final Process script;
    private final Path log;
    private final Map<String, ProcessCpu> parts;
    private final String baseUrl;

    private LocalSystem(Process script, Path log, Map<String, ProcessCpu> parts, String baseUrl) {
        this.script = script;
        this.log = log;
        this.parts = parts;
        this.baseUrl = baseUrl;
    }

    /** Starts run.sh with {@code environment} added to this process's own, and waits for its READY line. */
    static LocalSystem start(Path repo, Path dataDir, Map<String, String> environment) throws Exception {
        Files.createDirectories(dataDir);
        Path log = dataDir.resolve("run.sh.log");
        ProcessBuilder builder = new ProcessBuilder(repo.resolve("deploy/local/run.sh").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("DATA_DIR", dataDir.toString());
        builder.environment().putAll(environment);
        Process script = builder.start();
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (!Files.readString(log).contains("READY: ")) {
            if (!script.isAlive() || System.nanoTime() > deadline) {
                script.destroy();
                throw new IllegalStateException("run.sh did not get ready:\n" + Files.readString(log));
            }
            Thread.sleep(250);
        }
        Map<String, ProcessCpu> parts = new LinkedHashMap<>();
        for (String line : Files.readAllLines(dataDir.resolve("run.pids"))) {
            String[] fields = line.split(" ");
            parts.put(fields[0], new ProcessCpu(fields[0], Long.parseLong(fields[1])));
        }
        String port = environment.getOrDefault("API_PORT", "8000");
        return new LocalSystem(script, log, parts, "http://127.0.0.1:" + port);
    }

    String baseUrl() {
        return baseUrl;
    }

    /** The system's processes: api-service, resize-worker, kafka, redis. */
    List<ProcessCpu> parts() {
        return List.copyOf(parts.values());
    }

    ProcessCpu part(String name) {
        return parts.get(name);
    }

    /** The READY block run.sh printed (URLs, and which JPEG codec the worker uses). */
    String readyMessage() throws IOException {
        String text = Files.readString(log);
        return text.substring(text.indexOf("READY: "));
    }

    /** Stops or resumes a process (SIGSTOP / SIGCONT), to let work pile up for one phase. */
    void signal(ProcessCpu part, String signal) {
        ChildProcess.signal(part.pid(), signal);
    }

    @Override
    public void close() throws InterruptedException {
        script.destroy();
        if (!script.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            script.destroyForcibly();
        }
    }
}
