package dev.slmrouter.demo.traffic;

import dev.slmrouter.demo.datasets.LabeledText;
import dev.slmrouter.events.ChatMessage;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.LatencyClass;
import dev.slmrouter.events.TaskType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The demo's workload: messages to classify (from {@link ClassificationTraffic}: the built-in tickets
 * or real data sets), invoices to extract, documents to summarize, templated replies, reasoning,
 * creative and agent prompts, non-English and low-resource-language requests, over-long documents, and
 * a few malformed events. Deterministic for a given seed and data. About half the requests carry
 * producer hints, as mixed fleets do. Classification requests carry their expected label in the
 * metadata ({@value #EXPECTED_LABEL}), which the workers copy onto the result, so the report can score them.
 */
public final class SampleTraffic {

    /** Metadata key of the label a classification request should get. */
    public static final String EXPECTED_LABEL = "expected_label";
    /** Metadata key naming where a request's text comes from: a data set, or {@code built-in}. */
    public static final String DATASET = "dataset";

    /** A produced event: a request, or raw bytes that must end on the dead-letter topic. */
    public sealed interface Event {
        String key();
    }

    public record Request(InferenceRequest request) implements Event {
        @Override
        public String key() {
            return request.getRequestId();
        }
    }

    public record Malformed(String key, byte[] bytes, String kind) implements Event {
    }

    private static final String INVOICE_SCHEMA = """
            {"type":"object","properties":{"invoice_number":{"type":"string"},"date":{"type":"string"},\
            "total":{"type":"number"},"currency":{"type":"string"}},\
            "required":["invoice_number","date","total","currency"],"additionalProperties":false}""";
    private static final List<String> INVOICES = List.of(
            "INVOICE INV-2024-0113, issued 12 January 2024 by Nordlicht GmbH. 3 x consulting day at 950.00. Total due: 2,850.00 EUR",
            "Bill no. 88-1207 from Harbor Supplies Ltd, date 2024-03-02, 40 pallets, amount payable USD 12,400.00",
            "Rechnung Nr. R-5521 vom 05.05.2024, Gesamtbetrag 430,20 EUR inkl. MwSt.");
    private static final List<String> OTHER = List.of(
            "SUMMARIZATION|Summarize this call transcript in three bullet points: the customer called about a late delivery, the agent apologized, offered a 10% voucher and rebooked the delivery for Friday morning.",
            "TEMPLATED_GENERATION|Write the standard shipping-delay email to customer Maria Lopez for order 44120, new delivery date June 3, tone: apologetic and brief.",
            "REASONING|Our churn rose from 2.1% to 3.4% after the price change while sign-ups stayed flat. Reason step by step about which three causes are most likely and how to tell them apart with data we already have.",
            "CREATIVE|Write a short, funny poem for the retirement card of our warehouse manager who loves fishing and hates spreadsheets.",
            "AGENT|Look up the customer's last five orders with the orders API, find the one with the damaged item, open a return in the RMA system and email the customer the label.");

    private final Random random;
    private final ClassificationTraffic classification;
    private int next;

    /** The built-in workload. */
    public SampleTraffic(final long seed) {
        this(seed, ClassificationTraffic.builtIn());
    }

    public SampleTraffic(final long seed, final ClassificationTraffic classification) {
        this.random = new Random(seed);
        this.classification = classification;
    }

    public Event next() {
        final int n = next++;
        final int pick = random.nextInt(100);
        if (pick < 3) {
            return malformed(n);
        }
        final boolean hinted = random.nextBoolean();
        final InferenceRequest.Builder request;
        if (pick < 45) {
            // Out-of-scope messages, when there are any, take 5 of the 42 percentage points of English classification.
            final ClassificationSet set = pick >= 40 ? classification.outOfScope().orElse(classification.english())
                    : classification.english();
            request = classify(n, set, hinted);
        } else if (pick < 55) {
            request = classify(n, classification.nonEnglish(), hinted);
        } else if (pick < 72) {
            request = base(n, "Extract invoice_number, date, total and currency as JSON from this invoice:\n"
                    + INVOICES.get(random.nextInt(INVOICES.size())), TaskType.EXTRACTION, "en", hinted)
                    .setResponseSchema(INVOICE_SCHEMA);
        } else if (pick < 75) {
            request = base(n, "Summarize the following contract for a busy executive:\n"
                    + "The supplier shall deliver the goods described in Annex A in accordance with the schedule. "
                            .repeat(1_200), TaskType.SUMMARIZATION, "en", hinted);
        } else {
            final String[] other = OTHER.get(random.nextInt(OTHER.size())).split("\\|", 2);
            request = base(n, other[1], TaskType.valueOf(other[0]), "en", hinted);
        }
        return new Request(request.build());
    }

    /** The instruction as the system message and the text as the user message, as ticket producers send them. */
    private InferenceRequest.Builder classify(final int n, final ClassificationSet set, final boolean hinted) {
        final LabeledText text = set.pick(random);
        return base(n, List.of(new ChatMessage("system", set.instruction()), new ChatMessage("user", text.text())),
                TaskType.CLASSIFICATION, text.language(), hinted)
                .setLabels(set.labelsFor(text, classification.labelsPerRequest(), random))
                .setMetadata(Map.of("source", "demo", DATASET, set.name(), EXPECTED_LABEL, text.label()));
    }

    private InferenceRequest.Builder base(final int n, final String prompt, final TaskType type, final String language,
                                          final boolean hinted) {
        return base(n, List.of(new ChatMessage("user", prompt)), type, language, hinted);
    }

    private InferenceRequest.Builder base(final int n, final List<ChatMessage> messages, final TaskType type,
                                          final String language, final boolean hinted) {
        final InferenceRequest.Builder builder = InferenceRequest.newBuilder()
                .setRequestId(String.format("demo-%06d", n))
                .setTenant(n % 4 == 0 ? "support-team" : "document-pipeline")
                .setMessages(messages)
                .setLatencyClass(n % 5 == 0 ? LatencyClass.INTERACTIVE : LatencyClass.BATCH)
                .setMetadata(Map.of("source", "demo", DATASET, ClassificationTraffic.BUILT_IN))
                .setCreatedAt(Instant.now());
        if (hinted) {
            builder.setTaskType(type).setLanguage(language);
        }
        return builder;
    }

    private Event malformed(final int n) {
        final String key = String.format("demo-%06d", n);
        return switch (n % 3) {
            case 0 -> new Malformed(key, new byte[] {0x7b, 0x22, 0x6f, 0x6f, 0x70, 0x73}, "JSON instead of Avro");
            case 1 -> new Malformed(key, new byte[] {0, 0, 0, 0x3f, 0x7f, 1}, "unknown schema id");
            default -> new Malformed(key, new byte[] {0, 1}, "truncated header");
        };
    }
}
