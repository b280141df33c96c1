package dev.slmrouter.router.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.slmrouter.events.TaskType;
import dev.slmrouter.events.Tier;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a policy file (YAML; format documented in {@code default-policy.yaml}) and checks every field,
 * so a broken policy stops the router at start with a message naming the file and the field instead of
 * misrouting traffic.
 */
public final class PolicyLoader {

    /** The policy bundled with the router, used when no file is configured. */
    public static final String DEFAULT_RESOURCE = "default-policy.yaml";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern ISO_639_1 = Pattern.compile("[a-z]{2}");
    private static final Set<String> TOP_LEVEL_FIELDS = Set.of("version", "volume_bands_per_day", "matrix",
            "scores", "supported_languages", "min_language_confidence", "context_budget_tokens",
            "min_task_confidence", "tenants", "tier0");
    private static final Set<String> TIER0_FIELDS = Set.of("fallback_tier", "classifiers");
    private static final Set<String> CLASSIFIER_FIELDS = Set.of("model", "languages");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TENANT_FIELDS = Set.of("force_tier", "between", "supported_languages",
            "matrix");

    private PolicyLoader() {
    }

    public static RoutingPolicy loadDefault() {
        try (InputStream in = PolicyLoader.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new PolicyException("The bundled policy " + DEFAULT_RESOURCE + " is missing from the classpath");
            }
            return parse(YAML.readTree(in), "classpath:" + DEFAULT_RESOURCE, Path.of(""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RoutingPolicy load(final Path file) {
        try (Reader reader = Files.newBufferedReader(file)) {
            return parse(YAML.readTree(reader), file.toString(), directoryOf(file));
        } catch (IOException e) {
            throw new PolicyException("Cannot read policy file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses policy text; relative classifier model paths resolve against the working directory. */
    public static RoutingPolicy parse(final String yaml, final String source) {
        try {
            return parse(YAML.readTree(yaml), source, Path.of(""));
        } catch (IOException e) {
            throw new PolicyException("Policy " + source + " is not valid YAML: " + e.getMessage(), e);
        }
    }

    private static Path directoryOf(final Path file) {
        final Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of("") : parent;
    }

    private static RoutingPolicy parse(final JsonNode root, final String source, final Path baseDir) {
        final Fields f = new Fields(source);
        if (root == null || !root.isObject()) {
            throw f.error("", "must be a YAML mapping");
        }
        f.rejectUnknown(root, "", TOP_LEVEL_FIELDS);
        final String version = f.text(root, "version");
        final VolumeBands bands = f.bands(root.get("volume_bands_per_day"));
        final Map<TaskType, int[]> matrix = f.matrix(root.get("matrix"), "matrix", bands, true);
        final JsonNode scores = f.object(root, "scores");
        final int slmAtMost = f.scoreField(scores, "scores.slm_at_most");
        final int gptAtLeast = f.scoreField(scores, "scores.gpt_at_least");
        if (slmAtMost >= gptAtLeast) {
            throw f.error("scores", "slm_at_most (" + slmAtMost + ") must be below gpt_at_least (" + gptAtLeast + ")");
        }
        final TenantRules defaults = new TenantRules(Optional.empty(), bands, matrix, slmAtMost, gptAtLeast,
                f.tier(scores.get("between"), "scores.between"),
                f.languages(root.get("supported_languages"), "supported_languages"),
                f.fraction(root.get("min_language_confidence"), "min_language_confidence"),
                f.positiveInt(root.get("context_budget_tokens"), "context_budget_tokens"),
                f.fraction(root.get("min_task_confidence"), "min_task_confidence"));
        final Map<String, TenantRules> tenants = new HashMap<>();
        final JsonNode tenantNodes = root.get("tenants");
        if (tenantNodes != null && !tenantNodes.isNull()) {
            if (!tenantNodes.isObject()) {
                throw f.error("tenants", "must be a mapping of tenant name to overrides");
            }
            tenantNodes.fields().forEachRemaining(e ->
                    tenants.put(e.getKey(), f.tenant(e.getValue(), "tenants." + e.getKey(), defaults)));
        }
        return new RoutingPolicy(version, defaults, tenants, f.tier0(root.get("tier0"), baseDir));
    }

    /** Field readers that know the file name, so every error says where it is. */
    private record Fields(String source) {

        PolicyException error(final String field, final String problem) {
            return new PolicyException("Policy " + source + (field.isEmpty() ? "" : ": field '" + field + "'")
                    + " " + problem);
        }

        void rejectUnknown(final JsonNode node, final String path, final Set<String> known) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                final String name = it.next();
                if (!known.contains(name)) {
                    throw error(path + name, "is not a known field; known fields: " + known);
                }
            }
        }

        JsonNode object(final JsonNode parent, final String name) {
            final JsonNode node = parent.get(name);
            if (node == null || !node.isObject()) {
                throw error(name, "is required and must be a mapping");
            }
            return node;
        }

        String text(final JsonNode parent, final String name) {
            return text(parent, name, name);
        }

        VolumeBands bands(final JsonNode node) {
            if (node == null || !node.isArray() || node.isEmpty()) {
                throw error("volume_bands_per_day", "is required: a list of increasing positive numbers");
            }
            final long[] limits = new long[node.size()];
            for (int i = 0; i < limits.length; i++) {
                if (!node.get(i).canConvertToLong() || node.get(i).asLong() <= 0
                        || (i > 0 && node.get(i).asLong() <= limits[i - 1])) {
                    throw error("volume_bands_per_day", "must be increasing positive whole numbers, got " + node);
                }
                limits[i] = node.get(i).asLong();
            }
            return new VolumeBands(limits);
        }

        Map<TaskType, int[]> matrix(final JsonNode node, final String path, final VolumeBands bands,
                                    final boolean complete) {
            if (node == null || !node.isObject()) {
                throw error(path, "must be a mapping of task type to one score per volume band");
            }
            final Map<TaskType, int[]> matrix = new EnumMap<>(TaskType.class);
            node.fields().forEachRemaining(e -> {
                final TaskType type = taskType(e.getKey(), path);
                final JsonNode row = e.getValue();
                final String rowPath = path + "." + e.getKey();
                if (!row.isArray() || row.size() != bands.count()) {
                    throw error(rowPath, "must list " + bands.count() + " scores (one per volume band), got " + row);
                }
                final int[] scores = new int[row.size()];
                for (int i = 0; i < scores.length; i++) {
                    scores[i] = score(row.get(i), rowPath);
                }
                matrix.put(type, scores);
            });
            if (complete) {
                for (TaskType type : TaskType.values()) {
                    if (type != TaskType.UNKNOWN && !matrix.containsKey(type)) {
                        throw error(path, "has no row for " + type);
                    }
                }
            }
            return matrix;
        }

        TaskType taskType(final String name, final String path) {
            try {
                final TaskType type = TaskType.valueOf(name.toUpperCase(Locale.ROOT));
                if (type != TaskType.UNKNOWN) {
                    return type;
                }
            } catch (IllegalArgumentException ignored) {
                // reported below with the list of valid names
            }
            throw error(path + "." + name, "is not a task type; expected one of "
                    + Arrays.stream(TaskType.values()).filter(t -> t != TaskType.UNKNOWN).toList());
        }

        int scoreField(final JsonNode parent, final String path) {
            final String name = path.substring(path.lastIndexOf('.') + 1);
            return score(parent.get(name), path);
        }

        int score(final JsonNode node, final String path) {
            if (node == null || !node.isInt() || node.asInt() < 1 || node.asInt() > 5) {
                throw error(path, "scores must be whole numbers from 1 to 5, got " + node);
            }
            return node.asInt();
        }

        Tier tier(final JsonNode node, final String path) {
            if (node != null && node.isTextual()) {
                final String value = node.asText().toUpperCase(Locale.ROOT);
                if (value.equals("SLM") || value.equals("GPT")) {
                    return Tier.valueOf(value);
                }
            }
            throw error(path, "must be SLM or GPT, got " + node);
        }

        Set<String> languages(final JsonNode node, final String path) {
            if (node == null || !node.isArray()) {
                throw error(path, "must be a list of ISO 639-1 codes such as [en, de]");
            }
            final Set<String> languages = new LinkedHashSet<>();
            for (JsonNode code : node) {
                final String value = code.asText().toLowerCase(Locale.ROOT);
                if (!ISO_639_1.matcher(value).matches()) {
                    throw error(path, "has '" + code.asText() + "', which is not an ISO 639-1 code");
                }
                languages.add(value);
            }
            return languages;
        }

        double fraction(final JsonNode node, final String path) {
            if (node == null || !node.isNumber() || node.asDouble() < 0 || node.asDouble() > 1) {
                throw error(path, "is required and must be a number from 0 to 1, got " + node);
            }
            return node.asDouble();
        }

        int positiveInt(final JsonNode node, final String path) {
            if (node == null || !node.isInt() || node.asInt() <= 0) {
                throw error(path, "is required and must be a positive whole number, got " + node);
            }
            return node.asInt();
        }

        /** The tier0 section: each classifier's name and labels are read from its model file (made by 'tier0 train'). */
        Tier0Classifiers tier0(final JsonNode node, final Path baseDir) {
            if (node == null || node.isNull()) {
                return Tier0Classifiers.NONE;
            }
            if (!node.isObject()) {
                throw error("tier0", "must be a mapping with fallback_tier and classifiers");
            }
            rejectUnknown(node, "tier0.", TIER0_FIELDS);
            final Tier fallback = node.has("fallback_tier") ? tier(node.get("fallback_tier"), "tier0.fallback_tier") : Tier.SLM;
            final JsonNode list = node.get("classifiers");
            if (list == null || !list.isArray()) {
                throw error("tier0.classifiers", "is required: a list of {model: <file made by 'tier0 train'>, languages: [en]}");
            }
            final List<Tier0Classifiers.Classifier> classifiers = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                final String path = "tier0.classifiers[" + i + "]";
                final JsonNode entry = list.get(i);
                if (!entry.isObject()) {
                    throw error(path, "must be a mapping with model and languages");
                }
                rejectUnknown(entry, path + ".", CLASSIFIER_FIELDS);
                final Path model = baseDir.resolve(text(entry, "model", path + ".model"));
                final Set<String> languages = entry.has("languages")
                        ? languages(entry.get("languages"), path + ".languages") : Set.of("en");
                classifiers.add(classifier(model, languages, path + ".model"));
            }
            try {
                return new Tier0Classifiers(classifiers, fallback);
            } catch (IllegalArgumentException e) {
                throw error("tier0.classifiers", e.getMessage());
            }
        }

        private Tier0Classifiers.Classifier classifier(final Path model, final Set<String> languages, final String path) {
            final JsonNode artifact;
            try {
                artifact = JSON.readTree(model.toFile());
            } catch (IOException e) {
                throw error(path, "names " + model + ", which cannot be read as a classifier file: " + e.getMessage());
            }
            final JsonNode name = artifact == null ? null : artifact.get("name");
            final JsonNode labels = artifact == null ? null : artifact.get("labels");
            if (name == null || !name.isTextual() || labels == null || !labels.isArray() || labels.isEmpty()) {
                throw error(path, "names " + model + ", which has no name and labels (not a file made by 'tier0 train')");
            }
            final Set<String> labelSet = new LinkedHashSet<>();
            labels.forEach(l -> labelSet.add(l.asText()));
            return new Tier0Classifiers.Classifier(name.asText(), labelSet, languages);
        }

        String text(final JsonNode parent, final String name, final String path) {
            final JsonNode node = parent.get(name);
            if (node == null || !node.isValueNode() || node.asText().isBlank()) {
                throw error(path, "is required and must be a non-empty string");
            }
            return node.asText();
        }

        TenantRules tenant(final JsonNode node, final String path, final TenantRules defaults) {
            if (node == null || !node.isObject()) {
                throw error(path, "must be a mapping of overrides");
            }
            rejectUnknown(node, path + ".", TENANT_FIELDS);
            final Map<TaskType, int[]> matrix = new EnumMap<>(defaults.matrix());
            if (node.has("matrix")) {
                matrix.putAll(matrix(node.get("matrix"), path + ".matrix", defaults.volumeBands(), false));
            }
            return new TenantRules(
                    node.has("force_tier") ? Optional.of(tier(node.get("force_tier"), path + ".force_tier"))
                            : Optional.empty(),
                    defaults.volumeBands(), matrix, defaults.slmAtMost(), defaults.gptAtLeast(),
                    node.has("between") ? tier(node.get("between"), path + ".between") : defaults.between(),
                    node.has("supported_languages")
                            ? languages(node.get("supported_languages"), path + ".supported_languages")
                            : new HashSet<>(defaults.supportedLanguages()),
                    defaults.minLanguageConfidence(), defaults.contextBudgetTokens(), defaults.minTaskConfidence());
        }
    }
}
