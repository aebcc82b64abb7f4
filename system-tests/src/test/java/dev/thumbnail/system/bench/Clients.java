package dev.thumbnail.system.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The old service's clients, as many at once as asked: each uploads an image ({@code POST /create}, multipart field
 * {@code image_data}), then follows its task until SUCCESS or FAILURE, either polling {@code GET /status/{id}} every
 * {@code pollMillis} (what the old service's clients do) or asking once with {@code ?wait=} (answered when the task
 * ends), then takes the next image. Images are taken in turn from the set, so every file counts equally.
 */
final class Clients {

    /** How a client learns that its task has finished. */
    enum Mode {
        POLL, WAIT
    }

    private static final Pattern TASK_ID = Pattern.compile("\"task_id\":\"([0-9a-f-]{36})\"");
    private static final Pattern STATUS = Pattern.compile("\"status\":\"([A-Z]+)\"");
    private static final int WAIT_SECONDS = 30;

    private final String baseUrl;
    private final List<Upload> uploads;
    private final HttpClient http;

    Clients(String baseUrl, List<Path> images) throws IOException {
        this.baseUrl = baseUrl;
        this.uploads = new ArrayList<>();
        for (Path image : images) {
            uploads.add(Upload.of(image));
        }
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** What one run of the clients saw. */
    record Run(int completed, int failed, double seconds, long statusReads, List<Double> uploadMillis,
            List<Double> endToEndMillis, List<String> taskIds) {

        double imagesPerSecond() {
            return completed / seconds;
        }

        double readsPerImage() {
            return (double) statusReads / Math.max(1, completed + failed);
        }
    }

    /** {@code count} images through {@code concurrency} clients; returns when every task has finished. */
    Run run(int concurrency, int count, Mode mode, int pollMillis) throws Exception {
        AtomicInteger tickets = new AtomicInteger(count);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicLong reads = new AtomicLong();
        List<Double> uploadMillis = Collections.synchronizedList(new ArrayList<>());
        List<Double> endToEnd = Collections.synchronizedList(new ArrayList<>());
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            clients.add(pool.submit(() -> {
                while (tickets.getAndDecrement() > 0) {
                    Upload upload = uploads.get(Math.floorMod(next.getAndIncrement(), uploads.size()));
                    long t0 = System.nanoTime();
                    String id = create(upload);
                    uploadMillis.add((System.nanoTime() - t0) / 1e6);
                    ids.add(id);
                    String status = mode == Mode.POLL ? poll(id, pollMillis, reads) : await(id, reads);
                    endToEnd.add((System.nanoTime() - t0) / 1e6);
                    if (!status.equals("SUCCESS")) {
                        failed.incrementAndGet();
                        System.err.println("task " + id + " (" + upload.name + ") ended " + status);
                    }
                }
                return null;
            }));
        }
        for (Future<?> client : clients) {
            client.get();
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Run(count - failed.get(), failed.get(), seconds, reads.get(), List.copyOf(uploadMillis),
                List.copyOf(endToEnd), List.copyOf(ids));
    }

    /** Uploads {@code count} images without following them; returns their task ids. */
    List<String> uploadOnly(int concurrency, int count) throws Exception {
        AtomicInteger tickets = new AtomicInteger(count);
        AtomicInteger next = new AtomicInteger();
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            clients.add(pool.submit(() -> {
                while (tickets.getAndDecrement() > 0) {
                    ids.add(create(uploads.get(Math.floorMod(next.getAndIncrement(), uploads.size()))));
                }
                return null;
            }));
        }
        for (Future<?> client : clients) {
            client.get();
        }
        pool.shutdown();
        return List.copyOf(ids);
    }

    /** Reads the status of {@code ids} in turn, as fast as {@code concurrency} clients can, for {@code seconds}. */
    long readStatuses(List<String> ids, int concurrency, double seconds) throws Exception {
        AtomicLong reads = new AtomicLong();
        long until = System.nanoTime() + (long) (seconds * 1e9);
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            int offset = c;
            clients.add(pool.submit(() -> {
                for (int i = offset; System.nanoTime() < until; i += concurrency) {
                    status(ids.get(i % ids.size()), "");
                    reads.incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> client : clients) {
            client.get();
        }
        pool.shutdown();
        return reads.get();
    }

    /** Waits until every task in {@code ids} has finished, reading each as rarely as it can; returns the reads. */
    long awaitAll(List<String> ids, Duration timeout) throws Exception {
        long reads = 0;
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String id : ids) {
            while (true) {
                reads++;
                String status = status(id, "");
                if (status.equals("SUCCESS") || status.equals("FAILURE")) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("task " + id + " still " + status + " after " + timeout);
                }
                Thread.sleep(200);
            }
        }
        return reads;
    }

    private String create(Upload upload) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/create"))
                .header("Content-Type", "multipart/form-data; boundary=" + Upload.BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(upload.body)).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher id = TASK_ID.matcher(response.body());
        if (response.statusCode() != 202 || !id.find()) {
            throw new IllegalStateException("upload of " + upload.name + ": " + response.statusCode() + " "
                    + response.body());
        }
        return id.group(1);
    }

    private String poll(String id, int pollMillis, AtomicLong reads) throws IOException, InterruptedException {
        while (true) {
            Thread.sleep(pollMillis);
            reads.incrementAndGet();
            String status = status(id, "");
            if (status.equals("SUCCESS") || status.equals("FAILURE")) {
                return status;
            }
        }
    }

    private String await(String id, AtomicLong reads) throws IOException, InterruptedException {
        while (true) {
            reads.incrementAndGet();
            String status = status(id, "?wait=" + WAIT_SECONDS);
            if (status.equals("SUCCESS") || status.equals("FAILURE")) {
                return status;
            }
        }
    }

    private String status(String id, String query) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/status/" + id
                + query)).timeout(Duration.ofSeconds(WAIT_SECONDS + 10)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher status = STATUS.matcher(response.body());
        if (response.statusCode() != 200 || !status.find()) {
            throw new IllegalStateException("status of " + id + ": " + response.statusCode() + " " + response.body());
        }
        return status.group(1);
    }

    /** A multipart body, built once per file. */
    private record Upload(String name, byte[] body) {

        static final String BOUNDARY = "----thumbnail-load-boundary";

        static Upload of(Path image) throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            String name = image.getFileName().toString();
            body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"image_data\"; filename=\""
                    + name + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(Files.readAllBytes(image));
            body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
            return new Upload(name, body.toByteArray());
        }
    }
}
