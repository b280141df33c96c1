package dev.slmrouter.insights.drift;

import dev.slmrouter.events.Alert;
import dev.slmrouter.events.AlertKind;
import dev.slmrouter.events.EscalationReason;
import dev.slmrouter.events.TaskType;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Hourly and daily windows (UTC) per task type and tenant of what the SLM did — escalation rate by reason,
 * schema-fail rate, confidence — and of shadow agreement, each compared when it closes with its baseline:
 * the previous {@code drift.baseline.hours} hourly or {@code drift.baseline.days} daily windows pooled.
 * A metric that moves beyond its bound in its bad direction, with enough samples on both sides, raises
 * one alert; the metric (per task type and tenant) then stays "in drift" without further alerts until a
 * window (of either size) is back within the bound of the baseline the alert was raised from, so a
 * lasting drop raises one alert, not one per hour, nor a second from the daily window. Event time decides the window; events for a window already
 * evaluated are counted late and dropped. Not thread-safe: one reader feeds it.
 */
public final class DriftDetector {

    /** A window size with the number of earlier windows that form its baseline. */
    enum Granularity {
        HOUR(Duration.ofHours(1), ChronoUnit.HOURS, "1h"), DAY(Duration.ofDays(1), ChronoUnit.DAYS, "1d");

        final Duration size;
        final ChronoUnit unit;
        final String label;

        Granularity(final Duration size, final ChronoUnit unit, final String label) {
            this.size = size;
            this.unit = unit;
            this.label = label;
        }
    }

    /** Told the figures of every evaluated window, for dashboards. */
    public interface Listener {
        void evaluated(String metric, TaskType taskType, String tenant, String window, double value, double baseline);
    }

    private record Scope(TaskType taskType, String tenant) {
    }

    private record WindowKey(Granularity granularity, Instant start, Scope scope) {
        Instant end() {
            return start.plus(granularity.size);
        }
    }

    private final DriftSettings settings;
    private final List<DriftMetric> metrics;
    private final String source;
    private final Listener listener;
    private final Map<WindowKey, WindowStats> windows = new HashMap<>();
    /** metric|task|tenant -> the baseline value of the open alert (the metric is in drift until back near it). */
    private final Map<String, Double> inDrift = new HashMap<>();
    private long late;
    /** Windows ending before it raise no alerts (history replayed at start), only open and close episodes. */
    private Instant alertsFrom = Instant.MIN;
    /** The last {@link #advance} watermark: windows ending at or before it are closed. */
    private Instant watermark;

    public DriftDetector(final DriftSettings settings, final String source, final Listener listener) {
        this.settings = settings;
        this.metrics = DriftMetric.all(settings);
        this.source = source;
        this.listener = listener;
    }

    public void answered(final Instant at, final TaskType taskType, final String tenant, final Double confidence) {
        forEachWindow(at, taskType, tenant, s -> s.answered(confidence));
    }

    public void escalated(final Instant at, final TaskType taskType, final String tenant, final EscalationReason reason,
                          final Double confidence) {
        forEachWindow(at, taskType, tenant, s -> s.escalated(reason, confidence));
    }

    public void compared(final Instant at, final TaskType taskType, final String tenant, final boolean agreed) {
        forEachWindow(at, taskType, tenant, s -> s.compared(agreed));
    }

    /** Windows that ended before {@code from} only set the state (in drift or not); they raise no alert. */
    public void alertsFrom(final Instant from) {
        this.alertsFrom = from;
    }

    /** The metrics in drift now, as {@code metric|TASK_TYPE|tenant} (for a report's drift status). */
    public java.util.Set<String> inDrift() {
        return java.util.Set.copyOf(inDrift.keySet());
    }

    /** Events that came after their window was evaluated. */
    public long late() {
        return late;
    }

    private void forEachWindow(final Instant at, final TaskType taskType, final String tenant,
                               final java.util.function.Consumer<WindowStats> update) {
        final Scope scope = new Scope(taskType == null ? TaskType.UNKNOWN : taskType, tenant);
        boolean counted = false;
        for (final Granularity g : Granularity.values()) {
            final WindowKey key = new WindowKey(g, start(at, g), scope);
            // A window that has closed (evaluated, or already pruned) takes nothing more.
            if (watermark != null && !key.end().isAfter(watermark)) {
                if (!counted) {
                    late++;
                    counted = true;
                }
                continue;
            }
            update.accept(windows.computeIfAbsent(key, k -> new WindowStats()));
        }
    }

    private static Instant start(final Instant at, final Granularity g) {
        return at.truncatedTo(g.unit);
    }

