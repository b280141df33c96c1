package dev.slmrouter.demo.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slmrouter.events.ChatMessage;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.LatencyClass;
import dev.slmrouter.events.TaskType;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A requests-file line as an InferenceRequest: the schema's fields, the documented defaults, clear rejections. */
class RequestJsonTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private final RequestJson parser = new RequestJson(() -> "generated-id", () -> NOW);

    @Test
    void onlyMessagesAreRequiredAndTheRestGetsDefaults() throws Exception {
        final InferenceRequest request = parser.parse("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");

        assertThat(request.getRequestId()).isEqualTo("generated-id");
        assertThat(request.getTenant()).isEqualTo("default");
        assertThat(request.getCreatedAt()).isEqualTo(NOW);
        assertThat(request.getMessages()).containsExactly(new ChatMessage("user", "hi"));
        assertThat(request.getLatencyClass()).isEqualTo(LatencyClass.BATCH);
        assertThat(request.getTaskType()).isNull();
        assertThat(request.getMetadata()).isEmpty();
    }

    @Test
    void everyFieldOfTheSchemaIsRead() throws Exception {
        final InferenceRequest request = parser.parse("""
                {"request_id": "r-1", "tenant": "acme", "task_type": "classification", "language": "de",
                 "messages": [{"role": "system", "content": "Pick one."}, {"role": "user", "content": "Karte weg"}],
                 "labels": ["lost_card", "other"], "response_schema": {"type": "object"}, "max_output_tokens": 20,
                 "temperature": 0.5, "seed": 9, "latency_class": "INTERACTIVE", "deadline": 1767261600000,
                 "metadata": {"team": "cards", "priority": 2}, "created_at": "2026-01-01T00:00:00Z"}""");

        assertThat(request.getRequestId()).isEqualTo("r-1");
        assertThat(request.getTenant()).isEqualTo("acme");
        assertThat(request.getTaskType()).isEqualTo(TaskType.CLASSIFICATION);
        assertThat(request.getLanguage()).isEqualTo("de");
        assertThat(request.getMessages()).hasSize(2);
        assertThat(request.getLabels()).containsExactly("lost_card", "other");
        assertThat(request.getResponseSchema()).isEqualTo("{\"type\":\"object\"}");
        assertThat(request.getMaxOutputTokens()).isEqualTo(20);
        assertThat(request.getTemperature()).isEqualTo(0.5);
        assertThat(request.getSeed()).isEqualTo(9L);
        assertThat(request.getLatencyClass()).isEqualTo(LatencyClass.INTERACTIVE);
        assertThat(request.getDeadline()).isEqualTo(Instant.ofEpochMilli(1767261600000L));
        assertThat(request.getMetadata()).isEqualTo(Map.of("team", "cards", "priority", "2"));
        assertThat(request.getCreatedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void linesThatAreNotRequestsAreRejectedWithTheReason() {
        final String message = "\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]";
        final Map<String, String> reasons = Map.of(
                "{\"messages\": [", "bad JSON",
                "[1, 2]", "not a JSON object",
                "{\"tenant\": \"acme\"}", "missing messages",
                "{\"messages\": []}", "missing messages",
                "{" + message + ", \"lables\": [\"a\"]}", "unknown field \"lables\"",
                "{" + message + ", \"task_type\": \"POETRY\"}", "task_type must be one of",
                "{\"messages\": [{\"role\": \"user\"}]}", "messages[0] must be",
                "{" + message + ", \"created_at\": \"yesterday\"}", "created_at must be an ISO-8601 instant",
                "{" + message + ", \"labels\": \"a,b\"}", "labels must be a list of strings",
                "{" + message + "} trailing", "bad JSON");
        reasons.forEach((line, reason) -> assertThatThrownBy(() -> parser.parse(line)).as(line)
                .isInstanceOf(RequestJson.InvalidLine.class).hasMessageContaining(reason));
    }

    @Test
    void everyLineOfTheExampleFileIsARequest() throws Exception {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                RequestJsonTest.class.getResourceAsStream("/examples/requests.jsonl"), StandardCharsets.UTF_8))) {
            final List<String> lines = reader.lines().filter(l -> !l.isBlank()).toList();
            assertThat(lines).hasSizeGreaterThanOrEqualTo(5);
            for (String line : lines) {
                assertThat(parser.parse(line).getMessages()).isNotEmpty();
            }
        }
    }
}
