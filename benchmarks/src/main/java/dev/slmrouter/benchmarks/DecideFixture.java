package dev.slmrouter.benchmarks;

import dev.slmrouter.events.ChatMessage;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.RoutingDecision;
import dev.slmrouter.router.classify.HashedNgramClassifier;
import dev.slmrouter.router.classify.TaskTypeClassifier.TaskPrediction;
import dev.slmrouter.router.language.LanguageDetector.LanguageGuess;
import dev.slmrouter.router.language.LinguaLanguageDetector;
import dev.slmrouter.router.language.TieredLanguageDetector;
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

/**
 * The decide step's parts built exactly as the router builds them (default policy, default classifier,
 * the default 16 languages, the tiered language detector), the same decider with Lingua alone as the
 * language detector (the router before 2026-11-28, for side-by-side comparison), plus the {@link PromptMix} as ready requests, Confluent-framed bytes and
 * last user texts. Each operation takes the index of the request to use, so callers cycle through the
 * whole mix. Shared by the JMH benchmark and the CPU-time harness so both measure the same code.
 */
public final class DecideFixture {

    static final String TOPIC = "llm.requests";

    private final RoutingDecider decider;
    private final RoutingDecider linguaDecider;
    private final HashedNgramClassifier classifier;
    private final LinguaLanguageDetector lingua;
    private final TieredLanguageDetector languages;
    private final TokenEstimator tokens;
    private final RequestValidator validator;
    private final ConfluentAvroDeserializer<InferenceRequest> deserializer;
    // Fixed volumes: every task type in the middle band, so the matrix lookup is not a trivial case.
    private final VolumeView volumes = taskType -> 50_000L;
    private final Instant now = Instant.parse("2026-11-28T12:00:00Z");

    private final InferenceRequest[] hinted;
    private final InferenceRequest[] unhinted;
    private final String[] userTexts;
    private final byte[][] encoded;

    public DecideFixture(final boolean highAccuracy) {
        final PromptMix mix = PromptMix.load();
        classifier = HashedNgramClassifier.trainDefault();
        lingua = LinguaLanguageDetector.forLanguages(LinguaLanguageDetector.DEFAULT_LANGUAGES, highAccuracy);
        languages = TieredLanguageDetector.forLanguages(LinguaLanguageDetector.DEFAULT_LANGUAGES, highAccuracy);
        tokens = new TokenEstimator();
        decider = new RoutingDecider(PolicyLoader.loadDefault(), classifier, languages, tokens);
        linguaDecider = new RoutingDecider(PolicyLoader.loadDefault(), classifier, lingua, tokens);
        validator = new RequestValidator(200_000);
        final ConfluentAvroSerde<InferenceRequest> serde =
                ConfluentAvroSerde.forValue(InferenceRequest.class, new InMemorySchemaRegistry());
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
            // Fail here, not in the measurement, if the mix itself is not routable.
            final Optional<Rejection> invalid = validator.validate(hinted[i]);
            if (invalid.isPresent()) {
                throw new IllegalStateException("benchmark prompt " + i + " is invalid: " + invalid.get());
            }
        }
    }

    /** How many distinct requests the mix has. */
    public int size() {
        return hinted.length;
    }

    public RoutingDecision decideHinted(final int i) {
        return decider.decide(hinted[i], volumes, now);
    }

    public RoutingDecision decideUnhinted(final int i) {
        return decider.decide(unhinted[i], volumes, now);
    }

    /** The unhinted decision with Lingua alone detecting the language (before the tiered detector). */
    public RoutingDecision decideUnhintedLingua(final int i) {
        return linguaDecider.decide(unhinted[i], volumes, now);
    }

    public TaskPrediction classifyTask(final int i) {
        return classifier.classify(unhinted[i]);
    }

    public LanguageGuess detectLanguage(final int i) {
        return languages.detect(userTexts[i]);
    }

    /** Lingua alone on the same text (the detector before the tiered one). */
    public LanguageGuess detectLanguageLingua(final int i) {
        return lingua.detect(userTexts[i]);
    }

    /** The tiered detector, to read which stage placed how many texts. */
    public TieredLanguageDetector tieredDetector() {
        return languages;
    }

    public int estimateTokens(final int i) {
        return tokens.estimate(hinted[i], 8_000);
    }

    /** What the route processor does before deciding: decode the Confluent-framed Avro and validate it. */
    public Optional<Rejection> decodeAndValidate(final int i) {
        return validator.validate(deserializer.deserialize(TOPIC, encoded[i]));
    }
}
