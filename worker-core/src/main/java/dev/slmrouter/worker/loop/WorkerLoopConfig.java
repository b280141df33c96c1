package dev.slmrouter.worker.loop;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Settings of one {@link WorkerLoop}: the Kafka client settings (bootstrap servers, timeouts, security, as
 * plain maps), the consumer group, the stable transactional id of this worker instance, the topics, and
 * the loop's own limits. The loop sets what exactly-once needs and refuses a map that contradicts it:
 * consumer {@code enable.auto.commit=false}, {@code isolation.level=read_committed}, {@code group.id};
 * producer {@code transactional.id}, {@code enable.idempotence=true}, {@code acks=all}; unless given, the
 * producer's {@code retry.backoff.ms} is 20 (see {@link #DEFAULT_PRODUCER_RETRY_BACKOFF_MS}). Keys and values are
 * bytes (the handler decodes and encodes). Memory is bounded: at most {@code maxInFlight} records in the
 * handler, and at most {@code maxBuffered} records fetched but not yet committed (pending, in flight, or
 * done and held behind a slower record of the same partition); the loop pauses its partitions before a
 * poll could pass either limit ({@code max.poll.records} defaults to {@code maxInFlight}). Build with
 * {@link #builder()}.
 */
public final class WorkerLoopConfig {

    public static final int DEFAULT_MAX_IN_FLIGHT = 32;
    public static final int DEFAULT_MAX_BUFFERED = 2_000;
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(100);
    public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(100);
    /** The producer's {@code retry.backoff.ms} unless given (Kafka's default is 100). */
    public static final int DEFAULT_PRODUCER_RETRY_BACKOFF_MS = 20;
    public static final Duration DEFAULT_RESTART_BACKOFF = Duration.ofSeconds(1);
    public static final int DEFAULT_MAX_CONSECUTIVE_RESTARTS = 5;

    private final String name;
    private final String groupId;
    private final String transactionalId;
    private final List<String> topics;
    private final Map<String, Object> consumerConfig;
    private final Map<String, Object> producerConfig;
    private final int maxInFlight;
    private final int maxBuffered;
    private final int batchSize;
    private final Duration batchMaxWait;
    private final Duration commitInterval;
    private final Duration pollTimeout;
    private final Duration restartBackoff;
    private final int maxConsecutiveRestarts;
    private final int maxPollRecords;

    private WorkerLoopConfig(final Builder b) {
        this.name = b.name != null ? b.name : b.transactionalId;
        this.groupId = b.groupId;
        this.transactionalId = b.transactionalId;
        this.topics = List.copyOf(b.topics);
        this.maxInFlight = b.maxInFlight;
        this.maxBuffered = b.maxBuffered;
        this.batchSize = b.batchSize;
        this.batchMaxWait = b.batchMaxWait;
        this.commitInterval = b.commitInterval;
        this.pollTimeout = b.pollTimeout;
        this.restartBackoff = b.restartBackoff;
        this.maxConsecutiveRestarts = b.maxConsecutiveRestarts;
        this.consumerConfig = Map.copyOf(consumerSettings(b.consumerConfig));
        this.producerConfig = Map.copyOf(producerSettings(b.producerConfig));
        this.maxPollRecords = Integer.parseInt(String.valueOf(consumerConfig.get(ConsumerConfig.MAX_POLL_RECORDS_CONFIG)));
        if (maxBuffered < maxInFlight + maxPollRecords) {
            throw new IllegalArgumentException("maxBuffered (" + maxBuffered + ") must be at least maxInFlight ("
                    + maxInFlight + ") + max.poll.records (" + maxPollRecords + "), or the loop could not keep the "
                    + "handler busy");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    private Map<String, Object> consumerSettings(final Map<String, Object> given) {
        final Map<String, Object> config = new HashMap<>(given);
        enforce(config, ConsumerConfig.GROUP_ID_CONFIG, groupId);
        enforce(config, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        enforce(config, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // A worker that finds no committed offset must answer what is there, not skip to the end.
        config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // A missing topic is a deployment error to report at start, not something to create silently.
        config.putIfAbsent(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        // One poll hands out at most this many records; with the pause rule this bounds the pending queue.
        config.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.max(maxInFlight, batchSize));
        return config;
    }

    private Map<String, Object> producerSettings(final Map<String, Object> given) {
        final Map<String, Object> config = new HashMap<>(given);
        enforce(config, ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        enforce(config, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        if ("-1".equals(String.valueOf(config.get(ProducerConfig.ACKS_CONFIG)))) {
            config.put(ProducerConfig.ACKS_CONFIG, "all");
        }
        enforce(config, ProducerConfig.ACKS_CONFIG, "all");
        // With transactions v2 (Kafka 4) a transaction's first write to a partition adds the partition on the
        // broker, which answers CONCURRENT_TRANSACTIONS while the previous transaction's markers are still
        // being written (it retries that itself for up to 100 ms first). The producer then retries after
        // retry.backoff.ms, 100 ms by default; the 20 ms the client used for this case before v2 (KAFKA-5477)
        // keeps such a transaction, and the commit that waits for it, short. Later batches of the partition
        // sent meanwhile are refused as out of order (the broker's ERROR "Expected sequence 0 for
        // transactions v2 idempotent producer with no existing state") and retried in order: benign.
        config.putIfAbsent(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, DEFAULT_PRODUCER_RETRY_BACKOFF_MS);
        return config;
    }

    private static void enforce(final Map<String, Object> config, final String key, final String value) {
        final Object given = config.get(key);
        if (given != null && !String.valueOf(given).trim().toLowerCase(Locale.ROOT).equals(value.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("the worker loop needs " + key + "=" + value + " for exactly-once, but "
                    + key + "=" + given + " was given");
        }
        config.put(key, value);
    }

    /** Names the loop's thread, log lines and metrics (tag {@code loop}); defaults to the transactional id. */
    public String name() {
        return name;
    }

    public String groupId() {
        return groupId;
    }

    public String transactionalId() {
        return transactionalId;
    }

    public List<String> topics() {
        return topics;
    }

    /** The consumer settings with what the loop enforces applied. */
    public Map<String, Object> consumerConfig() {
        return consumerConfig;
    }

    /** The producer settings with what the loop enforces applied. */
    public Map<String, Object> producerConfig() {
        return producerConfig;
    }

    public int maxInFlight() {
        return maxInFlight;
    }

    public int maxBuffered() {
        return maxBuffered;
    }

    /** The consumer's {@code max.poll.records}: the most one poll can add to the buffered records. */
    public int maxPollRecords() {
        return maxPollRecords;
    }

    public int batchSize() {
        return batchSize;
    }

    public Duration batchMaxWait() {
        return batchMaxWait;
    }

    public Duration commitInterval() {
        return commitInterval;
    }

    public Duration pollTimeout() {
        return pollTimeout;
    }

    public Duration restartBackoff() {
        return restartBackoff;
    }

    public int maxConsecutiveRestarts() {
        return maxConsecutiveRestarts;
    }

    /** Builder of {@link WorkerLoopConfig}; group id, transactional id, topics and bootstrap servers are required. */
    public static final class Builder {

        private String name;
        private String groupId;
        private String transactionalId;
        private List<String> topics = List.of();
        private final Map<String, Object> consumerConfig = new HashMap<>();
        private final Map<String, Object> producerConfig = new HashMap<>();
        private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
        private int maxBuffered = DEFAULT_MAX_BUFFERED;
        private int batchSize = 1;
        private Duration batchMaxWait = Duration.ZERO;
        private Duration commitInterval = DEFAULT_COMMIT_INTERVAL;
        private Duration pollTimeout = DEFAULT_POLL_TIMEOUT;
        private Duration restartBackoff = DEFAULT_RESTART_BACKOFF;
        private int maxConsecutiveRestarts = DEFAULT_MAX_CONSECUTIVE_RESTARTS;

        private Builder() {
        }

        /** Sets {@code bootstrap.servers} for both clients. */
        public Builder bootstrapServers(final String bootstrapServers) {
            consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            return this;
        }

        /** Extra consumer settings (applied over earlier ones). */
        public Builder consumerConfig(final Map<String, ?> config) {
            consumerConfig.putAll(config);
            return this;
        }

        /** Extra producer settings (applied over earlier ones), e.g. {@code transaction.timeout.ms}. */
        public Builder producerConfig(final Map<String, ?> config) {
            producerConfig.putAll(config);
            return this;
        }

        public Builder name(final String name) {
            this.name = name;
            return this;
        }

        public Builder groupId(final String groupId) {
            this.groupId = groupId;
            return this;
        }

        /**
         * The transactional id of this worker instance: stable across restarts of the same instance (so a
         * restarted instance fences its predecessor and aborts its open transaction), unique among live
         * instances (two live instances with one id fence each other).
         */
        public Builder transactionalId(final String transactionalId) {
            this.transactionalId = transactionalId;
            return this;
        }

        public Builder topics(final List<String> topics) {
            this.topics = List.copyOf(topics);
            return this;
        }

        public Builder topics(final String... topics) {
            return topics(List.of(topics));
        }

        /** Records in the handler at once (default 32); pauses the partitions when reached. */
        public Builder maxInFlight(final int maxInFlight) {
            this.maxInFlight = maxInFlight;
            return this;
        }

        /** Records fetched but not yet committed, in any state (default 2,000); pauses when reached. */
        public Builder maxBuffered(final int maxBuffered) {
            this.maxBuffered = maxBuffered;
            return this;
        }

        /**
         * Records per {@link RecordHandler#handleBatch} call (default 1): a batch is handed over when this
         * many records are pending or the oldest has waited {@link #batchMaxWait}.
         */
        public Builder batchSize(final int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder batchMaxWait(final Duration batchMaxWait) {
            this.batchMaxWait = batchMaxWait;
            return this;
        }

        /**
         * How long a transaction stays open (default 100 ms): outcomes are sent as soon as their offsets
         * are contiguous and committed with the offsets at most this long after the transaction began.
         * Shorter means lower end-to-end latency and more transactions; it must stay well below the
         * producer's {@code transaction.timeout.ms}.
         */
        public Builder commitInterval(final Duration commitInterval) {
            this.commitInterval = commitInterval;
            return this;
        }

        /** The longest single poll (default 100 ms): how soon a reopened gate or a close is noticed. */
        public Builder pollTimeout(final Duration pollTimeout) {
            this.pollTimeout = pollTimeout;
            return this;
        }

        /** Pause before recreating the clients after a transaction failure (default 1 s). */
        public Builder restartBackoff(final Duration restartBackoff) {
            this.restartBackoff = restartBackoff;
            return this;
        }

        /** Restarts without a successful commit in between before the loop gives up (default 5). */
        public Builder maxConsecutiveRestarts(final int maxConsecutiveRestarts) {
            this.maxConsecutiveRestarts = maxConsecutiveRestarts;
            return this;
        }

        public WorkerLoopConfig build() {
            require(groupId != null && !groupId.isBlank(), "a group id is required");
            require(transactionalId != null && !transactionalId.isBlank(), "a transactional id is required");
            require(!topics.isEmpty(), "at least one topic is required");
            require(consumerConfig.containsKey(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)
                    && producerConfig.containsKey(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG), "bootstrap servers are required");
            require(maxInFlight >= 1, "maxInFlight must be at least 1");
            require(batchSize >= 1 && batchSize <= maxInFlight, "batchSize must be between 1 and maxInFlight");
            require(maxConsecutiveRestarts >= 0, "maxConsecutiveRestarts must not be negative");
            positive(commitInterval, "commitInterval");
            positive(pollTimeout, "pollTimeout");
            Objects.requireNonNull(batchMaxWait, "batchMaxWait");
            Objects.requireNonNull(restartBackoff, "restartBackoff");
            require(!batchMaxWait.isNegative() && !restartBackoff.isNegative(), "durations must not be negative");
            return new WorkerLoopConfig(this);
        }

        private static void positive(final Duration duration, final String what) {
            require(duration != null && !duration.isNegative() && !duration.isZero(), what + " must be positive");
        }

        private static void require(final boolean condition, final String message) {
            if (!condition) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
