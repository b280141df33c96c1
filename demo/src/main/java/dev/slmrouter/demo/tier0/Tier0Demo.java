package dev.slmrouter.demo.tier0;

import dev.slmrouter.demo.datasets.DataSetFiles;
import dev.slmrouter.demo.traffic.ClassificationTraffic;
import dev.slmrouter.router.policy.PolicyLoader;
import dev.slmrouter.tier0.data.LabeledData;
import dev.slmrouter.tier0.data.LabeledExample;
import dev.slmrouter.tier0.encoder.EncoderSpec;
import dev.slmrouter.tier0.head.SoftmaxTrainer;
import dev.slmrouter.tier0.model.ClassifierArtifact;
import dev.slmrouter.tier0.train.ClassifierTraining;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Tier 0 in the demo: trains a classifier for the English classification traffic, writes it and a routing
 * policy (the bundled one plus a {@code tier0} section naming it) so the router sends that traffic to the
 * tier-0 worker. What it trains on:
 * <ul>
 *   <li>the built-in traffic: {@code tier0/tickets-train.csv}, 96 tickets written for this project (12 per
 *       label), none of them among the built-in traffic's 32 English tickets;</li>
 *   <li>BANKING77: its {@code train.csv}, next to the {@code test.csv} the traffic comes from;</li>
 *   <li>with CLINC150's out-of-scope queries in the traffic: also CLINC150's {@code oos_train} split,
 *       labeled {@value ClassificationTraffic#OUT_OF_SCOPE}, so the classifier knows the label the traffic
 *       offers for them (the traffic's out-of-scope queries are the separate {@code oos_test} split).</li>
 * </ul>
 * Tier 0 stays off, with the reason, when a request's label set cannot match the classifier's
 * ({@code --labels-per-request}), or when no training split separate from the traffic exists.
 */
public final class Tier0Demo {

    static final String BUILT_IN_TRAINING = "tier0/tickets-train.csv";
    static final String OOS_TRAIN_SPLIT = "oos_train";

    /** What the demo runs with tier 0: the policy for the router and the model for the worker. */
    public record Setup(Path policyFile, Path modelFile, String description) {
    }

    /** Tier 0 on, or off and why. */
    public sealed interface Decision permits On, Off {
    }

    public record On(List<LabeledExample> examples, String name, String source) implements Decision {
    }

    public record Off(String reason) implements Decision {
    }

    private Tier0Demo() {
    }

    /**
     * Which examples tier 0 trains on for this traffic, or why it stays off (a training file that is missing
     * or cannot be read is such a reason: the demo runs on without tier 0); reads only the files it needs.
     */
    public static Decision plan(final ClassificationTraffic traffic, final DataSetFiles files, final Path workDir) {
        try {
            return planOrThrow(traffic, files, workDir);
        } catch (IOException e) {
            return new Off("the training data cannot be read: " + e.getMessage());
        }
    }

    private static Decision planOrThrow(final ClassificationTraffic traffic, final DataSetFiles files,
                                        final Path workDir) throws IOException {
        if (traffic.labelsPerRequest() > 0) {
            return new Off("--labels-per-request offers each request its own label subset, which matches no classifier");
        }
        final List<LabeledExample> examples = new ArrayList<>();
        final List<String> sources = new ArrayList<>();
        if (files.banking77().isPresent()) {
            final Path traffic77 = files.banking77().get();
            final Path train = traffic77.resolveSibling("train.csv");
            if (traffic77.getFileName().toString().equals("train.csv") || !Files.isRegularFile(train)) {
                return new Off("BANKING77's train.csv, separate from the traffic's test split, is not next to " + traffic77);
            }
            examples.addAll(LabeledData.read(train, List.of()));
            sources.add(train.toString());
        } else {
            final Path builtIn = workDir.resolve("tickets-train.csv");
            copyResource(BUILT_IN_TRAINING, builtIn);
            examples.addAll(LabeledData.read(builtIn, List.of()));
            sources.add("built-in " + BUILT_IN_TRAINING);
        }
        if (traffic.outOfScope().isPresent() && files.clinc150().isPresent()) {
            final Path clinc = files.clinc150().get();
            LabeledData.read(clinc, List.of(OOS_TRAIN_SPLIT)).forEach(e ->
                    examples.add(new LabeledExample(e.text(), ClassificationTraffic.OUT_OF_SCOPE)));
            sources.add(clinc + "#" + OOS_TRAIN_SPLIT + " as " + ClassificationTraffic.OUT_OF_SCOPE);
        }
        final Set<String> trained = new HashSet<>(LabeledData.labels(examples));
        final Set<String> offered = new HashSet<>(traffic.english().labels());
        if (!trained.equals(offered)) {
            return new Off("the training labels (" + trained.size() + ") are not the label set the traffic offers ("
                    + offered.size() + ")");
        }
        return new On(examples, traffic.english().name().replaceAll("[^A-Za-z0-9._-]", "-"), String.join(" + ", sources));
    }

    /**
     * Trains the classifier (embeddings cached in {@code cacheDir}), writes it to {@code workDir} and the
     * policy next to it; progress lines go to {@code log}.
     */
    public static Setup train(final On plan, final EncoderSpec encoder, final Path workDir, final Path cacheDir,
                              final PrintStream log) throws IOException {
        Files.createDirectories(cacheDir);
        final ClassifierArtifact artifact = new ClassifierTraining(plan.name(), plan.source(), plan.examples(), encoder,
                encoder.maxTokens(), cacheDir, SoftmaxTrainer.Options.defaults(), 0.9).run(log);
        final Path model = workDir.resolve(plan.name() + ".tier0.json");
        artifact.write(model);
        final Path policy = workDir.resolve("policy.yaml");
        Files.writeString(policy, policyWith(model));
        return new Setup(policy, model, "tier 0: classifier " + plan.name() + " (" + encoder.id() + ", "
                + artifact.labels().size() + " labels, threshold " + artifact.threshold() + ") trained on "
                + plan.examples().size() + " examples from " + plan.source());
    }

    /** The bundled policy, with its own version, and a tier0 section naming {@code model}. */
    static String policyWith(final Path model) {
        final String bundled = resource(PolicyLoader.DEFAULT_RESOURCE);
        return bundled.replaceFirst("(?m)^version: \"([^\"]*)\"", "version: \"$1+demo-tier0\"")
                + "\ntier0:\n  fallback_tier: SLM\n  classifiers:\n    - model: \"" + model.toAbsolutePath() + "\"\n"
                + "      languages: [en]\n";
    }

    private static String resource(final String name) {
        try (InputStream in = Tier0Demo.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyResource(final String name, final Path target) throws IOException {
        Files.writeString(target, resource(name));
    }
}
