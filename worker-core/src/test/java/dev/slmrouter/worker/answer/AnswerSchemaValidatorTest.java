package dev.slmrouter.worker.answer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slmrouter.worker.client.Fixtures;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerSchemaValidatorTest {

    private static final String INVOICE = resource("invoice.schema.json");

    private final AnswerSchemaValidator validator = new AnswerSchemaValidator();

    private static String resource(final String name) {
        try (InputStream in = AnswerSchemaValidatorTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aMatchingAnswerIsValid() {
        final AnswerSchemaValidator.Result result = validator.validate(
                "{\"vendor\":\"Acme GmbH\",\"total\":12.5,\"currency\":\"EUR\"}", INVOICE);

        assertThat(result.valid()).isTrue();
        assertThat(result.errors()).isEmpty();
    }

    @Test
    void everyViolationIsListed() {
        final AnswerSchemaValidator.Result result = validator.validate(
                "{\"vendor\":\"\",\"total\":-1,\"currency\":\"CHF\",\"note\":\"x\"}", INVOICE);

        assertThat(result.valid()).isFalse();
        assertThat(result.errors()).containsExactlyInAnyOrder(
                "$: property 'note' is not defined in the schema and the schema does not allow additional properties",
                "$.vendor: must be at least 1 characters long",
                "$.total: must have a minimum value of 0",
                "$.currency: does not have a value in the enumeration [\"EUR\", \"USD\", \"GBP\"]");
    }

    @Test
    void aMissingFieldAndAWrongType() {
        assertThat(validator.validate("{\"vendor\":\"Acme\",\"total\":\"12.50\"}", INVOICE).errors())
                .containsExactlyInAnyOrder("$: required property 'currency' not found", "$.total: string found, number expected");
        assertThat(validator.validate("[]", INVOICE).errors()).containsExactly("$: array found, object expected");
    }

    @Test
    void notJsonIsInvalidWithAPlainReason() {
        final AnswerSchemaValidator.Result truncated = validator.validate("{\"vendor\":\"Acme Gmb", INVOICE);
        final AnswerSchemaValidator.Result prose = validator.validate("The vendor is Acme.", INVOICE);
        final AnswerSchemaValidator.Result trailing = validator.validate("{\"vendor\":\"a\"} and more", INVOICE);
        final AnswerSchemaValidator.Result twice = validator.validate("{\"vendor\":\"a\",\"vendor\":\"b\"}", INVOICE);

        assertThat(truncated.valid()).isFalse();
        assertThat(truncated.errors()).singleElement().asString()
                .startsWith("the answer is not complete JSON (it ends early, as a truncated answer does): ");
        assertThat(prose.errors()).singleElement().asString().startsWith("the answer is not valid JSON: ");
        assertThat(trailing.errors()).singleElement().asString().startsWith("the answer is not valid JSON: ");
        assertThat(twice.errors()).singleElement().asString().startsWith("the answer is not valid JSON: Duplicate field 'vendor'");
        assertThat(validator.validate("", INVOICE).errors()).containsExactly("the answer is empty, not JSON");
        assertThat(validator.validate(null, INVOICE).errors()).containsExactly("the answer is empty, not JSON");
    }

    @Test
    void theRecordedTruncatedAnswerIsInvalid() throws IOException {
        final String body = Fixtures.contractText("openai/recorded/test_parse_max_tokens_reached.response.json");
        final String content = new ObjectMapper().readTree(body).path("choices").get(0).path("message").path("content").asText();

        final AnswerSchemaValidator.Result result = validator.validate(content, "{\"type\":\"object\"}");

        assertThat(content).isEqualTo("{\"");
        assertThat(result.valid()).isFalse();
        assertThat(result.errors()).singleElement().asString().startsWith("the answer is not complete JSON");
    }

    @Test
    void theVllmDocsCarSchemaWithDefsRef() throws IOException {
        final String request = Fixtures.contractText("vllm/requests/chat-response_format-json_schema.request.json");
        final String schema = new ObjectMapper().readTree(request).path("response_format").path("json_schema")
                .path("schema").toString();

        assertThat(validator.validate("{\"brand\":\"Toyota\",\"model\":\"Supra\",\"car_type\":\"Coupe\"}", schema).valid()).isTrue();
        assertThat(validator.validate("{\"brand\":\"Toyota\",\"model\":\"Supra\",\"car_type\":\"Van\"}", schema).errors())
                .containsExactly("$.car_type: does not have a value in the enumeration [\"sedan\", \"SUV\", \"Truck\", \"Coupe\"]");
    }

    @Test
    void anOlderDraftNamedInTheSchemaIsHonoured() {
        // Draft-07 ignores $defs-only keywords like dependentRequired; 2020-12 enforces it.
        final String body = "\"properties\":{\"a\":{}},\"dependentRequired\":{\"a\":[\"b\"]}}";
        final String draft7 = "{\"$schema\":\"http://json-schema.org/draft-07/schema#\"," + body;
        final String draft2020 = "{" + body;

        assertThat(validator.validate("{\"a\":1}", draft7).valid()).isTrue();
        assertThat(validator.validate("{\"a\":1}", draft2020).valid()).isFalse();
    }

    @Test
    void aSchemaThatIsNotUsableIsTheCallersError() {
        assertThatThrownBy(() -> validator.validate("{}", "{\"type\":")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the response schema is not valid JSON: ");
        assertThatThrownBy(() -> validator.validate("{}", "[]"))
                .hasMessage("the response schema must be a JSON object or boolean");
        assertThatThrownBy(() -> validator.validate("{}", null)).hasMessage("the response schema is missing");
    }

    @Test
    void externalReferencesAreNeverFetched() {
        final String remote = "{\"$ref\":\"http://127.0.0.1:9/evil.json\"}";
        final String file = "{\"properties\":{\"a\":{\"$ref\":\"file:///etc/passwd\"}}}";

        assertThatThrownBy(() -> validator.validate("{}", remote)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("refusing to load the external schema http://127.0.0.1:9/evil.json");
        assertThatThrownBy(() -> validator.validate("{\"a\":1}", file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("refusing to load the external schema file:///etc/passwd");
    }

    @Test
    void compiledSchemasAreCachedAndTheCacheIsBounded() {
        final AnswerSchemaValidator small = new AnswerSchemaValidator(2);

        for (int i = 0; i < 5; i++) {
            small.validate("{}", INVOICE);
        }
        assertThat(small.cachedSchemas()).isEqualTo(1);
        small.validate("1", "{\"type\":\"integer\"}");
        small.validate("\"a\"", "{\"type\":\"string\"}");
        assertThat(small.cachedSchemas()).isEqualTo(2);
        assertThat(small.validate("{}", INVOICE).errors()).hasSize(3);
        assertThatThrownBy(() -> new AnswerSchemaValidator(0)).hasMessage("the cache must hold at least one schema");
    }

    @Test
    void schemaIdIsTheSha256Prefix() {
        // printf '{"type":"object"}' | sha256sum
        assertThat(AnswerSchemaValidator.schemaId("{\"type\":\"object\"}")).isEqualTo("a2c799262a3ce3c1").hasSize(16);
        assertThat(AnswerSchemaValidator.schemaId(INVOICE)).hasSize(16).isNotEqualTo(AnswerSchemaValidator.schemaId(INVOICE + " "));
    }

    @Test
    void errorsAreCapped() {
        final StringBuilder props = new StringBuilder("{\"type\":\"object\",\"properties\":{");
        final StringBuilder answer = new StringBuilder("{");
        for (int i = 0; i < 30; i++) {
            props.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":{\"type\":\"integer\"}");
            answer.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":\"x\"");
        }
        final List<String> errors = validator.validate(answer.append("}").toString(), props.append("}}").toString()).errors();

        assertThat(errors).hasSize(AnswerSchemaValidator.MAX_ERRORS);
    }
}
