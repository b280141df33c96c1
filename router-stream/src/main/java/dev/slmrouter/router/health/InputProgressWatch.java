package dev.slmrouter.router.health;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs {@link InputProgress#check} every {@link #INTERVAL} on a daemon thread with an admin client of its own. */
public final class InputProgressWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InputProgressWatch.class);
    static final Duration INTERVAL = Duration.ofSeconds(15);

    private final Admin admin;
    private final ScheduledExecutorService timer;

    private InputProgressWatch(final Admin admin, final ScheduledExecutorService timer) {
        this.admin = admin;
        this.timer = timer;
    }

    /** @param kafka Kafka client settings (bootstrap.servers, TLS/SASL) */
    public static InputProgressWatch start(final Map<String, String> kafka, final InputProgress progress) {
        final Map<String, Object> props = new HashMap<>(kafka);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "router-input-progress");
        final Admin admin = Admin.create(props);
        final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(run -> {
            final Thread thread = new Thread(run, "router-input-progress");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                progress.check(admin);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                // The broker may be restarting: the next check tries again, the figures keep their last values.
                LOG.warn("Cannot read the input's offsets to check the router's progress: {}", e.toString());
            }
        }, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return new InputProgressWatch(admin, timer);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        admin.close(Duration.ofSeconds(5));
    }
}
