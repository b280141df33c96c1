package dev.slmrouter.insights.calibrate;

import dev.slmrouter.events.TaskType;
import dev.slmrouter.worker.shadow.TaskTenantFractions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The calibration's proposal as a properties file in the format the SLM worker reads
 * ({@code slm.confidence.thresholds}, the same key its environment variable or {@code SLM_ROUTER_CONFIG}
 * file sets): the current overrides with each calibrated task type's entry replaced, tenant entries and
 * other task types kept, and the evidence as comments. Nothing applies it: an operator reviews it first.
 */
public final class ProposedPolicy {

    private ProposedPolicy() {
    }

    /**
     * @param current the overrides in force ({@code slm.confidence.thresholds}), possibly blank
     * @param header  lines saying where the proposal comes from
     */
    public static String render(final String current, final Map<TaskType, Calibration.TaskCalibration> calibrations,
                                final List<String> header, final Instant now) {
        TaskTenantFractions.parse(0, current); // a broken current value is reported, not carried over
        final Set<TaskType> proposed = EnumSet.noneOf(TaskType.class);
        final StringBuilder out = new StringBuilder();
        out.append("# Proposed by `insights calibrate` at ").append(now).append(". NOT APPLIED: review it, then give it\n");
        out.append("# to the SLM worker (SLM_ROUTER_CONFIG=<this file>, or copy the line into SLM_CONFIDENCE_THRESHOLDS).\n");
        header.forEach(h -> out.append("# ").append(h).append('\n'));
        final List<String> entries = new ArrayList<>();
        calibrations.forEach((type, c) -> {
            if (c.chosen().isPresent()) {
                final Calibration.Candidate t = c.chosen().get();
                proposed.add(type);
                entries.add(type.name() + ":" + format(t.threshold()));
                out.append(String.format(Locale.ROOT, "# %s: threshold %s; %d of %d compared answers accepted, %d agree "
                                + "(%.4f, lower bound %.4f); escalation rate %.1f%%; $%.2f per million requests%n",
                        type, format(t.threshold()), t.accepted(), c.compared(), t.agreeing(), t.agreement(),
                        t.lowerBound(), 100 * t.escalationRate(), t.costPerMillionUsd()));
            } else {
                out.append("# ").append(type).append(": no threshold reaches the target on ").append(c.compared())
                        .append(" compared answers; its current setting is kept\n");
            }
        });
        final List<String> kept = new ArrayList<>();
        for (final String entry : current.split(",")) {
            final String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            final String name = e.substring(0, e.lastIndexOf(':')).trim();
            if (name.startsWith("tenant/") || !proposed.contains(TaskTenantFractions.taskType(name))) {
                kept.add(e);
            }
        }
        kept.addAll(entries);
        out.append("slm.confidence.thresholds=").append(String.join(",", kept)).append('\n');
        return out.toString();
    }

    static String format(final double threshold) {
        final String s = String.format(Locale.ROOT, "%.4f", threshold);
        return s.replaceAll("0+$", "").replaceAll("\\.$", ".0");
    }
}