    /**
     * Evaluates every window that ended at or before {@code watermark}, oldest first (an hour before the
     * day that ends with it), and returns the alerts they raise.
     */
    public List<Alert> advance(final Instant watermark) {
        final List<WindowKey> closing = new ArrayList<>();
        windows.forEach((key, stats) -> {
            if (!stats.evaluated && !key.end().isAfter(watermark)) {
                closing.add(key);
            }
        });
        closing.sort(Comparator.comparing(WindowKey::end).thenComparing(k -> k.granularity().size));
        final List<Alert> alerts = new ArrayList<>();
        for (final WindowKey key : closing) {
            evaluate(key, watermark, alerts);
            windows.get(key).evaluated = true;
        }
        prune(watermark);
        if (this.watermark == null || watermark.isAfter(this.watermark)) {
            this.watermark = watermark;
        }
        return alerts;
    }

    private void evaluate(final WindowKey key, final Instant now, final List<Alert> alerts) {
        final WindowStats window = windows.get(key);
        final int baselineWindows = key.granularity() == Granularity.HOUR ? settings.baselineHours() : settings.baselineDays();
        final WindowStats baseline = new WindowStats();
        for (int i = 1; i <= baselineWindows; i++) {
            final WindowStats before = windows.get(new WindowKey(key.granularity(),
                    key.start().minus(key.granularity().size.multipliedBy(i)), key.scope()));
            if (before != null) {
                baseline.add(before);
            }
        }
        for (final DriftMetric metric : metrics) {
            final long samples = metric.reading().samples(window);
            if (samples == 0) {
                continue;
            }
            final double after = metric.reading().value(window);
            final boolean comparable = samples >= settings.minSamples()
                    && metric.reading().samples(baseline) >= settings.minSamples();
            final double before = comparable ? metric.reading().value(baseline) : Double.NaN;
            listener.evaluated(metric.name(), key.scope().taskType(), key.scope().tenant(), key.granularity().label,
                    after, before);
            if (!comparable) {
                continue;
            }
            final String episode = metric.name() + "|" + key.scope().taskType() + "|" + key.scope().tenant();
            final Double reference = inDrift.get(episode);
            if (reference != null) {
                // In drift: the baseline drifts along with the metric, so recovery is judged against the
                // baseline the alert was raised from, not the current one.
                if (!beyond(metric, reference, after)) {
                    inDrift.remove(episode);
                }
            } else if (beyond(metric, before, after)) {
                inDrift.put(episode, before);
                if (!key.end().isBefore(alertsFrom)) {
                    alerts.add(alert(metric, key, baselineWindows, before, after, now));
                }
            }
        }
    }

    /** Moved beyond the bound in the bad direction; a small epsilon keeps a move of exactly the bound quiet. */
    private static boolean beyond(final DriftMetric metric, final double before, final double after) {
        final double moved = metric.badWhenRising() ? after - before : before - after;
        return moved > metric.bound() + 1e-12;
    }

    private Alert alert(final DriftMetric metric, final WindowKey key, final int baselineWindows, final double before,
                        final double after, final Instant now) {
        final String window = key.granularity().label + " " + key.start() + " vs the " + baselineWindows + " "
                + key.granularity().label + " windows before";
        return Alert.newBuilder()
                .setAlertId("drift/" + metric.name() + "/" + key.scope().taskType() + "/" + key.scope().tenant() + "/"
                        + key.granularity().label + "/" + key.start())
                .setKind(AlertKind.DRIFT)
                .setScope("task_type")
                .setTenant(key.scope().tenant())
                .setTaskType(key.scope().taskType())
                .setMetric(metric.name())
                .setWindow(window)
                .setBeforeValue(before)
                .setAfterValue(after)
                .setBound(metric.bound())
                .setMessage(String.format(Locale.ROOT, "%s of %s for tenant %s moved from %.4f to %.4f (%s; bound %.4f)",
                        metric.name(), key.scope().taskType(), key.scope().tenant(), before, after, window, metric.bound()))
                .setSource(source)
                .setCreatedAt(now)
                .build();
    }

    /** Drops windows no baseline will need again. */
    private void prune(final Instant watermark) {
        final Instant hourCutoff = watermark.minus(Duration.ofHours(settings.baselineHours() + 2L));
        final Instant dayCutoff = watermark.minus(Duration.ofDays(settings.baselineDays() + 2L));
        windows.entrySet().removeIf(e -> e.getValue().evaluated && e.getKey().start().isBefore(
                e.getKey().granularity() == Granularity.HOUR ? hourCutoff : dayCutoff));
    }
}
