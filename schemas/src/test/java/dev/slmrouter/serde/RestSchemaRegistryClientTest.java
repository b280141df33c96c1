package dev.slmrouter.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slmrouter.events.ChatMessage;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.InferenceResult;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Credentials;
import okhttp3.OkHttpClient;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RestSchemaRegistryClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OkHttpClient HTTP = new OkHttpClient.Builder()
            .connectTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofSeconds(2)).build();
    private static final Schema REQUEST = InferenceRequest.getClassSchema();

    private final MockWebServer server = new MockWebServer();
    private String base;
    private RestSchemaRegistryClient client;

    @BeforeEach
    void start() throws IOException {
        server.start();
        base = server.url("/").toString().replaceAll("/$", "");
        client = new RestSchemaRegistryClient(HTTP, base);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code)
                .setHeader("Content-Type", "application/vnd.schemaregistry.v1+json").body(body).build();
    }

    private RecordedRequest take() throws InterruptedException {
        return server.takeRequest(5, TimeUnit.SECONDS);
    }

    @Test
    void theFirstSerializeRegistersWithTheConfluentRequestAndLaterOnesSendNothing() throws Exception {
        server.enqueue(json(200, "{\"id\": 21}"));
        ConfluentAvroSerde<InferenceRequest> serde = ConfluentAvroSerde.forValue(InferenceRequest.class, client);

        byte[] first = serde.serializer().serialize("llm.requests", TestEvents.request());
        byte[] second = serde.serializer().serialize("llm.requests", TestEvents.request());
        InferenceRequest back = serde.deserializer().deserialize("llm.requests", first);

        assertThat(server.getRequestCount()).isEqualTo(1);
        RecordedRequest request = take();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getTarget()).isEqualTo("/subjects/llm.requests-value/versions");
        assertThat(request.getHeaders().get("Content-Type")).isEqualTo("application/vnd.schemaregistry.v1+json");
        assertThat(request.getHeaders().get("Accept")).startsWith("application/vnd.schemaregistry.v1+json");
        assertThat(request.getHeaders().get("Authorization")).isNull();
        assertThat(request.getBody().utf8())
                .isEqualTo(JSON.writeValueAsString(Map.of("schema", REQUEST.toString())));
        assertThat(new Schema.Parser().parse(JSON.readTree(request.getBody().utf8()).get("schema").asText()))
                .isEqualTo(REQUEST);
        assertThat(first).startsWith(0, 0, 0, 0, 21).isEqualTo(second);
        assertThat(back).isEqualTo(TestEvents.request());
    }

    @Test
    void anApicurioCcompatBaseUrlIsAPrefixAndUnknownFieldsAreIgnored() throws Exception {
        server.enqueue(json(200, "{\"id\": 3, \"version\": 1, \"guid\": \"x\", \"extra\": {\"a\": [1, 2]}}"));
        RestSchemaRegistryClient apicurio = new RestSchemaRegistryClient(HTTP, server.url("/apis/ccompat/v7/").toString());

        byte[] bytes = ConfluentAvroSerde.forValue(InferenceResult.class, apicurio).serializer()
                .serialize("llm.results", TestEvents.result());

        assertThat(WireFormat.schemaId(bytes)).isEqualTo(3);
        assertThat(take().getTarget()).isEqualTo("/apis/ccompat/v7/subjects/llm.results-value/versions");
    }

    @Test
    void subjectNamesArePathEncoded() throws Exception {
        server.enqueue(json(200, "{\"id\": 4}"));

        assertThat(client.register("a/b c", REQUEST)).isEqualTo(4);
        assertThat(take().getTarget()).isEqualTo("/subjects/a%2Fb%20c/versions");
    }

    @Test
    void anUnknownIdIsFetchedOnceWithGetSchemasIds() throws Exception {
        server.enqueue(json(200, JSON.writeValueAsString(Map.of("schema", REQUEST.toString(), "schemaType", "AVRO",
                "references", new Object[0], "subject", "llm.requests-value", "maxId", 99))));
        ConfluentAvroSerde<InferenceRequest> serde = ConfluentAvroSerde.forValue(InferenceRequest.class, client);
        byte[] bytes = Frames.frame(7, avroOf());

        assertThat(serde.deserializer().deserialize("llm.requests", bytes)).isEqualTo(TestEvents.request());
        assertThat(serde.deserializer().deserialize("llm.requests", bytes)).isEqualTo(TestEvents.request());
        assertThat(client.schemaById(7)).isEqualTo(REQUEST);

        assertThat(server.getRequestCount()).isEqualTo(1);
        RecordedRequest request = take();
        assertThat(request.getMethod()).isEqualTo("GET");
        assertThat(request.getTarget()).isEqualTo("/schemas/ids/7");
    }

    @Test
    void aSchemaAnswerWithoutSchemaTypeIsAvro() throws Exception {
        server.enqueue(json(200, JSON.writeValueAsString(Map.of("schema", ChatMessage.getClassSchema().toString()))));

        assertThat(client.schemaById(12)).isEqualTo(ChatMessage.getClassSchema());
    }

    @Test
    void aNonAvroSchemaIsRefused() {
        server.enqueue(json(200, "{\"schema\": \"syntax = \\\"proto3\\\";\", \"schemaType\": \"PROTOBUF\"}"));

        assertThatThrownBy(() -> client.schemaById(8))
                .isExactlyInstanceOf(SerdeException.class)
                .hasMessage("Schema id 8 at " + base + " is a PROTOBUF schema, not Avro");
    }

    @Test
    void notFoundIdIsUnknownSchemaIdWithTheIdAndRegistry() {
        server.enqueue(json(404, "{\"error_code\": 40403, \"message\": \"Schema 7 not found\"}"));
        ConfluentAvroSerde<InferenceRequest> serde = ConfluentAvroSerde.forValue(InferenceRequest.class, client);

        assertThatThrownBy(() -> serde.deserializer().deserialize("llm.requests", Frames.frame(7, avroOf())))
                .isExactlyInstanceOf(UnknownSchemaIdException.class)
                .hasMessage("Schema id 7 is not known to the schema registry at " + base);
    }

    @Test
    void aNegativeIdIsUnknownWithoutAsking() {
        assertThatThrownBy(() -> client.schemaById(-5)).isExactlyInstanceOf(UnknownSchemaIdException.class);
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void incompatibleSchemaIsARegistrationErrorWithTheRegistrysCodeAndMessage() {
        server.enqueue(json(409, "{\"error_code\": 409, \"message\": \"Schema being registered is incompatible with an"
                + " earlier schema for subject \\\"llm.requests-value\\\"\"}"));
        for (int i = 0; i < 3; i++) {
            server.enqueue(json(409, "{\"error_code\": 409, \"message\": \"Schema being registered is incompatible with an"
                    + " earlier schema for subject \\\"llm.requests-value\\\"\"}"));
        }
        server.enqueue(json(404, "{\"error_code\": 40403, \"message\": \"Schema not found\"}"));
        ConfluentAvroSerde<InferenceRequest> serde = ConfluentAvroSerde.forValue(InferenceRequest.class, client);

        assertThatThrownBy(() -> serde.serializer().serialize("llm.requests", TestEvents.request()))
                .isExactlyInstanceOf(SchemaRegistrationException.class)
                .hasMessage("Schema registry at " + base + " refused the schema for subject 'llm.requests-value': "
                        + "HTTP 409, error_code 409: Schema being registered is incompatible with an earlier schema "
                        + "for subject \"llm.requests-value\"")
                .satisfies(e -> {
                    SchemaRegistrationException r = (SchemaRegistrationException) e;
                    assertThat(r.errorCode()).isEqualTo(409);
                    assertThat(r.httpStatus()).isEqualTo(409);
                    assertThat(r.subject()).isEqualTo("llm.requests-value");
                });
    }

    @Test
    void apicurioConflictWithErrorCodeZeroIsHandledTheSame() {
        server.enqueue(json(409, "{\"message\": \"Incompatible artifact: llm.requests-value\", \"error_code\": 0,"
                + " \"detail\": \"RuleViolationException\"}"));
        for (int i = 0; i < 3; i++) {
            server.enqueue(json(409, "{\"message\": \"Incompatible artifact: llm.requests-value\", \"error_code\": 0,"
                    + " \"detail\": \"RuleViolationException\"}"));
        }
        server.enqueue(json(404, "{\"error_code\": 40403, \"message\": \"Schema not found\"}"));

        assertThatThrownBy(() -> client.register("llm.requests-value", REQUEST))
                .isExactlyInstanceOf(SchemaRegistrationException.class)
                .hasMessageEndingWith("HTTP 409, error_code 0: Incompatible artifact: llm.requests-value")
                .satisfies(e -> assertThat(((SchemaRegistrationException) e).errorCode()).isZero());
    }

    @Test
    void aSpuriousConflictFromARacingRegistrationIsRetried() throws Exception {
        server.enqueue(json(409, "{\"message\": \"An artifact with ID 's-value' in group 'null' already exists.\","
                + " \"error_code\": 409}"));
        server.enqueue(json(200, "{\"id\": 12}"));

        assertThat(client.register("s-value", REQUEST)).isEqualTo(12);
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void anInvalidSchemaIsARegistrationError() {
        server.enqueue(json(422, "{\"error_code\": 42201, \"message\": \"Invalid schema\"}"));

        assertThatThrownBy(() -> client.register("s", REQUEST))
                .isExactlyInstanceOf(SchemaRegistrationException.class)
                .hasMessageEndingWith("HTTP 422, error_code 42201: Invalid schema");
    }

    @Test
    void aFailedRegistrationIsNotCachedSoTheNextCallAsksAgain() {
        server.enqueue(json(500, "{\"error_code\": 50001, \"message\": \"Error in the backend data store\"}"));
        server.enqueue(json(200, "{\"id\": 9}"));

        assertThatThrownBy(() -> client.register("s", REQUEST))
                .isExactlyInstanceOf(SchemaRegistryUnavailableException.class)
                .hasMessage("Schema registry at " + base + " failed: POST " + base + "/subjects/s/versions answered "
                        + "HTTP 500: {\"error_code\": 50001, \"message\": \"Error in the backend data store\"}");
        assertThat(client.register("s", REQUEST)).isEqualTo(9);
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void a5xxOnAnIdLookupIsUnavailable() {
        server.enqueue(new MockResponse.Builder().code(503).body("<html>Service Unavailable</html>").build());

        assertThatThrownBy(() -> client.schemaById(3))
                .isExactlyInstanceOf(SchemaRegistryUnavailableException.class)
                .hasMessage("Schema registry at " + base + " failed: GET " + base + "/schemas/ids/3 answered HTTP 503: "
                        + "<html>Service Unavailable</html>");
    }

    @Test
    void aClosedServerIsUnavailableWithTheUrlAndCause() {
        server.close();

        assertThatThrownBy(() -> client.register("s", REQUEST))
                .isExactlyInstanceOf(SchemaRegistryUnavailableException.class)
                .hasMessageStartingWith("Schema registry at " + base + " is unavailable: POST " + base
                        + "/subjects/s/versions failed: java.net.ConnectException")
                .hasCauseInstanceOf(ConnectException.class);
    }

    @Test
    void aSlowServerTimesOutAsUnavailable() {
        server.enqueue(new MockResponse.Builder().body("{\"id\": 1}").headersDelay(2, TimeUnit.SECONDS).build());
        OkHttpClient impatient = HTTP.newBuilder().readTimeout(Duration.ofMillis(200)).build();

        assertThatThrownBy(() -> new RestSchemaRegistryClient(impatient, base).schemaById(1))
                .isExactlyInstanceOf(SchemaRegistryUnavailableException.class)
                .hasMessageContaining(base)
                .hasCauseInstanceOf(SocketTimeoutException.class);
    }

    @Test
    void basicAuthFromUserInfoIsSentAndNeverPutIntoAMessage() throws Exception {
        server.enqueue(json(200, "{\"id\": 1}"));
        server.enqueue(json(500, "{}"));
        String withUserInfo = base.replace("http://", "http://alice:s3cret%21@");
        RestSchemaRegistryClient secured = new RestSchemaRegistryClient(HTTP, withUserInfo);

        secured.register("s", REQUEST);
        assertThat(take().getHeaders().get("Authorization")).isEqualTo(Credentials.basic("alice", "s3cret!"));
        assertThatThrownBy(() -> secured.schemaById(5))
                .isExactlyInstanceOf(SchemaRegistryUnavailableException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret").doesNotContain("alice")
                        .contains(base));
        assertThat(take().getHeaders().get("Authorization")).isEqualTo(Credentials.basic("alice", "s3cret!"));
        assertThat(secured.displayUrl()).isEqualTo(base);
    }

    @Test
    void explicitCredentialsWinOverUserInfo() throws Exception {
        server.enqueue(json(200, "{\"id\": 1}"));
        RestSchemaRegistryClient secured = new RestSchemaRegistryClient(HTTP,
                base.replace("http://", "http://x:y@"), "key", "secret");

        secured.register("s", REQUEST);
        assertThat(take().getHeaders().get("Authorization")).isEqualTo(Credentials.basic("key", "secret"));
    }

    @Test
    void idOfLooksUpWithoutRegisteringAndSharesTheCache() throws Exception {
        server.enqueue(json(200, "{\"subject\": \"s\", \"id\": 5, \"version\": 2, \"schema\": \"\\\"string\\\"\"}"));
        server.enqueue(json(404, "{\"error_code\": 40403, \"message\": \"Schema not found\"}"));

        assertThat(client.idOf("s", REQUEST)).isEqualTo(5);
        assertThat(client.register("s", REQUEST)).isEqualTo(5);
        RecordedRequest lookup = take();
        assertThat(lookup.getMethod()).isEqualTo("POST");
        assertThat(lookup.getTarget()).isEqualTo("/subjects/s");
        assertThat(lookup.getBody().utf8()).isEqualTo(JSON.writeValueAsString(Map.of("schema", REQUEST.toString())));
        assertThatThrownBy(() -> client.idOf("other", REQUEST))
                .isExactlyInstanceOf(SchemaRegistrationException.class)
                .hasMessageEndingWith("HTTP 404, error_code 40403: Schema not found");
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void anAnswerWithoutANumericIdIsAnError() {
        server.enqueue(json(200, "{\"id\": \"abc\"}"));

        assertThatThrownBy(() -> client.register("s", REQUEST))
                .isExactlyInstanceOf(SerdeException.class)
                .hasMessage("Schema registry at " + base + " answered without a numeric id for subject 's': {\"id\": \"abc\"}");
    }

    @Test
    void anInvalidBaseUrlIsRejectedWithoutEchoingIt() {
        assertThatThrownBy(() -> new RestSchemaRegistryClient(HTTP, "registry:8081"))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("The schema registry URL is not an http(s) URL");
    }

    private static byte[] avroOf() {
        byte[] framed = ConfluentAvroSerde.forValue(InferenceRequest.class, new InMemorySchemaRegistry()).serializer()
                .serialize("x", TestEvents.request());
        byte[] body = new byte[framed.length - 5];
        System.arraycopy(framed, 5, body, 0, body.length);
        return body;
    }
}
