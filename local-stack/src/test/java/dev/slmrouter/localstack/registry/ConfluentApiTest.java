package dev.slmrouter.localstack.registry;

import static dev.slmrouter.localstack.registry.RegistryHttp.quoted;
import static dev.slmrouter.localstack.registry.RegistryHttp.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slmrouter.localstack.registry.RegistryHttp.Answer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The local registry speaks the Confluent Schema Registry REST API the way our serde and Confluent's
 * clients expect: registration, lookup by id, per-subject compatibility. Bodies are asserted exactly as
 * Apicurio 2.4.2 writes them; where a Confluent registry would answer differently, a comment says so.
 * Both tests use subject {@code t-value} and pass in either order: re-registering a schema is idempotent.
 */
@ExtendWith(SchemaRegistryExtension.class)
class ConfluentApiTest {

    private static final String SUBJECT = "t-value";
    private static final String V1 = "{\"type\":\"record\",\"name\":\"T\",\"namespace\":\"dev.slmrouter.test\","
            + "\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}";
    // A new reader field without a default cannot read old data: not BACKWARD compatible.
    private static final String V2_WITHOUT_DEFAULT = "{\"type\":\"record\",\"name\":\"T\",\"namespace\":\"dev.slmrouter.test\","
            + "\"fields\":[{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"b\",\"type\":\"int\"}]}";
    private static final String V2_WITH_DEFAULT = "{\"type\":\"record\",\"name\":\"T\",\"namespace\":\"dev.slmrouter.test\","
            + "\"fields\":[{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"b\",\"type\":\"int\",\"default\":0}]}";

    private final RegistryHttp http;

    ConfluentApiTest(LocalSchemaRegistry registry) {
        this.http = new RegistryHttp(registry.confluentApiUrl());
    }

    @Test
    void shouldRegisterAnAvroSchemaAndServeItById() {
        Answer registered = http.post("/subjects/" + SUBJECT + "/versions", schemaBody(V1));
        assertThat(registered.status()).isEqualTo(200);
        assertThat(registered.body()).matches("\\{\"id\":[1-9][0-9]*}");
        int id = registered.id();

        Answer fetched = http.get("/schemas/ids/" + id);
        assertThat(fetched.status()).isEqualTo(200);
        // Apicurio returns the schema text as registered and an empty references list; Confluent would
        // return its canonical form and omit "references".
        assertThat(fetched.body()).isEqualTo("{\"schema\":" + quoted(V1) + ",\"references\":[]}");

        Answer again = http.post("/subjects/" + SUBJECT + "/versions", schemaBody(V1));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).isEqualTo("{\"id\":" + id + "}");
    }

    @Test
    void shouldRejectAnIncompatibleChangeAndAcceptACompatibleOneUnderBackwardCompatibility() {
        int v1 = http.post("/subjects/" + SUBJECT + "/versions", schemaBody(V1)).id();

        Answer config = http.put("/config/" + SUBJECT, "{\"compatibility\":\"BACKWARD\"}");
        assertThat(config.status()).isEqualTo(200);
        assertThat(config.body()).isEqualTo("{\"compatibility\":\"BACKWARD\"}");
        assertThat(http.get("/config/" + SUBJECT).body()).isEqualTo("{\"compatibilityLevel\":\"BACKWARD\"}");

        Answer rejected = http.post("/subjects/" + SUBJECT + "/versions", schemaBody(V2_WITHOUT_DEFAULT));
        assertThat(rejected.status()).isEqualTo(409);
        // Confluent answers error_code 409 here; Apicurio answers 0, so clients must go by the HTTP status.
        assertThat(rejected.body()).isEqualTo("{\"message\":\"Incompatible artifact: t-value [AVRO], "
                + "num of incompatible diffs: {1}, list of diff types: [b at /fields/1] Causes: b at /fields/1\","
                + "\"error_code\":0}");

        Answer accepted = http.post("/subjects/" + SUBJECT + "/versions", schemaBody(V2_WITH_DEFAULT));
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(accepted.id()).isNotEqualTo(v1);
        assertThat(accepted.body()).isEqualTo("{\"id\":" + accepted.id() + "}");
        assertThat(http.get("/subjects/" + SUBJECT + "/versions").body()).isEqualTo("[1,2]");
        assertThat(http.get("/schemas/ids/" + accepted.id()).body())
                .isEqualTo("{\"schema\":" + quoted(V2_WITH_DEFAULT) + ",\"references\":[]}");
    }

    @Test
    void shouldAnswer404WithConfluentsErrorCodeForAnUnknownId() {
        Answer missing = http.get("/schemas/ids/" + Integer.MAX_VALUE);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("{\"message\":\"No content with id/hash 'contentId-" + Integer.MAX_VALUE
                + "' was found.\",\"error_code\":40403}");
    }
}
