package dev.slmrouter.slm.prompt;

import dev.slmrouter.events.TaskType;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The strict system prompt put in front of a request's messages, per task type. A small model follows
 * a narrow instruction far better than an open one; the defaults below can be replaced per task type
 * with the setting {@code slm.prompt.<task_type>} (e.g. {@code SLM_PROMPT_CLASSIFICATION}).
 * {@code {labels}} in a template is replaced by the request's labels, separated by commas.
 */
public final class PromptTemplates {

    static final Map<TaskType, String> DEFAULTS = Map.of(
            TaskType.CLASSIFICATION, "You are a precise classifier. Answer with exactly one of the labels and"
                    + " nothing else.\nLabels: {labels}",
            TaskType.EXTRACTION, "You extract information from documents. Answer with a single JSON object that"
                    + " satisfies the given schema, using only facts stated in the document. No prose.",
            TaskType.SUMMARIZATION, "You write faithful, concise summaries. Use only facts from the text.",
            TaskType.TEMPLATED_GENERATION, "You fill in templates exactly as instructed. Keep the given structure"
                    + " and tone; do not add content that was not asked for.",
            TaskType.REASONING, "Think step by step and give a clear final answer.",
            TaskType.CREATIVE, "You are a helpful writer.",
            TaskType.AGENT, "You are a careful assistant. Follow the instructions exactly.");

    private final Map<TaskType, String> templates;

    public PromptTemplates(final Map<TaskType, String> overrides) {
        final Map<TaskType, String> merged = new EnumMap<>(TaskType.class);
        merged.putAll(DEFAULTS);
        merged.putAll(overrides);
        this.templates = merged;
    }

    /** The system prompt for a request of {@code taskType} with the given allowed labels (may be null). */
    public String systemPrompt(final TaskType taskType, final List<String> labels) {
        final String template = templates.getOrDefault(taskType, DEFAULTS.get(TaskType.AGENT));
        return template.replace("{labels}", labels == null ? "" : String.join(", ", labels));
    }
}
