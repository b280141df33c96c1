package dev.slmrouter.serde;

import org.apache.avro.Schema;

/**
 * Chooses the registry subject a serializer registers its schema under, as Confluent's strategies
 * of the same names do, so that Confluent's own clients find the same subjects. TopicName
 * ({@code <topic>-value} / {@code <topic>-key}) is the default and what the registry's
 * compatibility checks are configured for.
 */
@FunctionalInterface
public interface SubjectNameStrategy {

    /** {@code <topic>-key} or {@code <topic>-value}. */
    SubjectNameStrategy TOPIC_NAME = (topic, isKey, schema) -> topic + (isKey ? "-key" : "-value");

    /** The record's full name, whatever the topic. */
    SubjectNameStrategy RECORD_NAME = (topic, isKey, schema) -> schema.getFullName();

    /** {@code <topic>-<record full name>}. */
    SubjectNameStrategy TOPIC_RECORD_NAME = (topic, isKey, schema) -> topic + "-" + schema.getFullName();

    String subjectName(String topic, boolean isKey, Schema schema);
}
