package dev.slmrouter.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.apache.avro.Schema;

/**
 * A {@link SchemaRegistryClient} over the Confluent Schema Registry REST API only, so that it works
 * with every registry speaking it: Confluent, Karapace, Redpanda, and Apicurio under its
 * {@code /apis/ccompat/v7} prefix (the base URL is just a prefix). It reads answers leniently
 * (unknown fields ignored, ids as JSON numbers) and caches schema ids per subject and schemas per
 * id for the life of the client, so a serde makes HTTP calls only the first time it meets a topic
 * or an id. Basic-auth credentials come from the URL's user-info or the constructor and are never
 * put into a message.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    static final MediaType CONTENT_TYPE = MediaType.get("application/vnd.schemaregistry.v1+json");
    // What Confluent's own client accepts: old registries answer plain application/json.
    private static final String ACCEPT = "application/vnd.schemaregistry.v1+json, "
            + "application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int REGISTRATION_RETRIES = 3;

    private final OkHttpClient http;
    private final HttpUrl baseUrl;
    private final String authorization;
    private final ConcurrentMap<String, ConcurrentMap<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
    private final ConcurrentMap<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Object registrationLock = new Object();

    /** A client with its own OkHttp client ({@link #defaultHttpClient()}). */
    public RestSchemaRegistryClient(String baseUrl) {
        this(defaultHttpClient(), baseUrl);
    }

    public RestSchemaRegistryClient(OkHttpClient http, String baseUrl) {
        this(http, baseUrl, null, null);
    }

    /** Explicit credentials win over any user-info in {@code baseUrl}; a null username means none. */
    public RestSchemaRegistryClient(OkHttpClient http, String baseUrl, String username, String password) {
        HttpUrl url = baseUrl == null ? null : HttpUrl.parse(baseUrl.trim());
        if (url == null) {
            // The URL itself is not echoed: it may hold a password.
            throw new IllegalArgumentException("The schema registry URL is not an http(s) URL");
        }
        String user = username != null ? username : url.username();
        String pass = username != null ? (password == null ? "" : password) : url.password();
        this.authorization = user.isEmpty() ? null : Credentials.basic(user, pass, StandardCharsets.UTF_8);
        this.baseUrl = url.newBuilder().username("").password("").query(null).fragment(null).build();
        this.http = http;
    }

    /** Connect 5 s, read and write 10 s, whole call 30 s: a registry slower than that is down. */
    public static OkHttpClient defaultHttpClient() {
        return new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofSeconds(10))
                .writeTimeout(Duration.ofSeconds(10))
                .callTimeout(Duration.ofSeconds(30))
                .build();
    }

    @Override
    public int register(String subject, Schema schema) {
        return idUnder(subject, schema, url("subjects", subject, "versions"));
    }

    @Override
    public int idOf(String subject, Schema schema) {
        return idUnder(subject, schema, url("subjects", subject));
    }

    @Override
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        if (id < 0) { // registries hand out positive ids: this is a garbage header, no need to ask
            throw new UnknownSchemaIdException(id, displayUrl());
        }
        RegistryAnswer answer = execute(request(url("schemas", "ids", Integer.toString(id))).get().build());
        if (answer.status() == 404) {
            throw new UnknownSchemaIdException(id, displayUrl());
        }
        if (!answer.ok()) {
            throw new SerdeException("Schema registry at " + displayUrl() + " answered HTTP " + answer.status()
                    + " for schema id " + id + ": " + answer.message());
        }
        String type = answer.json().path("schemaType").asText("AVRO");
        if (!"AVRO".equalsIgnoreCase(type)) {
            throw new SerdeException("Schema id " + id + " at " + displayUrl() + " is a " + type
                    + " schema, not Avro");
        }
        Schema schema;
        try {
            schema = new Schema.Parser().parse(answer.json().path("schema").asText());
        } catch (RuntimeException e) {
            throw new SerdeException("Schema id " + id + " at " + displayUrl() + " is not a valid Avro schema: "
                    + e.getMessage(), e);
        }
        Schema previous = schemasById.putIfAbsent(id, schema);
        return previous != null ? previous : schema;
    }

    /** The base URL without credentials, as put into messages. */
    public String displayUrl() {
        String s = baseUrl.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private int idUnder(String subject, Schema schema, HttpUrl url) {
        ConcurrentMap<Schema, Integer> ids = idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
        Integer cached = ids.get(schema);
        if (cached != null) {
            return cached;
        }
        // One first-time call at a time per client: Apicurio 2.4 (in-memory storage) answers concurrent
        // creations, even of different subjects, with a spurious 409 "already exists". Only cache misses
        // take this lock, a handful of times per process.
        synchronized (registrationLock) {
            cached = ids.get(schema);
            if (cached != null) {
                return cached;
            }
            RegistryAnswer answer = execute(request(url).post(RequestBody.create(schemaBody(schema), CONTENT_TYPE)).build());
            final boolean registering = url.pathSegments().get(url.pathSize() - 1).equals("versions");
            // Another process may be creating artifacts at the same moment (the same Apicurio race): try again.
            for (int retry = 1; registering && answer.status() == 409 && retry <= REGISTRATION_RETRIES; retry++) {
                pause(Duration.ofMillis(100L * retry));
                answer = execute(request(url).post(RequestBody.create(schemaBody(schema), CONTENT_TYPE)).build());
            }
            if (answer.status() == 409 && registering) {
                // Maybe it now exists under this subject: look it up before giving up.
                try {
                    RegistryAnswer lookup = execute(request(url("subjects", subject))
                            .post(RequestBody.create(schemaBody(schema), CONTENT_TYPE)).build());
                    if (lookup.ok()) {
                        answer = lookup;
                    }
                } catch (SerdeException e) {
                    // keep the registration's own answer: it says why the schema was refused
                }
            }
            if (!answer.ok()) {
                int errorCode = answer.json().path("error_code").asInt(answer.status());
                throw new SchemaRegistrationException(subject, answer.status(), errorCode, answer.message(), displayUrl());
            }
            JsonNode idNode = answer.json().path("id");
            if (!idNode.isIntegralNumber() || !idNode.canConvertToInt()) {
                throw new SerdeException("Schema registry at " + displayUrl() + " answered without a numeric id for subject '"
                        + subject + "': " + RegistryAnswer.abbreviate(answer.body()));
            }
            int id = idNode.intValue();
            ids.putIfAbsent(schema, id);
            schemasById.putIfAbsent(id, schema);
            return id;
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryUnavailableException("interrupted while registering a schema", e);
        }
    }

    private static byte[] schemaBody(Schema schema) {
        try {
            return JSON.writeValueAsBytes(JSON.createObjectNode().put("schema", schema.toString()));
        } catch (IOException e) {
            throw new SerdeException("Cannot write the registration request for " + schema.getFullName(), e);
        }
    }

    private HttpUrl url(String... segments) {
        HttpUrl.Builder b = baseUrl.newBuilder();
        for (String segment : segments) {
            b.addPathSegment(segment); // encodes '/' and the like in subject names
        }
        return b.build();
    }

    private Request.Builder request(HttpUrl url) {
        Request.Builder b = new Request.Builder().url(url).header("Accept", ACCEPT);
        return authorization == null ? b : b.header("Authorization", authorization);
    }

    private RegistryAnswer execute(Request request) {
        String what = request.method() + " " + request.url();
        try (Response response = http.newCall(request).execute()) {
            int status = response.code();
            String body = response.body().string();
            if (status >= 500 || status == 408 || status == 429) {
                throw new SchemaRegistryUnavailableException("Schema registry at " + displayUrl() + " failed: "
                        + what + " answered HTTP " + status + ": " + RegistryAnswer.abbreviate(body));
            }
            return new RegistryAnswer(status, RegistryAnswer.parse(body), body);
        } catch (IOException e) {
            throw new SchemaRegistryUnavailableException("Schema registry at " + displayUrl() + " is unavailable: "
                    + what + " failed: " + e, e);
        }
    }
}
