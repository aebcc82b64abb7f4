package dev.thumbnail.contracts.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The commit rules on Kafka's in-memory consumer (a narrow unit test; the pipeline tests use a real broker). */
class FinishedOffsetsTest {

    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
    private final List<String> warnings = new ArrayList<>();

    FinishedOffsetsTest() {
        consumer.assign(List.of(P0, P1));
    }

    @Test
    void commitsTheNextOffsetOncePerInterval() {
        FinishedOffsets offsets = new FinishedOffsets(consumer, Duration.ofHours(1), warnings::add);
        offsets.finished(P0, 41);
        offsets.commitWhenDue();
        assertTrue(consumer.committed(Set.of(P0)).isEmpty() || consumer.committed(Set.of(P0)).get(P0) == null,
                "committed before the interval passed");

        FinishedOffsets eager = new FinishedOffsets(consumer, Duration.ZERO, warnings::add);
        eager.finished(P0, 41);
        eager.finished(P0, 42);
        eager.commitWhenDue();
        assertEquals(43, committed(P0), "the offset after the last finished record");
    }

    @Test
    void revokedPartitionsAreCommittedAndLostOnesForgotten() {
        FinishedOffsets offsets = new FinishedOffsets(consumer, Duration.ofHours(1), warnings::add);
        offsets.finished(P0, 9);
        offsets.finished(P1, 19);
        offsets.onPartitionsLost(List.of(P1));
        offsets.onPartitionsRevoked(List.of(P0));
        assertEquals(10, committed(P0));
        offsets.commitNow(Duration.ofSeconds(1));
        assertTrue(consumer.committed(Set.of(P1)).get(P1) == null, "a lost partition's offset was committed");
        assertTrue(warnings.isEmpty(), warnings::toString);
    }

    @Test
    void aFailedCommitIsReportedNotThrown() {
        MockConsumer<String, byte[]> away = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name()) {
            @Override
            public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
                throw new KafkaException("broker away");
            }
        };
        FinishedOffsets offsets = new FinishedOffsets(away, Duration.ofHours(1), warnings::add);
        offsets.finished(P0, 1);
        offsets.commitNow(Duration.ofSeconds(1));
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("delivered again"), warnings.get(0));
    }

    @Test
    void aFailedAsynchronousCommitIsCarriedOnlyForPartitionsStillHeld() {
        LateAnswers later = new LateAnswers(false);
        List<OffsetCommitCallback> callbacks = later.unanswered;
        later.assign(List.of(P0, P1));
        FinishedOffsets offsets = new FinishedOffsets(later, Duration.ZERO, warnings::add);
        offsets.finished(P0, 5);
        offsets.finished(P1, 7);
        offsets.commitWhenDue();
        assertEquals(1, callbacks.size());

        // P0 goes to another member before the commit's answer, which is a failure.
        offsets.onPartitionsRevoked(List.of(P0));
        callbacks.get(0).onComplete(Map.of(), new KafkaException("coordinator moved"));
        offsets.commitNow(Duration.ofSeconds(1));

        assertEquals(8, later.committed(Set.of(P1)).get(P1).offset(), "the held partition's offset is carried");
        assertTrue(later.committed(Set.of(P0)).get(P0) == null,
                "an old offset committed for a partition another member holds now");
    }

    @Test
    void aFailedAsynchronousCommitAnsweredInsideTheNextOneIsNotDropped() {
        // As the real consumer does: each commitAsync first answers the earlier ones, here with a failure.
        LateAnswers failing = new LateAnswers(true);
        failing.assign(List.of(P0, P1));
        FinishedOffsets offsets = new FinishedOffsets(failing, Duration.ZERO, warnings::add);
        offsets.finished(P0, 5);
        offsets.finished(P1, 7);
        offsets.commitWhenDue(); // fails, answered inside the next commit
        offsets.finished(P0, 9);
        offsets.commitWhenDue(); // carries P0 at 10; P1's 8 comes back from the failed one meanwhile
        offsets.commitNow(Duration.ofSeconds(1));

        assertEquals(8, failing.committed(Set.of(P1)).get(P1).offset(), "P1's finished offset was dropped");
    }

    /**
     * Kafka's in-memory consumer, with asynchronous commits answered later, as the real consumer answers them inside a
     * later poll or commit: never, until the test answers them, or with a failure inside the next commitAsync.
     */
    private static final class LateAnswers extends MockConsumer<String, byte[]> {
        final List<OffsetCommitCallback> unanswered = new ArrayList<>();
        private final boolean failEarlierOnNext;

        LateAnswers(boolean failEarlierOnNext) {
            super(AutoOffsetResetStrategy.EARLIEST.name());
            this.failEarlierOnNext = failEarlierOnNext;
        }

        @Override
        public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets,
                OffsetCommitCallback callback) {
            if (callback == null) {
                // MockConsumer's commitSync, which commits at once.
                super.commitAsync(offsets, null);
                return;
            }
            if (failEarlierOnNext) {
                List<OffsetCommitCallback> earlier = new ArrayList<>(unanswered);
                unanswered.clear();
                earlier.forEach(answer -> answer.onComplete(Map.of(), new KafkaException("coordinator moved")));
            }
            unanswered.add(callback);
        }
    }

    private long committed(TopicPartition partition) {
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.of(partition));
        return committed.get(partition).offset();
    }
}
