package dev.slmrouter.worker.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import dev.slmrouter.events.ComparisonKind;
import dev.slmrouter.events.FieldAgreement;
import org.junit.jupiter.api.Test;

class AgreementTest {

    private final Agreement agreement = new Agreement(0.8);

    @Test
    void shouldMatchLabelsExactly() {
        assertThat(agreement.compare(ComparisonKind.LABEL, "billing", "billing").agreed()).isTrue();
        final Agreement.Verdict differ = agreement.compare(ComparisonKind.LABEL, "billing", "Billing");
        assertThat(differ.agreed()).isFalse();
        assertThat(differ.score()).isEqualTo(0.0);
    }

    @Test
    void shouldGiveNoVerdictWhenAnAnswerIsMissing() {
        final Agreement.Verdict none = agreement.compare(ComparisonKind.TEXT, null, "x");
        assertThat(none.agreed()).isNull();
        assertThat(none.score()).isNull();
        assertThat(agreement.compare(ComparisonKind.JSON, "{}", "not json").agreed()).isNull();
    }

    @Test
    void shouldCompareJsonFieldByField() {
        final Agreement.Verdict v = agreement.compare(ComparisonKind.JSON,
                "{\"total\": 12.50, \"vendor\": \" ACME \", \"items\": [{\"sku\": \"a\"}, {\"sku\": \"b\"}], \"extra\": true}",
                "{\"total\": 12.5, \"vendor\": \"acme\", \"items\": [{\"sku\": \"a\"}, {\"sku\": \"c\"}], \"date\": \"2026-01-01\"}");
        assertThat(v.agreed()).isFalse();
        assertThat(v.fields()).extracting(FieldAgreement::getPath)
                .containsExactly("/date", "/extra", "/items/0/sku", "/items/1/sku", "/total", "/vendor");
        assertThat(v.fields()).extracting(FieldAgreement::getMatched)
                .containsExactly(false, false, true, false, true, true);
        assertThat(v.score()).isEqualTo(3 / 6.0);
        assertThat(v.fields().get(0).getSlmValue()).isNull();
        assertThat(v.fields().get(0).getGptValue()).isEqualTo("\"2026-01-01\"");

        assertThat(agreement.compare(ComparisonKind.JSON, "{\"a\":1,\"b\":[]}", "{\"b\":[],\"a\":1.0}").agreed()).isTrue();
    }

    @Test
    void shouldCountEveryFieldMissingWhenTheSlmAnswerIsNotJson() {
        final Agreement.Verdict v = agreement.compare(ComparisonKind.JSON, "total: 3", "{\"total\":3,\"n\":1}");
        assertThat(v.agreed()).isFalse();
        assertThat(v.score()).isEqualTo(0.0);
        assertThat(v.fields()).hasSize(2);
    }

    @Test
    void shouldScoreTextByTheDiceCoefficientOfWords() {
        assertThat(Agreement.dice("The refund was sent.", "the REFUND was sent")).isEqualTo(1.0);
        // 4 + 5 words, 4 in common: 8 / 9.
        assertThat(Agreement.dice("refund sent to customer", "refund sent to the customer")).isCloseTo(8 / 9.0, offset(1e-12));
        assertThat(Agreement.dice("a a b", "a b b")).isCloseTo(4 / 6.0, offset(1e-12));
        assertThat(agreement.compare(ComparisonKind.TEXT, "refund sent to customer", "refund sent to the customer").agreed()).isTrue();
        assertThat(agreement.compare(ComparisonKind.TEXT, "yes", "no").agreed()).isFalse();
        assertThatThrownBy(() -> new Agreement(1.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
