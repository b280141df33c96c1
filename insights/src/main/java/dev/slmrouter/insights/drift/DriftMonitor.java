package dev.slmrouter.insights.drift;

import dev.slmrouter.common.kafka.TimeSeek;
import dev.slmrouter.events.Alert;
import dev.slmrouter.events.Escalation;
import dev.slmrouter.events.InferenceResult;
import dev.slmrouter.events.ShadowComparison;
import dev.slmrouter.events.Tier;
import dev.slmrouter.serde.SchemaRegistryClient;
import dev.slmrouter.topics.Topics;
import dev.slmrouter.worker.outcome.OutcomeWriter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the {@link DriftDetector} from the committed results (the SLM's answers and their confidence),
 * escalations (reason and confidence) and shadow comparisons (the verdict), and sends its alerts to the
 * alerts topic with a WARN {@code ALERT} line and {@code drift_alerts_total{metric}}. At start it reads
 * back enough history for every baseline (no consumer group: the state is rebuilt from the topics, so a
 * restart needs nothing stored); windows that ended more than {@code drift.alert.lookback} before the
 * start only set the state, so a restart does not repeat old alerts (an alert within the lookback keeps
 * its id, which compaction of the alerts topic folds). Windows close on the wall clock minus
 * {@code drift.grace}, once the history is read. Every evaluated window's figures are gauges:
 * {@code drift_value} and {@code drift_baseline} tagged metric, task_type, tenant and window (1h, 1d).
 */
public final class DriftMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DriftMonitor.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final OutcomeWriter writer;
    private final Topics topics;
    private final Deserializer<InferenceResult> results;
    private final Deserializer<Escalation> escalations;
    private final Deserializer<ShadowComparison> comparisons;
    private final DriftSettings settings;
    private final DriftDetector detector;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Map<List<String>, double[]> gauges = new ConcurrentHashMap<>();
    private final AtomicLong late = new AtomicLong();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean stopped;

    public DriftMonitor(final Map<String, String> kafka, final SchemaRegistryClient registry, final Topics topics,
                        final DriftSettings settings, final MeterRegistry meters, final Clock clock) {
        final Map<String, Object> consumerConfig = new HashMap<>(kafka);
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        final Map<String, Object> producerConfig = new HashMap<>(kafka);
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
        this.writer = new OutcomeWriter(topics, registry);
        this.topics = topics;
        this.results = topics.results().valueSerde(registry).deserializer();
        this.escalations = topics.escalations().valueSerde(registry).deserializer();
        this.comparisons = topics.shadowComparisons().valueSerde(registry).deserializer();
        this.settings = settings;
        this.clock = clock;
        this.meters = meters;
        this.detector = new DriftDetector(settings, "insights-drift", this::gauge);
        Gauge.builder("drift.late.events", late, AtomicLong::get)
                .description("Events that arrived after their window was evaluated (dropped)").register(meters);
        this.thread = new Thread(this::run, "drift-monitor");
        this.thread.setDaemon(true);
    }

    public DriftMonitor start() {
        final Instant now = clock.instant();
        detector.alertsFrom(now.minus(settings.alertLookback()));
        final List<TopicPartition> partitions = new ArrayList<>();
        for (final String topic : List.of(topics.results().name(), topics.escalations().name(),
                topics.shadowComparisons().name())) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        TimeSeek.seek(consumer, partitions, now.minus(settings.history()));
        final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
        this.startEnds = ends;
        thread.start();
        LOG.info("drift monitor reading {} partitions from {} (history for the baselines)", partitions.size(),
                now.minus(settings.history()));
        return this;
    }

    private volatile Map<TopicPartition, Long> startEnds;

    /** Waits until the history is read and the windows it closed are evaluated. */
    public boolean awaitCaughtUp(final Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean alive() {
        return thread.isAlive();
    }

    private void run() {
        try {
            while (!stopped) {
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    feed(record);
                }
                if (caughtUp.getCount() > 0) {
                    final Map<TopicPartition, Long> ends = startEnds;
                    if (ends == null || ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                        continue;
                    }
                }
                for (final Alert alert : detector.advance(clock.instant().minus(settings.grace()))) {
                    LOG.warn("ALERT {}: {}", alert.getAlertId(), alert.getMessage());
                    Counter.builder("drift.alerts").tag("metric", alert.getMetric())
                            .description("Drift alerts raised, by metric").register(meters).increment();
                    for (final ProducerRecord<byte[], byte[]> out : writer.alert(alert)) {
                        producer.send(out).get(30, TimeUnit.SECONDS);
                    }
                }
                late.set(detector.late());
                caughtUp.countDown();
            }
        } catch (WakeupException e) {
            // closing
        } catch (Exception e) {
            LOG.error("drift monitor stopped: {}", e.toString(), e);
        } finally {
            consumer.close(Duration.ofSeconds(1));
        }
    }

    private void feed(final ConsumerRecord<byte[], byte[]> record) {
        try {
            final String topic = record.topic();
            if (topic.equals(topics.results().name())) {
                final InferenceResult r = results.deserialize(topic, record.headers(), record.value());
                if (r != null && r.getTier() == Tier.SLM && !r.getEscalated()) {
                    detector.answered(r.getCompletedAt(), r.getTaskType(), r.getTenant(), r.getConfidence());
                }
            } else if (topic.equals(topics.escalations().name())) {
                final Escalation e = escalations.deserialize(topic, record.headers(), record.value());
                if (e != null) {
                    detector.escalated(e.getEscalatedAt(), e.getRouted().getDecision().getTaskType(),
                            e.getRouted().getRequest().getTenant(), e.getReason(), e.getConfidence());
                }
            } else {
                final ShadowComparison c = comparisons.deserialize(topic, record.headers(), record.value());
                if (c != null && c.getAgreed() != null) {
                    detector.compared(c.getComparedAt(), c.getTaskType(), c.getTenant(), c.getAgreed());
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("drift monitor: skipping undecodable record {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.toString());
        }
    }

    /** The latest evaluated window's value and baseline, as gauges registered on first sight. */
    private void gauge(final String metric, final dev.slmrouter.events.TaskType taskType, final String tenant,
                       final String window, final double value, final double baseline) {
        final List<String> key = List.of(metric, String.valueOf(taskType), tenant, window);
        final double[] figures = gauges.computeIfAbsent(key, k -> {
            final double[] holder = new double[2];
            Gauge.builder("drift.value", holder, h -> h[0]).tag("metric", metric).tag("task_type", k.get(1))
                    .tag("tenant", tenant).tag("window", window)
                    .description("The metric over the last evaluated window").register(meters);
            Gauge.builder("drift.baseline", holder, h -> h[1]).tag("metric", metric).tag("task_type", k.get(1))
                    .tag("tenant", tenant).tag("window", window)
                    .description("The metric over that window's baseline (NaN with too few samples)").register(meters);
            return holder;
        });
        figures[0] = value;
        figures[1] = baseline;
    }

    @Override
    public void close() {
        stopped = true;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
