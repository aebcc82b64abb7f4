package dev.thumbnail.worker.messaging;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import dev.thumbnail.contracts.ErrorCodes;
import dev.thumbnail.contracts.kafka.FinishedOffsets;
import dev.thumbnail.imagemeta.ImageHeader;
import dev.thumbnail.worker.pipeline.BeforeDecode;
import dev.thumbnail.worker.pipeline.PipelineException;
import io.quarkus.logging.Log;

/**
 * Keeps a request whose image ends the worker itself (its JVM out of heap under {@code -XX:+ExitOnOutOfMemoryError},
 * its container killed for memory, a crash in a native decoder) from ending every member of the consumer group that
 * takes it next: without it, the request is never committed, so it is delivered again, to the restarted worker or to
 * the member its partition moves to, and ends that one too.
 * <p>
 * Before an image at risk is decoded (at least {@code guardedPixels} pixels, or one decoded at full size), the
 * consumer commits the request's own offset synchronously, with the metadata {@code decoding <task id> take <n>}: the
 * committed position stays on the request, as it would anyway (the records before it on its partition are finished,
 * a consumer takes its partitions' records in order), and says that the request has been taken n times without being
 * finished. A member that takes it again reads that from the group's committed offsets; at the third take, after two
 * workers ended on it, the task fails with {@link ErrorCodes#WORKER_LOST} instead of being decoded. A request taken
 * again after a worker ended on it is decoded while no other guarded image is (a lock shared by the process's
 * consumers): the images decoded beside the culprit when the process ended come back together after its restart, and
 * would otherwise each be charged with every end. Once the request is
 * finished, its next offset goes with the consumer's next commit (within {@code RequestConsumers.COMMIT_EVERY}), which
 * clears the mark: a worker that ends within that second has the finished request taken again, as at-least-once
 * delivery does anyway, and counted once more, so it would take two such coincidences on one request to refuse it
 * wrongly (and a refusal after its SUCCESS is not folded: a status never moves backwards). A request handed back (the
 * worker stopping) has its mark cleared at once, since a stop is not a crash.
 * <p>
 * Costs one synchronous commit per image at risk and none for the others, plus one read of the committed offsets per
 * assignment. Measured on a 12 MP JPEG in the running system (docs/BENCHMARKS.md), each commit costs the broker about
 * 0.4 ms of CPU, against about 11 ms of image work; clearing the mark at once took a second commit, and was dropped.
 * <p>
 * The consumer's rebalance listener, ahead of {@link FinishedOffsets}, which it calls first. Used from its consumer's
 * thread only, like that one.
 */
final class CrashGuard implements ConsumerRebalanceListener {

    /** Workers a request may end before its task fails: the third take refuses it. */
    static final int MAX_LOST = 2;
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(5);
    private static final String MARK = "decoding ";
    private static final String TAKE = " take ";

    private final Consumer<?, ?> consumer;
    private final FinishedOffsets finished;
    private final long guardedPixels;
    /** The marks found on the committed offsets of the partitions this consumer was given, until it moves past them. */
    private final Map<TopicPartition, OffsetAndMetadata> found = new HashMap<>();
    /** Partitions whose committed offsets could not be read at their assignment: read at their first guarded take. */
    private final Set<TopicPartition> unread = new HashSet<>();
    /** Shared by the process's consumers: held to read by a guarded take, to write by a suspect's. */
    private final ReadWriteLock decoding;
    /** The lock this consumer's take holds, until it ends; null when none. */
    private Lock held;
    /** The request marked as being decoded, until its take ends; null when none is. */
    private TopicPartition markedPartition;
    private long markedOffset;

    /**
     * @param guardedPixels images with at least this many pixels ({@link ImageHeader#pixels()}) are guarded; 0 guards
     *     every image
     * @param decoding one lock for all the consumers of the process: a request on which a worker already ended is
     *     decoded while no other guarded image is, so that an end is charged to that request alone and not to the
     *     images that happened to be decoded beside it (they would come back together after the restart)
     */
    CrashGuard(Consumer<?, ?> consumer, FinishedOffsets finished, long guardedPixels, ReadWriteLock decoding) {
        this.consumer = consumer;
        this.finished = finished;
        this.guardedPixels = guardedPixels;
        this.decoding = decoding;
    }

