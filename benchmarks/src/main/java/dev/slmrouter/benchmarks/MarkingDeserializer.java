package dev.slmrouter.benchmarks;

import java.nio.ByteBuffer;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Wraps the router's request deserializer to note each record that reaches the route processor (when
 * the first did, and how many have), so a throughput run is timed and counted from its start rather than
 * from {@code start()} (which would add group join, transaction init and state restore to every run). Every call is passed
 * on unchanged, through the same overload, so the decode path is the production one.
 */
final class MarkingDeserializer<T> implements Deserializer<T> {

    private final Deserializer<T> delegate;
    private final RouterThroughput.FirstRecord first;

    MarkingDeserializer(final Deserializer<T> delegate, final RouterThroughput.FirstRecord first) {
        this.delegate = delegate;
        this.first = first;
    }

    @Override
    public T deserialize(final String topic, final byte[] data) {
        first.mark();
        return delegate.deserialize(topic, data);
    }

    @Override
    public T deserialize(final String topic, final Headers headers, final byte[] data) {
        first.mark();
        return delegate.deserialize(topic, headers, data);
    }

    @Override
    public T deserialize(final String topic, final Headers headers, final ByteBuffer data) {
        first.mark();
        return delegate.deserialize(topic, headers, data);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
