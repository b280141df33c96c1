package dev.slmrouter.benchmarks.slm;

import dev.slmrouter.common.config.Settings;
import dev.slmrouter.slm.SlmWorkerApp;
import dev.slmrouter.slm.SlmWorkerConfig;
import dev.slmrouter.topics.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One run of the real SLM worker ({@link SlmWorkerApp}, exactly-once transactional loop) over the
 * pre-produced requests: a fresh consumer group and transactional id (so it reads the input from the
 * start), {@code slm.max.in.flight} as given, the benchmark's base settings and any {@code --set}
 * overrides. The run is timed by an {@link OutcomeCounter} from the first committed outcome it sees to
 * the last; the worker's CPU is that of its own threads (call threads, loop and commit threads, and its
 * Kafka clients' threads, recognized by the run's unique group and transactional ids), sampled before
 * the worker is closed, as are a few of its own meters ({@link WorkerMeters}: commits, micro-batches,
 * vLLM latency). A run that reaches {@code stopAfter} outcomes before the input is exhausted
 * (the warm-up) simply closes the worker there.
 */
final class WorkerRun {

    private final Map<String, String> baseSettings;
    private final Topics topics;
    private int runNo;

    WorkerRun(final Map<String, String> baseSettings, final Topics topics) {
        this.baseSettings = Map.copyOf(baseSettings);
        this.topics = topics;
    }

    /** The settings a worker run gets with {@code inFlight} calls and the given tag in its ids. */
    Map<String, String> settings(final int inFlight, final String tag) {
        final Map<String, String> settings = new HashMap<>(baseSettings);
        settings.put("slm.group.id", "slm-bench-group-" + tag);
        settings.put("slm.transactional.id", "slm-bench-tx-" + tag);
        settings.put("slm.max.in.flight", String.valueOf(inFlight));
        return settings;
    }

    Measurement run(final String label, final int inFlight, final int stopAfter, final Duration timeout) {
        return run(label, inFlight, stopAfter, timeout, Map.of());
    }

    /** A run with {@code extra} settings on top of the base settings. */
    Measurement run(final String label, final int inFlight, final int stopAfter, final Duration timeout,
                    final Map<String, String> extra) {
        final String tag = (++runNo) + "-" + Long.toString(System.nanoTime() & 0xffffff, 36);
        final Map<String, String> settings = settings(inFlight, tag);
        settings.putAll(extra);
        try (OutcomeCounter counter = new OutcomeCounter(settings.get("kafka.bootstrap.servers"),
                List.of(topics.results().name(), topics.escalations().name(), topics.deadLetters().name()),
                topics.deadLetters().name())) {
            final ThreadCpu.Snapshot before = ThreadCpu.snapshot();
            final long started = System.nanoTime();
            final SlmWorkerApp worker = SlmWorkerApp.start(SlmWorkerConfig.from(Settings.of(settings)));
            final long startupMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            final OutcomeCounter.Counted counted;
            final ThreadCpu.Snapshot after;
            final WorkerMeters meters;
            try {
                counted = counter.await(stopAfter, timeout);
                after = ThreadCpu.snapshot();
                meters = WorkerMeters.scrape(worker.metricsPort());
            } finally {
                worker.close();
            }
            final long workerCpu = after.threadsSince(before, name -> name.startsWith("slm-call-")
                    || name.startsWith("worker-loop-slm") || name.startsWith("slm-health-probe") || name.contains(tag));
            final double byCreateTime = counted.lastCreateMillis() <= counted.firstCreateMillis() ? 0
                    : (counted.count() - 1) * 1e3 / (counted.lastCreateMillis() - counted.firstCreateMillis());
            final String detail = String.format(Locale.ROOT, "first outcome committed %,d ms after start() returned"
                            + " (start() took %,d ms), %,d in the first poll, rate by the outcomes' send times %,.1f req/s,"
                            + " %,d distinct request ids, %d dead letters; %s",
                    TimeUnit.NANOSECONDS.toMillis(counted.firstSeenNanos() - started) - startupMillis, startupMillis,
                    counted.atFirst(), byCreateTime, counted.distinctKeys(), counted.deadLetters(),
                    meters == null ? "worker meters not readable" : meters.line());
            return new Measurement(label, inFlight, counted.count(), counted.atFirst(),
                    counted.lastSeenNanos() - counted.firstSeenNanos(), Math.max(0, stopAfter - counted.count()), workerCpu,
                    after.processSince(before), detail);
        }
    }
}