    /**
     * The check to run between {@code record}'s header and its pixels; {@link #ended(boolean)} must follow the take.
     */
    BeforeDecode before(ConsumerRecord<?, ?> record, String taskId) {
        return header -> {
            if (header.pixels() < guardedPixels && !header.decodedWhole()) {
                return;
            }
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            if (unread.remove(partition)) {
                read(Set.of(partition));
            }
            OffsetAndMetadata mark = found.remove(partition);
            int lost = mark == null || mark.offset() != record.offset() ? 0 : takes(mark.metadata(), taskId);
            if (lost >= MAX_LOST) {
                Log.errorf("task %s: %s: %d workers ended while decoding this %dx%d %s (offset %d of partition %d); "
                        + "it is not decoded again", taskId, ErrorCodes.WORKER_LOST, lost, header.width(),
                        header.height(), header.format(), record.offset(), record.partition());
                throw new PipelineException(ErrorCodes.WORKER_LOST, (Throwable) null);
            }
            if (lost > 0) {
                Log.warnf("task %s: taken again after %d worker(s) ended while decoding it; %d more and it fails "
                        + "with %s", taskId, lost, MAX_LOST - lost, ErrorCodes.WORKER_LOST);
            }
            // Before the mark: a take that waits here and dies has not begun.
            held = lost > 0 ? decoding.writeLock() : decoding.readLock();
            held.lock();
            if (finished.mark(partition, new OffsetAndMetadata(record.offset(), mark(taskId, lost + 1)),
                    COMMIT_TIMEOUT)) {
                markedPartition = partition;
                markedOffset = record.offset();
            }
        };
    }

    /**
     * The take of the request passed to {@link #before} has ended, whichever way; must follow every take. Its mark is
     * cleared now when it was {@code handedBack} (the worker stopping); a finished request's goes with the next commit
     * of {@link FinishedOffsets}; one that ended in an exception keeps it, as the slot that ran it has ended too.
     */
    void ended(boolean handedBack) {
        if (held != null) {
            held.unlock();
            held = null;
        }
        if (markedPartition != null && handedBack) {
            finished.mark(markedPartition, new OffsetAndMetadata(markedOffset), COMMIT_TIMEOUT);
        }
        markedPartition = null;
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        finished.onPartitionsAssigned(partitions);
        if (partitions.isEmpty()) {
            return;
        }
        read(new HashSet<>(partitions));
    }

    /**
     * The marks on {@code partitions}' committed offsets; those that cannot be read now are read at their first take.
     */
    private void read(Set<TopicPartition> partitions) {
        try {
            consumer.committed(partitions, COMMIT_TIMEOUT).forEach((partition, committed) -> {
                if (committed != null && committed.metadata().startsWith(MARK)) {
                    found.put(partition, committed);
                }
            });
        } catch (RuntimeException e) {
            Log.warnf("could not read the committed offsets of %s for the marks of unfinished takes, reading them at "
                    + "their first guarded take: %s", partitions, e.getMessage());
            unread.addAll(partitions);
        }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        partitions.forEach(found::remove);
        partitions.forEach(unread::remove);
        finished.onPartitionsRevoked(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        partitions.forEach(found::remove);
        partitions.forEach(unread::remove);
        finished.onPartitionsLost(partitions);
    }

    static String mark(String taskId, int take) {
        return MARK + taskId + TAKE + take;
    }

    /** The takes a mark records for {@code taskId}; 0 for no mark, another task's, or one this version cannot read. */
    static int takes(String metadata, String taskId) {
        String prefix = MARK + taskId + TAKE;
        if (metadata == null || !metadata.startsWith(prefix)) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(metadata.substring(prefix.length())));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
