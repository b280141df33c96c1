package dev.slmrouter.demo.report;

import dev.slmrouter.demo.traffic.SampleTraffic;
import dev.slmrouter.events.ChatMessage;
import dev.slmrouter.events.ComparisonKind;
import dev.slmrouter.events.DeadLetter;
import dev.slmrouter.events.DecisionSource;
import dev.slmrouter.events.Escalation;
import dev.slmrouter.events.EscalationReason;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.InferenceResult;
import dev.slmrouter.events.ResultStatus;
import dev.slmrouter.events.RoutedRequest;
import dev.slmrouter.events.RoutingDecision;
import dev.slmrouter.events.RoutingRule;
import dev.slmrouter.events.ShadowComparison;
import dev.slmrouter.events.ShadowMode;
import dev.slmrouter.events.TaskType;
import dev.slmrouter.events.Tier;
import dev.slmrouter.router.policy.PolicyLoader;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A small, fully known run fed to a {@link DemoReport}: four classifications to the SLM (one escalated
 * for low confidence, three of four answered right), two reasoning requests to GPT (one failed), two
 * dead letters and one duplicated result; and three classifications to tier 0: one answered there (right),
 * one passed on to the SLM for low confidence (answered right), one escalated to GPT as a refusal; and two
 * of the SLM's classification answers shadowed by GPT, one pair agreeing.
 */
final class ReportEvents {

    static final List<String> LABELS = List.of("a", "b", "c", "d");

    private ReportEvents() {
    }

    static DemoReport knownRun() {
        final DemoReport report = new DemoReport(PolicyLoader.loadDefault().defaults(), 0.85);
        final String[] expected = {"a", "b", "c", "d"};
        for (int i = 0; i < 4; i++) {
            report.routed(routed("c" + (i + 1), TaskType.CLASSIFICATION, Tier.SLM, "en", expected[i]));
        }
        report.routed(routed("r1", TaskType.REASONING, Tier.GPT, "de", null));
        report.routed(routed("r2", TaskType.REASONING, Tier.GPT, "de", null));
        report.escalated(Escalation.newBuilder()
                .setRouted(routed("c4", TaskType.CLASSIFICATION, Tier.SLM, "en", "d"))
                .setReason(EscalationReason.LOW_CONFIDENCE).setConfidence(0.42).setEscalatedAt(Instant.now()).build());
        report.result(result("c1", Tier.SLM, ResultStatus.OK, "a", 0.97, 100, false, "a"));
        report.result(result("c2", Tier.SLM, ResultStatus.OK, "a", 0.91, 200, false, "b"));
        report.result(result("c3", Tier.SLM, ResultStatus.OK, "c", 0.88, 300, false, "c"));
        report.result(result("c4", Tier.GPT, ResultStatus.OK, "d", null, 900, true, "d"));
        report.result(result("r1", Tier.GPT, ResultStatus.OK, null, null, 1000, false, null));
        report.result(result("r2", Tier.GPT, ResultStatus.FAILED, null, null, 1100, false, null));
        report.result(result("c1", Tier.SLM, ResultStatus.OK, "a", 0.97, 100, false, "a")); // a duplicate
        for (String id : List.of("t1", "t2", "t3")) {
            report.routed(routed(id, TaskType.CLASSIFICATION, Tier.TIER0, "en", "b"));
        }
        report.result(result("t1", Tier.TIER0, ResultStatus.OK, "b", 0.99, 5, false, "b"));
        final RoutedRequest passedOn = routed("t2", TaskType.CLASSIFICATION, Tier.TIER0, "en", "b");
        passedOn.getDecision().setTier(Tier.SLM);
        passedOn.getRequest().setMetadata(Map.of(SampleTraffic.EXPECTED_LABEL, "b", SampleTraffic.DATASET, "banking77",
                "tier0.reason", "LOW_CONFIDENCE"));
        report.routed(passedOn);
        report.result(result("t2", Tier.SLM, ResultStatus.OK, "b", 0.9, 300, false, "b"));
        report.escalated(Escalation.newBuilder()
                .setRouted(routed("t3", TaskType.CLASSIFICATION, Tier.TIER0, "en", "b"))
                .setReason(EscalationReason.REFUSAL).setEscalatedAt(Instant.now()).build());
        report.result(result("t3", Tier.GPT, ResultStatus.OK, "b", null, 1000, true, "b"));
        report.shadowRequested();
        report.shadowRequested();
        report.compared(comparison("c1", true));
        report.compared(comparison("c2", false));
        report.deadLetter(deadLetter(1, "UNDECODABLE"));
        report.deadLetter(deadLetter(2, "MISSING_MESSAGES"));
        return report;
    }

