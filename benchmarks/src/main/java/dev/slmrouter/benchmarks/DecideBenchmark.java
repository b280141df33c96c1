package dev.slmrouter.benchmarks;

import dev.slmrouter.events.RoutingDecision;
import dev.slmrouter.router.classify.TaskTypeClassifier.TaskPrediction;
import dev.slmrouter.router.language.LanguageDetector.LanguageGuess;
import dev.slmrouter.router.validation.Rejection;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The router's per-record work without Kafka, in microseconds per request averaged over the
 * {@link PromptMix}: the whole decision with producer hints ({@code decideHinted}, budget 20 µs) and
 * without them ({@code decideUnhinted}, budget 1 ms; {@code decideUnhintedLingua} is the same with Lingua
 * alone detecting the language, as before the tiered detector), the parts of a decision on their own (task
 * classifier, language detection tiered and Lingua alone, token count) to show which part dominates, and the Avro
 * decode plus validation that precede every decision. Each call takes the next request of the mix, so
 * a score is the mix's average, not one prompt's. JMH measures wall time, which a busy shared machine
 * inflates; {@link DecideCpuTime} measures the same operations in thread CPU time.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
// Lingua's high-accuracy models for 16 languages take about 360 MB; 1 GB leaves JIT and GC room.
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class DecideBenchmark {

    /** Lingua's mode: the router's default is high; {@code -p languageAccuracy=high,low} compares both. */
    @Param({"high"})
    public String languageAccuracy;

    private DecideFixture fixture;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        fixture = new DecideFixture(!languageAccuracy.equals("low"));
    }

    private int nextIndex() {
        final int i = next;
        next = i + 1 == fixture.size() ? 0 : i + 1;
        return i;
    }

    @Benchmark
    public RoutingDecision decideHinted() {
        return fixture.decideHinted(nextIndex());
    }

    @Benchmark
    public RoutingDecision decideUnhinted() {
        return fixture.decideUnhinted(nextIndex());
    }

    /** Before the tiered language detector: the same decision with Lingua alone. */
    @Benchmark
    public RoutingDecision decideUnhintedLingua() {
        return fixture.decideUnhintedLingua(nextIndex());
    }

    @Benchmark
    public LanguageGuess detectLanguageLinguaOnly() {
        return fixture.detectLanguageLingua(nextIndex());
    }

    @Benchmark
    public TaskPrediction classifyTaskOnly() {
        return fixture.classifyTask(nextIndex());
    }

    @Benchmark
    public LanguageGuess detectLanguageOnly() {
        return fixture.detectLanguage(nextIndex());
    }

    @Benchmark
    public int estimateTokensOnly() {
        return fixture.estimateTokens(nextIndex());
    }

    @Benchmark
    public Optional<Rejection> decodeAndValidate() {
        return fixture.decodeAndValidate(nextIndex());
    }
}
