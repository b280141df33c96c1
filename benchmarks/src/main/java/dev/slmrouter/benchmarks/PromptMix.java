package dev.slmrouter.benchmarks;

import dev.slmrouter.events.ChatMessage;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.LatencyClass;
import dev.slmrouter.events.TaskType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The benchmark workload: about fifty hand-written prompts (support tickets, invoices to extract,
 * reports to summarise, reasoning, creative and agent tasks, 25 of the 55 not in English) read from
 * {@code benchmark-prompts.tsv}, turned into {@link InferenceRequest}s either with the producer's hints
 * (task type and language set) or without them, so the router has to classify and detect the language.
 * The i-th request cycles through the prompts, so any N gives the same mix.
 */
public final class PromptMix {

    /** One line of the TSV: the true task type and language, and the request's shape. */
    public record Prompt(TaskType taskType, String language, List<String> labels, boolean schema, boolean system,
                         String text) {
    }

    private static final String RESOURCE = "/benchmark-prompts.tsv";
    private static final String SYSTEM_PROMPT = "You are a helpful assistant for Northwind's operations team. "
            + "Answer precisely and only with what is asked.";
    private static final String RESPONSE_SCHEMA = "{\"type\":\"object\",\"additionalProperties\":true,"
            + "\"properties\":{\"fields\":{\"type\":\"object\"}}}";
    // A few tenants, none with a policy override, so the decision matrix is exercised.
    private static final List<String> TENANTS = List.of("acme-support", "northwind-finance", "globex-ops", "initech");
    private static final Instant CREATED_AT = Instant.parse("2026-11-28T09:00:00Z");

    private final List<Prompt> prompts;

    private PromptMix(final List<Prompt> prompts) {
        this.prompts = List.copyOf(prompts);
    }

    /** The bundled prompts. */
    public static PromptMix load() {
        final InputStream in = PromptMix.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException("classpath resource " + RESOURCE + " is missing");
        }
        final List<Prompt> prompts = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                prompts.add(parse(line));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        return new PromptMix(prompts);
    }

    private static Prompt parse(final String line) {
        final String[] cols = line.split("\t", -1);
        if (cols.length != 4) {
            throw new IllegalArgumentException("expected 4 tab-separated columns: " + line);
        }
        List<String> labels = null;
        boolean schema = false;
        boolean system = false;
        for (String option : cols[2].split(",")) {
            if (option.startsWith("labels=")) {
                labels = Arrays.asList(option.substring("labels=".length()).split("\\|"));
            } else if (option.equals("schema")) {
                schema = true;
            } else if (option.equals("system")) {
                system = true;
            } else if (!option.equals("-")) {
                throw new IllegalArgumentException("unknown option '" + option + "' in: " + line);
            }
        }
        return new Prompt(TaskType.valueOf(cols[0]), cols[1], labels, schema, system, cols[3].replace("\\n", "\n"));
    }

    public List<Prompt> prompts() {
        return prompts;
    }

    public int size() {
        return prompts.size();
    }

    /** The i-th request of the mix; {@code hinted} sets the task type and language the prompt was written with. */
    public InferenceRequest request(final long i, final boolean hinted) {
        final Prompt prompt = prompts.get((int) (i % prompts.size()));
        final List<ChatMessage> messages = new ArrayList<>(2);
        if (prompt.system()) {
            messages.add(new ChatMessage("system", SYSTEM_PROMPT));
        }
        messages.add(new ChatMessage("user", prompt.text()));
        return InferenceRequest.newBuilder()
                .setRequestId((hinted ? "h-" : "u-") + i)
                .setTenant(TENANTS.get((int) (i % TENANTS.size())))
                .setTaskType(hinted ? prompt.taskType() : null)
                .setLanguage(hinted ? prompt.language() : null)
                .setMessages(messages)
                .setLabels(prompt.labels())
                .setResponseSchema(prompt.schema() ? RESPONSE_SCHEMA : null)
                .setMaxOutputTokens(512)
                .setTemperature(0.0)
                .setLatencyClass(i % 3 == 0 ? LatencyClass.INTERACTIVE : LatencyClass.BATCH)
                .setMetadata(Map.of("source", "benchmark"))
                .setCreatedAt(CREATED_AT.plusMillis(i))
                .build();
    }
}
