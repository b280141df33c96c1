package dev.slmrouter.insights.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.slmrouter.events.TaskType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The decision matrix of the router's policy file (the same file, {@code router.policy.file}): the score
 * 1 (SLM preferred) to 5 (GPT required) per task type and daily-volume band, and the score limits. Only
 * these fields are read; the router validates the whole file.
 */
public record DecisionMatrix(String version, List<Long> bandLimits, Map<TaskType, List<Integer>> scores,
                             int slmAtMost, int gptAtLeast) {

    public static DecisionMatrix read(final Path file) throws IOException {
        final JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        if (root == null || !root.path("matrix").isObject() || !root.path("volume_bands_per_day").isArray()) {
            throw new IOException(file + ": not a routing policy (no matrix or volume_bands_per_day)");
        }
        final List<Long> bands = new ArrayList<>();
        root.path("volume_bands_per_day").forEach(n -> bands.add(n.asLong()));
        final Map<TaskType, List<Integer>> scores = new EnumMap<>(TaskType.class);
        root.path("matrix").fields().forEachRemaining(e -> {
            final List<Integer> row = new ArrayList<>();
            e.getValue().forEach(n -> row.add(n.asInt()));
            scores.put(TaskType.valueOf(e.getKey()), row);
        });
        return new DecisionMatrix(root.path("version").asText("?"), bands, scores,
                root.path("scores").path("slm_at_most").asInt(2), root.path("scores").path("gpt_at_least").asInt(4));
    }

    /** The band of a daily volume: 0 below the first limit, and so on. */
    public int band(final double dailyVolume) {
        int band = 0;
        while (band < bandLimits.size() && dailyVolume >= bandLimits.get(band)) {
            band++;
        }
        return band;
    }

    /** The score of a task type at a daily volume; 5 (GPT required) for a task type the matrix lacks. */
    public int score(final TaskType taskType, final double dailyVolume) {
        final List<Integer> row = scores.get(taskType);
        if (row == null || row.isEmpty()) {
            return 5;
        }
        return row.get(Math.min(band(dailyVolume), row.size() - 1));
    }
}
