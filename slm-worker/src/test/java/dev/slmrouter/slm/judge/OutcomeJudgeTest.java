package dev.slmrouter.slm.judge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slmrouter.events.EscalationReason;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class OutcomeJudgeTest {

    private final OutcomeJudge judge = new OutcomeJudge(1);

    private static SlmAttempt answer(final String finish, final double confidence, final String... shapeErrors) {
        return new SlmAttempt("card_declined", finish, null, OptionalDouble.of(confidence), List.of(shapeErrors));
    }

    @Test
    void shouldAcceptAConfidentWellShapedAnswer() {
        assertThat(judge.judge(answer("stop", 0.93), 0.85, 1)).isEqualTo(new Verdict.Accept(0.93));
        assertThat(judge.judge(answer("stop", 0.85), 0.85, 1)).isEqualTo(new Verdict.Accept(0.85));
    }

    @Test
    void shouldEscalateLowConfidence() {
        assertThat(judge.judge(answer("stop", 0.84), 0.85, 1))
                .isEqualTo(new Verdict.Escalate(EscalationReason.LOW_CONFIDENCE, "confidence 0.840 < threshold 0.85"));
    }

    @Test
    void shouldTreatMissingLogprobsAsUnconfident() {
        final SlmAttempt noLogprobs = new SlmAttempt("x", "stop", null, OptionalDouble.empty(), List.of());

        assertThat(judge.judge(noLogprobs, 0.0, 1)).isInstanceOf(Verdict.Escalate.class)
                .extracting(v -> ((Verdict.Escalate) v).reason()).isEqualTo(EscalationReason.LOW_CONFIDENCE);
    }

    @Test
    void shouldRetryASchemaBreakOnceThenEscalate() {
        assertThat(judge.judge(answer("stop", 0.99, "$.total: is missing"), 0.85, 1))
                .isEqualTo(new Verdict.Retry("$.total: is missing"));
        assertThat(judge.judge(answer("stop", 0.99, "$.total: is missing"), 0.85, 2))
                .isEqualTo(new Verdict.Escalate(EscalationReason.SCHEMA_FAIL, "$.total: is missing"));
    }

    @Test
    void shouldEscalateTruncatedRefusedAndEmptyAnswersWhateverTheirConfidence() {
        assertThat(judge.judge(answer("length", 0.99), 0.85, 1)).extracting(v -> ((Verdict.Escalate) v).reason())
                .isEqualTo(EscalationReason.TRUNCATED);
        assertThat(judge.judge(new SlmAttempt(null, "stop", "I can't help with that", OptionalDouble.of(0.99),
                List.of()), 0.85, 1)).extracting(v -> ((Verdict.Escalate) v).reason()).isEqualTo(EscalationReason.REFUSAL);
        assertThat(judge.judge(new SlmAttempt(" ", "stop", null, OptionalDouble.of(0.99), List.of()), 0.85, 1))
                .extracting(v -> ((Verdict.Escalate) v).reason()).isEqualTo(EscalationReason.REFUSAL);
        assertThat(judge.judge(answer("content_filter", 0.99), 0.85, 1))
                .extracting(v -> ((Verdict.Escalate) v).reason()).isEqualTo(EscalationReason.REFUSAL);
    }

    @Test
    void shouldLetTenantsOverrideTaskTypesOverrideTheDefault() {
        final ConfidenceThresholds thresholds =
                ConfidenceThresholds.parse(0.85, "CLASSIFICATION:0.9, extraction:0.8, tenant/acme-legal:0.97");

        assertThat(thresholds.thresholdFor(dev.slmrouter.events.TaskType.CLASSIFICATION, "x")).isEqualTo(0.9);
        assertThat(thresholds.thresholdFor(dev.slmrouter.events.TaskType.EXTRACTION, "x")).isEqualTo(0.8);
        assertThat(thresholds.thresholdFor(dev.slmrouter.events.TaskType.SUMMARIZATION, "x")).isEqualTo(0.85);
        assertThat(thresholds.thresholdFor(dev.slmrouter.events.TaskType.EXTRACTION, "acme-legal")).isEqualTo(0.97);
    }
}
