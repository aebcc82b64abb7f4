package dev.thumbnail.testfixtures;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;


/** Plain Kafka clients against the test broker, to play the worker's side of the topics. */
public final class TestKafka {

    private TestKafka() {
    }

    /** Sends one record and waits for the broker's acknowledgement; where it went. */
    public static RecordMetadata send(String topic, String key, String value) {
        return send(bootstrap(), topic, key, value);
    }

    /** {@link #send(String, String, String)} to the broker at {@code bootstrap}. */
    public static RecordMetadata send(String bootstrap, String topic, String key, String value) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            return producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot send to " + topic, e);
        }
    }

    /** Every record of {@code topic} from the beginning, read until {@code quiet} passes without new ones. */
    public static List<ConsumerRecord<String, String>> readAll(String topic, Duration quiet) {
        return readAll(bootstrap(), topic, quiet);
    }

    /** {@link #readAll(String, Duration)} from the broker at {@code bootstrap}. */
    public static List<ConsumerRecord<String, String>> readAll(String bootstrap, String topic, Duration quiet) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            boolean assigned = false;
            while (System.nanoTime() < deadline) {
                var batch = consumer.poll(quiet);
                assigned |= !consumer.assignment().isEmpty();
                batch.forEach(records::add);
                if (assigned && batch.isEmpty()) {
                    break;
                }
            }
        }
        return records;
    }

    public static String bootstrap() {
        return SharedInfrastructure.get().kafka().bootstrapServers();
    }
}
