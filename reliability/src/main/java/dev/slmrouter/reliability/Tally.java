package dev.slmrouter.reliability;

import dev.slmrouter.events.DeadLetter;
import dev.slmrouter.events.Escalation;
import dev.slmrouter.events.InferenceResult;
import dev.slmrouter.events.Tier;
import dev.slmrouter.serde.SchemaRegistryClient;
import dev.slmrouter.topics.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The exactly-once check, done the way Kafka's own transaction system tests do it: read every outcome
 * topic to its end with a read_committed consumer and compare with what was produced. Every produced
 * record must end as exactly one outcome: a dead letter naming its own partition and offset, or (for the
 * first record carrying a request id) exactly one result, or a dead letter of a later stage carrying the
 * request id. A second record with the same request id may not add a result. Every escalation must have
 * its final result.
 */
final class Tally {

    /** A record the suite produced to the requests topic. */
    record Produced(String requestId, int partition, long offset) {
    }

    private final Map<Long, Produced> produced = new ConcurrentHashMap<>();
    private final String bootstrap;
    private final Topics topics;
    private final Deserializer<InferenceResult> results;
    private final Deserializer<DeadLetter> deadLetters;
    private final Deserializer<Escalation> escalations;

    Tally(final String bootstrap, final Topics topics, final SchemaRegistryClient registry) {
        this.bootstrap = bootstrap;
        this.topics = topics;
        this.results = topics.results().valueSerde(registry).deserializer();
        this.deadLetters = topics.deadLetters().valueSerde(registry).deserializer();
        this.escalations = topics.escalations().valueSerde(registry).deserializer();
    }

    /** Notes a produced record (requestId null for bytes that carry none). */
    void produced(final String requestId, final int partition, final long offset) {
        produced.put(key(partition, offset), new Produced(requestId, partition, offset));
    }

    int producedCount() {
        return produced.size();
    }

    private static long key(final int partition, final long offset) {
        return ((long) partition << 48) | offset;
    }

    /** What the outcome topics hold now, checked against what was produced. */
    Verdict check() {
        final Map<String, Integer> resultsById = new HashMap<>();
        final Map<String, Integer> escalatedIds = new HashMap<>();
        final Map<Long, Integer> routerLetters = new HashMap<>();
        final Map<String, Integer> laterLetters = new HashMap<>();
        final Map<String, Integer> lettersByReason = new HashMap<>();
        double gptCost = 0;
        final Map<String, Integer> byStatus = new HashMap<>();
        for (final ConsumerRecord<byte[], byte[]> record : readAll(topics.results().name())) {
            final InferenceResult r = results.deserialize(record.topic(), record.headers(), record.value());
            resultsById.merge(r.getRequestId(), 1, Integer::sum);
            byStatus.merge(r.getTier() + " " + r.getStatus(), 1, Integer::sum);
            if (r.getTier() == Tier.GPT) {
                gptCost += r.getCostUsd();
            }
        }
        for (final ConsumerRecord<byte[], byte[]> record : readAll(topics.escalations().name())) {
            final Escalation e = escalations.deserialize(record.topic(), record.headers(), record.value());
            escalatedIds.merge(e.getRouted().getRequest().getRequestId(), 1, Integer::sum);
        }
        for (final ConsumerRecord<byte[], byte[]> record : readAll(topics.deadLetters().name())) {
            final DeadLetter d = deadLetters.deserialize(record.topic(), record.headers(), record.value());
            lettersByReason.merge(d.getStage() + " " + d.getReason(), 1, Integer::sum);
            if (d.getSourceTopic().equals(topics.requests().name())) {
                routerLetters.merge(key(d.getSourcePartition(), d.getSourceOffset()), 1, Integer::sum);
            } else {
                laterLetters.merge(String.valueOf(d.getRequestId()), 1, Integer::sum);
            }
        }
        int lost = 0;
        int doubled = 0;
        final List<String> examples = new ArrayList<>();
        final Set<String> seenIds = new HashSet<>();
        final List<Produced> inOrder = new ArrayList<>(produced.values());
        inOrder.sort((a, b) -> a.partition != b.partition ? Integer.compare(a.partition, b.partition)
                : Long.compare(a.offset, b.offset));
        for (final Produced p : inOrder) {
            int outcomes = routerLetters.getOrDefault(key(p.partition, p.offset), 0);
            if (p.requestId != null && seenIds.add(p.requestId)) {
                outcomes += resultsById.getOrDefault(p.requestId, 0) + laterLetters.getOrDefault(p.requestId, 0);
            }
            if (outcomes == 0) {
                lost++;
                if (examples.size() < 10) {
                    examples.add("lost: " + p);
                }
            } else if (outcomes > 1) {
                doubled++;
                if (examples.size() < 10) {
                    examples.add("doubled (" + outcomes + "): " + p);
                }
            }
        }
        int unexpected = 0;
        for (final String id : resultsById.keySet()) {
            if (!seenIds.contains(id)) {
                unexpected++;
            }
        }
        int escalationsWithoutResult = 0;
        for (final String id : escalatedIds.keySet()) {
            if (!resultsById.containsKey(id)) {
                escalationsWithoutResult++;
            }
        }
        final int resultCount = resultsById.values().stream().mapToInt(Integer::intValue).sum();
        final int letterCount = routerLetters.values().stream().mapToInt(Integer::intValue).sum()
                + laterLetters.values().stream().mapToInt(Integer::intValue).sum();
        return new Verdict(inOrder.size(), resultCount, letterCount, escalatedIds.size(), lost, doubled, unexpected,
                escalationsWithoutResult, gptCost, byStatus, lettersByReason, examples);
    }

    /** Results plus dead letters committed so far (progress; cheaper than {@link #check}). */
    long outcomesSoFar() {
        return TopicReader.size(bootstrap, topics.results().name()) + TopicReader.size(bootstrap, topics.deadLetters().name());
    }

    private List<ConsumerRecord<byte[], byte[]>> readAll(final String topic) {
        return TopicReader.readCommitted(bootstrap, topic);
    }

    /** The outcome of a check. */
    record Verdict(int produced, int results, int deadLetters, int escalated, int lost, int doubled, int unexpected,
                   int escalationsWithoutResult, double gptCostUsd, Map<String, Integer> resultsByTierAndStatus,
                   Map<String, Integer> deadLettersByReason, List<String> examples) {

        boolean exactlyOnce() {
            return lost == 0 && doubled == 0 && unexpected == 0 && escalationsWithoutResult == 0;
        }
    }
}
