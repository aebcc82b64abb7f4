package dev.thumbnail.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.thumbnail.devinfra.LocalS3;

/** Both buckets keep the same contract: a directory, and S3 on a real S3-API server (S3Proxy) on loopback. */
class BucketTest {

    @TempDir
    static Path dir;

    private static LocalS3 server;

    static Stream<Arguments> buckets() {
        if (server == null) {
            server = LocalS3.start(dir.resolve("s3"));
            System.setProperty("aws.accessKeyId", LocalS3.ACCESS_KEY);
            System.setProperty("aws.secretAccessKey", LocalS3.SECRET_KEY);
        }
        return Stream.of(Arguments.of("fs", new FileBucket(dir.resolve("fs"))),
                Arguments.of("s3", S3Bucket.open(s3Settings(server.endpoint(), "bucket-test"))));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("buckets")
    void storesReadsReplacesAndDeletesWholeObjects(String kind, Bucket bucket) throws Exception {
        String key = "originals/" + UUID.randomUUID();
        assertEquals(Optional.empty(), bucket.read(key, (channel, size) -> size), "missing is empty, not an error");
        assertEquals(Optional.empty(), bucket.open(key));

        Path staged = bucket.stagingDir().resolve(UUID.randomUUID() + ".upload");
        Files.write(staged, new byte[] { 1, 2, 3, 4 });
        assertEquals(4, bucket.put(key, staged));
        assertFalse(Files.exists(staged), "the staged file is consumed");
        assertArrayEquals(new byte[] { 1, 2, 3, 4 }, read(bucket, key));

        bucket.put(key, new byte[] { 9, 8 }, "image/png");
        assertArrayEquals(new byte[] { 9, 8 }, read(bucket, key), "replaced whole");
        Bucket.Download download = bucket.open(key).orElseThrow();
        assertEquals(2, download.size());
        if (download.stream().isPresent()) {
            try (InputStream in = download.stream().get()) {
                assertArrayEquals(new byte[] { 9, 8 }, in.readAllBytes());
            }
        } else {
            assertArrayEquals(new byte[] { 9, 8 }, Files.readAllBytes(download.file().orElseThrow()));
        }

        bucket.delete(key);
        bucket.delete(key);
        assertEquals(Optional.empty(), bucket.open(key), "deleted, and deleting again is no error");
        bucket.check();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("buckets")
    void sweepsOnlyWhatIsOlderThanTheCutoff(String kind, Bucket bucket) throws Exception {
        String prefix = "sweep-" + UUID.randomUUID();
        bucket.put(prefix + "/a", new byte[] { 1 }, "application/octet-stream");
        bucket.put(prefix + "/b", new byte[] { 2 }, "application/octet-stream");
        assertEquals(0, bucket.deleteOlderThan(prefix, Instant.now().minus(Duration.ofHours(1))));
        assertEquals(2, bucket.deleteOlderThan(prefix, Instant.now().plus(Duration.ofMinutes(1))));
        assertEquals(Optional.empty(), bucket.open(prefix + "/a"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("buckets")
    void refusesAKeyThatLeavesTheBucket(String kind, Bucket bucket) {
        if (bucket instanceof FileBucket) {
            assertThrows(IllegalArgumentException.class, () -> bucket.put("../outside", new byte[1], "x"));
        }
    }

    @org.junit.jupiter.api.Test
    void callsAnUnreachableStoreTransient() {
        Bucket away = S3Bucket.open(s3Settings("http://127.0.0.1:9", "bucket-test"));
        StorageException e = assertThrows(StorageException.class, () -> away.put("k", new byte[1], "x"));
        assertFalse(e.permanent(), e.getMessage());
        assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
        assertThrows(StorageException.class, away::check);
    }

    /**
     * A store that takes the connection and never answers: a call through a bounded view gives up at its bound (the
     * worker's remaining deadline), not at the SDK's 30 s, and fails as transient.
     */
    @org.junit.jupiter.api.Test
    void givesUpOnASilentStoreAtTheViewsBound() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50,
                java.net.InetAddress.getLoopbackAddress())) {
            Bucket bucket = S3Bucket.open(s3Settings("http://127.0.0.1:" + silent.getLocalPort(), "bucket-test"));
            for (org.junit.jupiter.api.function.Executable call : List.<org.junit.jupiter.api.function.Executable>of(
                    () -> bucket.within(Duration.ofMillis(700)).read("k", (channel, size) -> size),
                    () -> bucket.within(Duration.ofMillis(700)).put("k", new byte[1], "x"))) {
                long start = System.nanoTime();
                StorageException e = assertThrows(StorageException.class, call);
                long tookMillis = (System.nanoTime() - start) / 1_000_000;
                assertFalse(e.permanent(), e.getMessage());
                assertTrue(tookMillis >= 600 && tookMillis < 5_000, "gave up after " + tookMillis + " ms");
            }
        }
    }

    private static byte[] read(Bucket bucket, String key) throws Exception {
        return bucket.read(key, (channel, size) -> Channels.newInputStream(channel).readAllBytes()).orElseThrow();
    }

    private static StorageConfig.S3 s3Settings(String endpoint, String name) {
        return new StorageConfig.S3() {
            @Override
            public String bucket() {
                return name;
            }

            @Override
            public Optional<URI> endpoint() {
                return Optional.of(URI.create(endpoint));
            }

            @Override
            public String region() {
                return "us-east-1";
            }

            @Override
            public boolean pathStyleAccess() {
                return true;
            }

            @Override
            public boolean createBucket() {
                return true;
            }
        };
    }
}
