package dev.thumbnail.contracts.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The offsets a consumer has finished with but not yet committed, and when to commit them: at most once per
 * {@code every} (asynchronously; a failed commit is carried by the next one), synchronously when its partitions are
 * revoked or it closes, and forgotten when its partitions are lost. At-least-once: what is not committed is delivered
 * again, to this member or another.
 * <p>
 * Used from the consumer's own thread only (the rebalance callbacks run inside its {@code poll}), so not thread-safe.
 */
public final class FinishedOffsets implements ConsumerRebalanceListener {

    private final org.apache.kafka.clients.consumer.Consumer<?, ?> consumer;
    private final Duration every;
    private final Consumer<String> warn;
    private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();
    private long lastCommit = System.nanoTime();
    /**
     * Per partition, how many times it was revoked or lost: an offset committed before one is not carried past it.
     * As many entries as partitions this consumer ever held.
     */
    private final Map<TopicPartition, Long> tenures = new HashMap<>();

    /**
     * @param every the commit interval; 1 s costs the broker little and redelivers at most a second's work
     * @param warn where the failures of synchronous commits are reported (the records are delivered again)
     */
    public FinishedOffsets(org.apache.kafka.clients.consumer.Consumer<?, ?> consumer, Duration every,
            Consumer<String> warn) {
        this.consumer = consumer;
        this.every = every;
        this.warn = warn;
    }

    /** The record at {@code offset} of {@code partition} is done with. */
    public void finished(TopicPartition partition, long offset) {
        pending.put(partition, new OffsetAndMetadata(offset + 1));
    }

    /** Commits asynchronously when the interval has passed since the last commit. */
    public void commitWhenDue() {
        if (!pending.isEmpty() && System.nanoTime() - lastCommit >= every.toNanos()) {
            Map<TopicPartition, OffsetAndMetadata> committing = new HashMap<>(pending);
            Map<TopicPartition, Long> held = new HashMap<>();
            committing.keySet().forEach(partition -> held.put(partition, tenure(partition)));
            consumer.commitAsync(committing, (offsets, e) -> {
                if (e != null) {
                    // Runs on this consumer's thread, inside a later poll: carry these forward unless newer ones
                    // are pending for the same partitions. Not when partitions were revoked or lost since: those may
                    // be another member's now (an old offset committed for them would send its members back), or
                    // this member's again from a newer committed offset; their records are delivered again.
                    committing.forEach((partition, offset) -> {
                        if (held.get(partition) == tenure(partition)) {
                            pending.putIfAbsent(partition, offset);
                        }
                    });
                }
            });
            // Only what this commit carries: commitAsync first runs the callbacks of earlier commits, and a failed
            // one has just put its offsets back for partitions this commit does not carry.
            committing.forEach(pending::remove);
            lastCommit = System.nanoTime();
        }
    }

    /** Commits everything pending, waiting at most {@code timeout}; before the consumer closes. */
    public void commitNow(Duration timeout) {
        // A second round for what the callbacks of failed asynchronous commits put back during the first.
        for (int round = 0; round < 2 && !pending.isEmpty(); round++) {
            Map<TopicPartition, OffsetAndMetadata> committing = new HashMap<>(pending);
            boolean committed = commit(committing, timeout);
            committing.forEach(pending::remove);
            if (!committed) {
                return;
            }
        }
    }

    /**
     * Commits {@code offset} (with its metadata) for {@code partition} now, with everything pending, waiting at most
     * {@code timeout}: a mark the group must hold before the consumer goes on, since the process may not outlive what
     * comes next. What was pending for {@code partition} is superseded.
     *
     * @return whether the broker took the commit (a failure is reported to {@code warn})
     */
    public boolean mark(TopicPartition partition, OffsetAndMetadata offset, Duration timeout) {
        Map<TopicPartition, OffsetAndMetadata> committing = new HashMap<>(pending);
        committing.put(partition, offset);
        // Emptied after the commit, not before: a synchronous commit first runs the callbacks of earlier asynchronous
        // ones, and a failed one puts its older offsets back only where nothing newer is pending.
        if (!commit(committing, timeout)) {
            // Carried by the next commit, as an asynchronous one's would be; the mark itself is not.
            return false;
        }
        committing.forEach(pending::remove);
        pending.remove(partition);
        return true;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        partitions.forEach(this::leave);
        Map<TopicPartition, OffsetAndMetadata> leaving = new HashMap<>();
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata offset = pending.remove(partition);
            if (offset != null) {
                leaving.put(partition, offset);
            }
        }
        commit(leaving, Duration.ofSeconds(5));
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        // Another member owns them already: committing would fail, and its work starts from the last commit.
        partitions.forEach(this::leave);
        partitions.forEach(pending::remove);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        // Positions come from the committed offsets.
    }

    private long tenure(TopicPartition partition) {
        return tenures.getOrDefault(partition, 0L);
    }

    private void leave(TopicPartition partition) {
        tenures.merge(partition, 1L, Long::sum);
    }

    private boolean commit(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
        if (offsets.isEmpty()) {
            return true;
        }
        try {
            try {
                consumer.commitSync(offsets, timeout);
            } catch (org.apache.kafka.common.errors.WakeupException e) {
                // A wakeup meant to end a poll (the consumer is stopping) ended this commit instead; it is spent now.
                consumer.commitSync(offsets, timeout);
            }
            return true;
        } catch (RuntimeException e) {
            warn.accept("could not commit offsets " + offsets + ", those records are delivered again: "
                    + e.getMessage());
            return false;
        }
    }
}
