package dev.slmrouter.serde;

import dev.slmrouter.events.Audit;
import dev.slmrouter.events.ChatMessage;
import dev.slmrouter.events.DeadLetter;
import dev.slmrouter.events.DecisionSource;
import dev.slmrouter.events.Escalation;
import dev.slmrouter.events.EscalationReason;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.InferenceResult;
import dev.slmrouter.events.LatencyClass;
import dev.slmrouter.events.ResultStatus;
import dev.slmrouter.events.RoutedRequest;
import dev.slmrouter.events.RoutingDecision;
import dev.slmrouter.events.RoutingRule;
import dev.slmrouter.events.TaskType;
import dev.slmrouter.events.Tier;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One fully populated event of each type; timestamps in whole milliseconds, as Avro keeps them. */
final class TestEvents {

    static final Instant T0 = Instant.ofEpochMilli(1_750_000_000_123L);

    private TestEvents() {
    }

    static InferenceRequest request() {
        return InferenceRequest.newBuilder()
                .setRequestId("r1")
                .setTenant("t")
                .setTaskType(TaskType.CLASSIFICATION)
                .setLanguage("de")
                .setMessages(List.of(new ChatMessage("system", "Classify."), new ChatMessage("user", "Grüße, 世界 ✓")))
                .setLabels(List.of("spam", "ham"))
                .setResponseSchema("{\"type\":\"string\"}")
                .setMaxOutputTokens(16)
                .setTemperature(0.0)
                .setSeed(42L)
                .setLatencyClass(LatencyClass.INTERACTIVE)
                .setDeadline(T0.plusSeconds(30))
                .setMetadata(Map.of("source", "test", "batch", "7"))
                .setCreatedAt(T0)
                .build();
    }

    static RoutingDecision decision() {
        return RoutingDecision.newBuilder()
                .setTier(Tier.SLM)
                .setTaskType(TaskType.CLASSIFICATION)
                .setTaskTypeSource(DecisionSource.HINT)
                .setTaskTypeConfidence(1.0)
                .setLanguage("de")
                .setLanguageSource(DecisionSource.CLASSIFIER)
                .setLanguageConfidence(0.93)
                .setTokenEstimate(120)
                .setDailyVolume(1_000_000L)
                .setVolumeBand(3)
                .setMatrixScore(1)
                .setRule(RoutingRule.MATRIX_SLM_PREFERRED)
                .setExplanation("classification at high volume: SLM preferred")
                .setPolicyVersion("2025-06-01")
                .setDecidedAt(T0.plusMillis(3))
                .build();
    }

    static RoutedRequest routed() {
        return RoutedRequest.newBuilder().setRequest(request()).setDecision(decision()).build();
    }

    static Audit audit() {
        return Audit.newBuilder().setSeed(42L).setTemperature(0.0).setTopP(1.0).setMaxTokens(16)
                .setModelRevision("rev-1").setSchemaId("ab12cd34").setPolicyVersion("2025-06-01").build();
    }

    static Escalation escalation() {
        return Escalation.newBuilder()
                .setRouted(routed())
                .setReason(EscalationReason.LOW_CONFIDENCE)
                .setDetail("confidence 0.41 < 0.7")
                .setDraft("spam")
                .setConfidence(0.41)
                .setModel("qwen2.5-7b")
                .setPromptTokens(100)
                .setCompletionTokens(2)
                .setCostUsd(0.00001)
                .setLatencyMs(35L)
                .setAttempts(1)
                .setAudit(audit())
                .setEscalatedAt(T0.plusMillis(50))
                .build();
    }

    static InferenceResult result() {
        return InferenceResult.newBuilder()
                .setRequestId("r1")
                .setTenant("t")
                .setStatus(ResultStatus.OK)
                .setAnswer("ham")
                .setLabel("ham")
                .setTier(Tier.GPT)
                .setModel("gpt-4.1-mini")
                .setEscalated(true)
                .setEscalationReason(EscalationReason.LOW_CONFIDENCE)
                .setConfidence(0.97)
                .setSchemaValid(true)
                .setPromptTokens(220)
                .setCompletionTokens(3)
                .setCostUsd(0.0004)
                .setQueueLatencyMs(12L)
                .setBackendLatencyMs(400L)
                .setEndToEndLatencyMs(480L)
                .setAttempts(2)
                .setAudit(audit())
                .setMetadata(Map.of("source", "test"))
                .setCompletedAt(T0.plusMillis(480))
                .build();
    }

    static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setSourceTopic("llm.requests")
                .setSourcePartition(3)
                .setSourceOffset(123_456L)
                .setOriginalKey(ByteBuffer.wrap("r1".getBytes(StandardCharsets.UTF_8)))
                .setOriginalValue(ByteBuffer.wrap(new byte[] {1, 2, 3, 0, -1}))
                .setRequestId("r1")
                .setStage("router.decode")
                .setReason("UNDECODABLE")
                .setErrorClass(WireFormatException.class.getName())
                .setMessage("Unknown magic byte 0x01")
                .setRejectedAt(T0)
                .build();
    }
}
