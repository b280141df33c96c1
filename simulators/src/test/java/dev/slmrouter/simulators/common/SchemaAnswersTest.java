package dev.slmrouter.simulators.common;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SchemaAnswersTest {

    @Test
    void shouldProduceValuesThatSatisfyTheSchema() throws IOException {
        for (final String schema : new String[] {Schemas.CAR, Schemas.INVOICE}) {
            final JsonNode root = Json.parse(schema.getBytes(StandardCharsets.UTF_8));
            for (int seed = 0; seed < 50; seed++) {
                final String answer = SchemaAnswers.instance(root, new SplittableRandom(seed)).toString();
                assertThat(Schemas.valid(schema, answer)).as(answer).isTrue();
            }
        }
    }

    @Test
    void shouldBreakTheSchemaOnRequestEitherWay() throws IOException {
        final JsonNode root = Json.parse(Schemas.INVOICE.getBytes(StandardCharsets.UTF_8));
        int missingField = 0;
        int invalidJson = 0;
        for (int seed = 0; seed < 40; seed++) {
            final SplittableRandom rng = new SplittableRandom(seed);
            final String broken = SchemaAnswers.broken(root, SchemaAnswers.instance(root, rng), rng);
            assertThat(Schemas.valid(Schemas.INVOICE, broken)).as(broken).isFalse();
            try {
                Json.parse(broken.getBytes(StandardCharsets.UTF_8));
                missingField++;
            } catch (IOException notJson) {
                invalidJson++;
            }
        }
        assertThat(missingField).isPositive();
        assertThat(invalidJson).isPositive();
    }
}
