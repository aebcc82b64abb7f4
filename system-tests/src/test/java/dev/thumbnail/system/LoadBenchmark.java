package dev.thumbnail.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import dev.thumbnail.devinfra.SharedInfrastructure;

/**
 * End-to-end load benchmark, not part of the test run (its name matches neither *Test nor *IT):
 *
 * <pre>
 * system-tests/load.sh
 * </pre>
 *
 * The whole system on this machine (packaged API and worker, real Kafka and Redis, all on loopback). First the
 * worker alone: requests published straight to {@code resize-requests} for originals already in the bucket. Then the
 * same image mix through the API at several client concurrencies: upload over HTTP, completion observed on
 * {@code resize-completions}. Reports images/s and latency percentiles; the figures go to docs/BENCHMARKS.md. Bounded:
 * a fixed number of images per run, loopback only.
 */
class LoadBenchmark {

    private static final int IMAGES = Integer.getInteger("load.images", 150);
    private static final int[] CONCURRENCY = { 1, 4, 16 };
    private static final Pattern TASK_ID = Pattern.compile("\"task_id\":\"([0-9a-f-]{36})\"");
    private static final Pattern STATUS = Pattern.compile("\"status\":\"(SUCCESS|FAILURE)\"");

    @Test
    void measuresTheWholePipelineAgainstTheWorkerAlone() throws Exception {
        RunningSystem system = RunningSystem.get();
        List<byte[]> mix = imageMix();
        StringBuilder report = new StringBuilder();
        try (Completions completions = new Completions()) {
            double workerOnly = workerOnly(mix, completions);
            report.append(String.format("worker only: %.1f images/s%n%n", workerOnly));
            report.append("| client concurrency | images/s | vs worker only | POST p50 ms | POST p99 ms | "
                    + "upload-to-SUCCESS p50 ms | p99 ms |\n|---|---|---|---|---|---|---|\n");
            for (int concurrency : CONCURRENCY) {
                Result result = throughApi(system.api.baseUrl(), mix, concurrency, completions);
                report.append(String.format("| %d | %.1f | %.0f%% | %.1f | %.1f | %.1f | %.1f |%n", concurrency,
                        result.imagesPerSecond(), 100 * result.imagesPerSecond() / workerOnly,
                        percentile(result.postMillis(), 50), percentile(result.postMillis(), 99),
                        percentile(result.endToEndMillis(), 50), percentile(result.endToEndMillis(), 99)));
            }
        }
        System.out.println("\n" + report);
        Path out = Path.of("target", "load-benchmark.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString());
    }

    private double workerOnly(List<byte[]> mix, Completions completions) throws Exception {
        Path bucket = SharedInfrastructure.get().bucket();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            String id = UUID.randomUUID().toString();
            Path original = bucket.resolve("originals").resolve(id);
            Files.createDirectories(original.getParent());
            Files.write(original, mix.get(i % mix.size()));
            ids.add(id);
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.get().kafka().bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            long start = System.nanoTime();
            for (String id : ids) {
                producer.send(new ProducerRecord<>("resize-requests", id, """
                        {"version":1,"taskId":"%1$s","originalKey":"originals/%1$s","originalFilename":"load",
                         "contentType":"image/jpeg","sizeBytes":1,"target":{"width":100,"height":100,"mode":"FIT"},
                         "requestedAt":"%2$s"}""".formatted(id, Instant.now())));
            }
            producer.flush();
            completions.awaitAll(ids, Duration.ofMinutes(5));
            return IMAGES / ((System.nanoTime() - start) / 1e9);
        }
    }

    private Result throughApi(String baseUrl, List<byte[]> mix, int concurrency, Completions completions)
            throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        List<Double> postMillis = Collections.synchronizedList(new ArrayList<>());
        Map<String, Long> postedAt = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        List<Future<String>> uploads = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            byte[] image = mix.get(i % mix.size());
            uploads.add(clients.submit(() -> {
                String boundary = "----load" + UUID.randomUUID();
                long t0 = System.nanoTime();
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/create"))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(boundary, image))).build(),
                        HttpResponse.BodyHandlers.ofString());
                postMillis.add((System.nanoTime() - t0) / 1e6);
                assertEquals(202, response.statusCode(), response.body());
                Matcher id = TASK_ID.matcher(response.body());
                id.find();
                postedAt.put(id.group(1), t0);
                return id.group(1);
            }));
        }
        List<String> ids = new ArrayList<>();
        for (Future<String> upload : uploads) {
            ids.add(upload.get());
        }
        clients.shutdown();
        completions.awaitAll(ids, Duration.ofMinutes(5));
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Double> endToEnd = ids.stream().map(id -> (completions.doneAt(id) - postedAt.get(id)) / 1e6).toList();
        return new Result(IMAGES / seconds, postMillis, endToEnd);
    }

    record Result(double imagesPerSecond, List<Double> postMillis, List<Double> endToEndMillis) {
    }

    /** Consumes resize-completions and notes when each task's terminal event arrived (nanoTime). */
    private static final class Completions implements AutoCloseable {
        private final Map<String, Long> done = new ConcurrentHashMap<>();
        private final Thread thread;
        private final CountDownLatch assigned = new CountDownLatch(1);
        private volatile boolean running = true;

        Completions() {
            thread = new Thread(() -> {
                try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.get().kafka().bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG, "load-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"), new StringDeserializer(),
                        new StringDeserializer())) {
                    consumer.subscribe(List.of("resize-completions"));
                    while (running) {
                        var records = consumer.poll(Duration.ofMillis(20));
                        if (!consumer.assignment().isEmpty()) {
                            assigned.countDown();
                        }
                        for (var record : records) {
                            Matcher status = STATUS.matcher(record.value());
                            if (status.find()) {
                                done.putIfAbsent(record.key(), System.nanoTime());
                            }
                        }
                    }
                }
            }, "completions");
            thread.start();
            // Nothing is sent before the consumer has its partitions: with "latest" it would miss earlier events.
            try {
                if (!assigned.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the completions consumer got no partitions");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void awaitAll(List<String> ids, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.keySet().containsAll(ids)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not all tasks completed within " + timeout);
                }
                Thread.sleep(5);
            }
        }

        long doneAt(String id) {
            return done.get(id);
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join();
        }
    }

    /** Four 1280x853 photos to one 12 MP photo, with sensor-like noise so JPEG decoding costs what it costs. */
    private static List<byte[]> imageMix() throws Exception {
        List<byte[]> mix = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            mix.add(photo(1280, 853, i));
        }
        mix.add(photo(4000, 3000, 9));
        return mix;
    }

    private static byte[] photo(int width, int height, long seed) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(40, 90, 180), width, height, new Color(240, 200, 120)));
        g.fillRect(0, 0, width, height);
        g.dispose();
        Random random = new Random(seed);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            image.getRGB(0, y, width, 1, row, 0, width);
            for (int x = 0; x < width; x++) {
                int noise = random.nextInt(41) - 20;
                int r = clamp(((row[x] >> 16) & 0xFF) + noise);
                int gr = clamp(((row[x] >> 8) & 0xFF) + noise);
                int b = clamp((row[x] & 0xFF) + noise);
                row[x] = r << 16 | gr << 8 | b;
            }
            image.setRGB(0, y, width, 1, row, 0, width);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }

    private static int clamp(int value) {
        return Math.max(0, Math.min(255, value));
    }

    private static byte[] multipart(String boundary, byte[] image) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image_data\"; "
                + "filename=\"load.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        body.writeBytes(head);
        body.writeBytes(image);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return body.toByteArray();
    }

    private static double percentile(List<Double> values, int p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }
}
