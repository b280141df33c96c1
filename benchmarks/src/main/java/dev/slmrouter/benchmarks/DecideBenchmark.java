package dev.slmrouter.benchmarks;

import dev.slmrouter.events.ChatMessage;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.RoutingDecision;
import dev.slmrouter.router.classify.HashedNgramClassifier;
import dev.slmrouter.router.classify.TaskTypeClassifier.TaskPrediction;
import dev.slmrouter.router.language.LanguageDetector.LanguageGuess;
import dev.slmrouter.router.language.LinguaLanguageDetector;
import dev.slmrouter.router.policy.PolicyLoader;
import dev.slmrouter.router.routing.RoutingDecider;
import dev.slmrouter.router.routing.VolumeView;
import dev.slmrouter.router.size.TokenEstimator;
import dev.slmrouter.router.validation.Rejection;
import dev.slmrouter.router.validation.RequestValidator;
import dev.slmrouter.serde.ConfluentAvroDeserializer;
import dev.slmrouter.serde.ConfluentAvroSerde;
import dev.slmrouter.serde.InMemorySchemaRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The router's per-record work without Kafka, in microseconds per request averaged over the
 * {@link PromptMix}: the whole decision with producer hints ({@code decideHinted}, budget 20 µs) and
 * without them ({@code decideUnhinted}, budget 1 ms), the parts of an unhinted decision on their own
 * (task classifier, Lingua language detection, token count) to show which part dominates, and the
 * Avro decode plus validation that precede every decision. Each call takes the next request of the
 * mix, so a score is the mix's average, not one prompt's. The decider is built exactly as the router
 * builds it: default policy, default classifier, the default 16 languages in high-accuracy mode.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
// Lingua's high-accuracy models for 16 languages take a few hundred MB; 1 GB leaves JIT and GC room.
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class DecideBenchmark {

    private static final String TOPIC = "llm.requests";

    private RoutingDecider decider;
    private HashedNgramClassifier classifier;
    private LinguaLanguageDetector languages;
    private TokenEstimator tokens;
    private RequestValidator validator;
    private ConfluentAvroDeserializer<InferenceRequest> deserializer;
    // Realistic but fixed volumes: every task type in the middle band, so the matrix lookup is not trivial.
    private final VolumeView volumes = taskType -> 50_000L;
    private final Instant now = Instant.parse("2026-11-28T12:00:00Z");

    private InferenceRequest[] hinted;
    private InferenceRequest[] unhinted;
    private String[] userTexts;
    private byte[][] encoded;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        final PromptMix mix = PromptMix.load();
        classifier = HashedNgramClassifier.trainDefault();
        languages = LinguaLanguageDetector.forLanguages(LinguaLanguageDetector.DEFAULT_LANGUAGES, true);
        tokens = new TokenEstimator();
        decider = new RoutingDecider(PolicyLoader.loadDefault(), classifier, languages, tokens);
        validator = new RequestValidator(200_000);
        final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        final ConfluentAvroSerde<InferenceRequest> serde = ConfluentAvroSerde.forValue(InferenceRequest.class, registry);
        deserializer = serde.deserializer();

        final int n = mix.size();
        hinted = new InferenceRequest[n];
        unhinted = new InferenceRequest[n];
        userTexts = new String[n];
        encoded = new byte[n][];
        for (int i = 0; i < n; i++) {
            hinted[i] = mix.request(i, true);
            unhinted[i] = mix.request(i, false);
            final List<ChatMessage> messages = hinted[i].getMessages();
            userTexts[i] = messages.get(messages.size() - 1).getContent();
            encoded[i] = serde.serializer().serialize(TOPIC, hinted[i]);
            // Fail the setup, not the measurement, if the mix itself is not routable.
            if (validator.validate(hinted[i]).isPresent()) {
                throw new IllegalStateException("benchmark prompt " + i + " is invalid: " + validator.validate(hinted[i]));
            }
        }
    }

    private int nextIndex() {
        final int i = next;
        next = i + 1 == hinted.length ? 0 : i + 1;
        return i;
    }

    @Benchmark
    public RoutingDecision decideHinted() {
        return decider.decide(hinted[nextIndex()], volumes, now);
    }

    @Benchmark
    public RoutingDecision decideUnhinted() {
        return decider.decide(unhinted[nextIndex()], volumes, now);
    }

    @Benchmark
    public TaskPrediction classifyTaskOnly() {
        return classifier.classify(unhinted[nextIndex()]);
    }

    @Benchmark
    public LanguageGuess detectLanguageOnly() {
        return languages.detect(userTexts[nextIndex()]);
    }

    @Benchmark
    public int estimateTokensOnly() {
        return tokens.estimate(hinted[nextIndex()]);
    }

    /** What the route processor does before deciding: decode the Confluent-framed Avro and validate it. */
    @Benchmark
    public Optional<Rejection> decodeAndValidate() {
        return validator.validate(deserializer.deserialize(TOPIC, encoded[nextIndex()]));
    }
}