    static RoutedRequest routed(final String id, final TaskType type, final Tier tier, final String language,
                                final String expected) {
        final InferenceRequest.Builder request = InferenceRequest.newBuilder().setRequestId(id).setTenant("t")
                .setMessages(List.of(new ChatMessage("user", "text of " + id))).setCreatedAt(Instant.now());
        if (expected != null) {
            request.setLabels(LABELS).setMetadata(Map.of(SampleTraffic.EXPECTED_LABEL, expected,
                    SampleTraffic.DATASET, "banking77"));
        }
        return new RoutedRequest(request.build(), RoutingDecision.newBuilder().setTier(tier).setTaskType(type)
                .setTaskTypeSource(DecisionSource.HINT).setTaskTypeConfidence(1.0).setLanguage(language)
                .setLanguageSource(DecisionSource.HINT).setLanguageConfidence(1.0).setTokenEstimate(20)
                .setDailyVolume(6).setVolumeBand(0).setMatrixScore(tier == Tier.GPT ? 5 : 3)
                .setRule(tier == Tier.TIER0 ? RoutingRule.TIER0_CLASSIFIER
                        : tier == Tier.SLM ? RoutingRule.MATRIX_TIE : RoutingRule.MATRIX_GPT_REQUIRED)
                .setExplanation("test").setPolicyVersion("test-1").setDecidedAt(Instant.now()).build());
    }

    static InferenceResult result(final String id, final Tier tier, final ResultStatus status, final String label,
                                  final Double confidence, final long latency, final boolean escalated,
                                  final String expected) {
        return InferenceResult.newBuilder().setRequestId(id).setTenant("t").setStatus(status).setLabel(label)
                .setTaskType(expected != null ? TaskType.CLASSIFICATION : TaskType.REASONING)
                .setTier(tier).setEscalated(escalated).setConfidence(confidence)
                .setPromptTokens(tier == Tier.TIER0 ? 0 : 1_000).setCompletionTokens(tier == Tier.TIER0 ? 0 : 100)
                .setCostUsd(tier == Tier.SLM ? 0.0001 : tier == Tier.GPT ? 0.0035 : 0.0)
                .setEndToEndLatencyMs(latency)
                .setMetadata(expected == null ? Map.of() : Map.of(SampleTraffic.EXPECTED_LABEL, expected,
                        SampleTraffic.DATASET, "banking77"))
                .setCompletedAt(Instant.now()).build();
    }

    static ShadowComparison comparison(final String id, final boolean agreed) {
        return ShadowComparison.newBuilder().setRequestId(id).setTenant("t").setTaskType(TaskType.CLASSIFICATION)
                .setMode(ShadowMode.SAMPLE).setKind(ComparisonKind.LABEL).setAgreed(agreed).setScore(agreed ? 1.0 : 0.0)
                .setSlmAnswer("a").setGptAnswer(agreed ? "a" : "b").setSlmConfidence(0.9).setFields(List.of())
                .setComparedAt(Instant.now()).build();
    }

    static DeadLetter deadLetter(final long offset, final String reason) {
        return DeadLetter.newBuilder().setSourceTopic("llm.requests").setSourcePartition(0).setSourceOffset(offset)
                .setOriginalValue(ByteBuffer.wrap(new byte[] {1})).setStage("router.decode").setReason(reason)
                .setErrorClass("X").setMessage("bad").setRejectedAt(Instant.now()).build();
    }
}
