package dev.thumbnail.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The bucket on an S3-compatible store (AWS S3, MinIO, Ceph, S3Proxy), through the AWS SDK for Java v2 with its
 * URL-connection HTTP client. One request per operation: an upload is one PutObject streamed from the staged file, a
 * worker's read one GetObject streamed into the decoder's memory, a download one GetObject streamed to the client.
 * <p>
 * Failures: the store unreachable, timing out, throttling (429, 503 SlowDown) or answering 5xx, and a missing bucket
 * (created on the next try when allowed), are transient; other 4xx (refused credentials, a malformed request) are
 * permanent. The SDK's own retries (3 attempts, backoff) come first. Checksums are sent and checked only where the
 * API requires them, which every S3-compatible store accepts.
 * <p>
 * Each call, the SDK's attempts included, gives up after {@value #CALL_TIMEOUT_SECONDS} s, or sooner in a view made by
 * {@link #within(Duration)}; a GetObject's body, once it flows, is bounded by the socket timeout per read instead.
 */
public final class S3Bucket implements Bucket {

    static final int CALL_TIMEOUT_SECONDS = 30;
    private static final String PROBE_PREFIX = ".probe/";
    private static final String PROCESS = UUID.randomUUID().toString();

    private final S3Client s3;
    private final String bucket;
    private final boolean createBucket;
    private final String where;
    private final Path staging;
    /** Shared with this bucket's views: the bucket is looked at once per process, not per view. */
    private final AtomicBoolean bucketChecked;
    private final AwsRequestOverrideConfiguration timeouts;
    /** Whether closing this closes the client: the bucket itself, not a view of it. */
    private final boolean ownsClient;

    S3Bucket(S3Client s3, String bucket, boolean createBucket, String where) {
        this(s3, bucket, createBucket, where, new AtomicBoolean(), Duration.ofSeconds(CALL_TIMEOUT_SECONDS), true);
    }

    private S3Bucket(S3Client s3, String bucket, boolean createBucket, String where, AtomicBoolean bucketChecked,
            Duration callTimeout, boolean ownsClient) {
        this.s3 = s3;
        this.bucket = bucket;
        this.createBucket = createBucket;
        this.where = where;
        this.staging = Path.of(System.getProperty("java.io.tmpdir"), "thumbnail-uploads");
        this.bucketChecked = bucketChecked;
        this.timeouts = AwsRequestOverrideConfiguration.builder().apiCallTimeout(callTimeout).build();
        this.ownsClient = ownsClient;
    }

    /**
     * This bucket with each call bounded by {@code timeout} (never more than {@value #CALL_TIMEOUT_SECONDS} s): a call
     * still unanswered then fails as transient. The same client; closing the view closes nothing.
     */
    @Override
    public Bucket within(Duration timeout) {
        Duration bounded = timeout.compareTo(Duration.ofSeconds(CALL_TIMEOUT_SECONDS)) > 0
                ? Duration.ofSeconds(CALL_TIMEOUT_SECONDS) : timeout.compareTo(Duration.ofMillis(1)) < 0
                        ? Duration.ofMillis(1) : timeout;
        return new S3Bucket(s3, bucket, createBucket, where, bucketChecked, bounded, false);
    }

    static S3Bucket open(StorageConfig.S3 config) {
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(15)))
                .region(Region.of(config.region()))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .serviceConfiguration(S3Configuration.builder()
                        .pathStyleAccessEnabled(config.pathStyleAccess())
                        .build())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(override -> override.apiCallTimeout(Duration.ofSeconds(CALL_TIMEOUT_SECONDS)));
        config.endpoint().ifPresent(builder::endpointOverride);
        String where = "S3 bucket " + config.bucket()
                + config.endpoint().map(endpoint -> " at " + endpoint).orElse(" (AWS, " + config.region() + ")");
        return new S3Bucket(builder.build(), config.bucket(), config.createBucket(), where);
    }

    @Override
    public Path stagingDir() throws StorageException {
        try {
            return Files.createDirectories(staging);
        } catch (IOException e) {
            throw new StorageException("cannot create the staging directory " + staging + ": " + e, e, false);
        }
    }

    @Override
    public long put(String key, Path file) throws StorageException {
        try {
            long size = Files.size(file);
            call("store " + key, () -> s3.putObject(request -> request.bucket(bucket).key(key)
                    .overrideConfiguration(timeouts)
                    .contentType("application/octet-stream").contentLength(size), RequestBody.fromFile(file)));
            Files.deleteIfExists(file);
            return size;
        } catch (IOException e) {
            if (e instanceof StorageException storage) {
                throw storage;
            }
            throw new StorageException("cannot read the staged upload " + file + ": " + e, e, false);
        }
    }

    @Override
    public void put(String key, byte[] bytes, String contentType) throws StorageException {
        call("store " + key, () -> s3.putObject(request -> request.bucket(bucket).key(key)
                .overrideConfiguration(timeouts).contentType(contentType)
                .contentLength((long) bytes.length), RequestBody.fromBytes(bytes)));
    }

    @Override
    public <T> Optional<T> read(String key, Reader<T> reader) throws StorageException {
        return call("read " + key, () -> {
            try (ResponseInputStream<GetObjectResponse> in = s3.getObject(request -> request.bucket(bucket).key(key)
                    .overrideConfiguration(timeouts))) {
                return Optional.of(reader.read(Channels.newChannel(in), in.response().contentLength()));
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Override
    public Optional<Download> open(String key) throws StorageException {
        return call("open " + key, () -> {
            try {
                ResponseInputStream<GetObjectResponse> in = s3.getObject(request -> request.bucket(bucket).key(key)
                        .overrideConfiguration(timeouts));
                return Optional.of(new Download(in.response().contentLength(), Optional.empty(), Optional.of(in)));
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            }
        });
    }

    @Override
    public void delete(String key) throws StorageException {
        call("delete " + key, () -> s3.deleteObject(request -> request.bucket(bucket).key(key)
                .overrideConfiguration(timeouts)));
    }

    /**
     * Lists the prefix and deletes what is older, one DeleteObject each: the multi-object delete needs a checksum
     * header that not every S3-compatible store implements (S3Proxy answers 501), and this sweeper is for small
     * buckets only (a lifecycle rule does it for large ones).
     */
    @Override
    public int deleteOlderThan(String prefix, Instant cutoff) throws StorageException {
        return call("sweep " + prefix, () -> {
            int deleted = 0;
            for (S3Object object : s3.listObjectsV2Paginator(request -> request.bucket(bucket).prefix(prefix + "/"))
                    .contents()) {
                if (object.lastModified().isBefore(cutoff)) {
                    s3.deleteObject(request -> request.bucket(bucket).key(object.key()));
                    deleted++;
                }
            }
            return deleted;
        });
    }

    /** Writes and deletes a small probe object: proves the store is reachable and the bucket writable. */
    @Override
    public void check() throws StorageException {
        String probe = PROBE_PREFIX + PROCESS;
        call("write a probe", () -> s3.putObject(request -> request.bucket(bucket).key(probe).contentLength(1L),
                RequestBody.fromBytes(new byte[] { 1 })));
        call("delete the probe", () -> s3.deleteObject(request -> request.bucket(bucket).key(probe)));
    }

    @Override
    public String describe() {
        return where;
    }

    @Override
    public void close() {
        if (ownsClient) {
            s3.close();
        }
    }

    private interface Call<T> {
        T run();
    }

    private <T> T call(String what, Call<T> call) throws StorageException {
        try {
            ensureBucket();
            return call.run();
        } catch (NoSuchBucketException e) {
            bucketChecked.set(false);
            throw new StorageException("cannot " + what + ": the bucket " + bucket + " does not exist", e, false);
        } catch (S3Exception e) {
            int status = e.statusCode();
            boolean transientFailure = status >= 500 || status == 429 || status == 408;
            throw new StorageException("cannot " + what + " in " + where + ": HTTP " + status + " "
                    + e.awsErrorDetails().errorCode(), e, !transientFailure);
        } catch (SdkClientException e) {
            throw new StorageException("cannot " + what + ", " + where + " unreachable: " + e.getMessage(), e, false);
        } catch (SdkException | UncheckedIOException e) {
            throw new StorageException("cannot " + what + " in " + where + ": " + e.getMessage(), e, false);
        }
    }

    /** Creates the bucket; another service creating it at the same moment is no failure. */
    private void create() {
        try {
            s3.createBucket(request -> request.bucket(bucket).overrideConfiguration(timeouts));
        } catch (software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException
                | software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException e) {
            // there now
        }
    }

    /**
     * Once, when allowed to create it: the bucket exists, or is created. Otherwise nothing is asked (a role limited
     * to the objects, as least privilege has it, may not even see the bucket), and a missing bucket shows as
     * {@code NoSuchBucket} on the first operation.
     */
    private void ensureBucket() {
        if (bucketChecked.get() || !createBucket) {
            return;
        }
        try {
            s3.headBucket(request -> request.bucket(bucket).overrideConfiguration(timeouts));
        } catch (NoSuchBucketException e) {
            create();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                create();
            } else if (e.statusCode() != 403) {
                throw e;
            }
            // 403: this role may not look at the bucket itself (least privilege); its objects will tell.
        }
        bucketChecked.set(true);
    }
}
