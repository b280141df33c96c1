package dev.slmrouter.insights.calibrate;

import dev.slmrouter.events.ComparisonKind;
import dev.slmrouter.events.EscalationReason;
import dev.slmrouter.events.ShadowComparison;
import dev.slmrouter.events.ShadowMode;
import dev.slmrouter.events.TaskType;
import java.time.Instant;

/** Shadow comparisons for tests. */
public final class Comparisons {

    private Comparisons() {
    }

    public static ShadowComparison of(final String id, final TaskType type, final String tenant, final double confidence,
                                      final Boolean agreed, final EscalationReason reason, final Instant at) {
        return ShadowComparison.newBuilder().setRequestId(id).setTenant(tenant).setTaskType(type)
                .setMode(ShadowMode.SHADOW_ONLY).setKind(ComparisonKind.LABEL).setSlmAnswer("a")
                .setSlmConfidence(confidence).setSlmEscalationReason(reason)
                .setGptAnswer(agreed == null ? null : agreed ? "a" : "b").setAgreed(agreed)
                .setScore(agreed == null ? null : agreed ? 1.0 : 0.0)
                .setSlmCostUsd(0.00001).setGptCostUsd(0.001).setShadowCostUsd(0.00001).setComparedAt(at).build();
    }
}
