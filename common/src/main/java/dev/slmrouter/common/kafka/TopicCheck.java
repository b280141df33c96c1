package dev.slmrouter.common.kafka;

import dev.slmrouter.common.config.ConfigException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The start-up check every service makes: its topics exist. A service whose topics are missing stops
 * with a message naming them (and the broker), instead of waiting forever or auto-creating topics with
 * the wrong partition count and retention.
 */
public final class TopicCheck {

    private TopicCheck() {
    }

    /**
     * @param kafka Kafka client settings (bootstrap.servers, TLS/SASL)
     * @throws ConfigException naming the missing topics, or the broker that cannot be reached
     */
    public static void requireTopics(final Map<String, String> kafka, final Collection<String> topics) {
        final Map<String, Object> props = new HashMap<>(kafka);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
        final String servers = kafka.get("bootstrap.servers");
        try (Admin admin = Admin.create(props)) {
            final Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            final List<String> missing = new ArrayList<>(topics);
            missing.removeAll(existing);
            if (!missing.isEmpty()) {
                throw new ConfigException("Topics " + missing + " do not exist on " + servers
                        + "; create them first (see 'Topics' in the README)");
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new ConfigException("Cannot reach Kafka at " + servers + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("Interrupted while checking topics", e);
        }
    }
}
