package dev.slmrouter.demo;

import dev.slmrouter.events.ChatMessage;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.LatencyClass;
import dev.slmrouter.events.TaskType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The demo's built-in workload, written for this project: support tickets to classify, invoices to
 * extract, documents to summarize, templated replies, reasoning, creative and agent prompts,
 * non-English and low-resource-language requests, over-long documents, and a few malformed events.
 * Deterministic for a given seed. About half the requests carry producer hints, as mixed fleets do.
 */
final class SampleTraffic {

    /** A produced event: a request, or raw bytes that must end on the dead-letter topic. */
    sealed interface Event {
        String key();
    }

    record Request(InferenceRequest request) implements Event {
        @Override
        public String key() {
            return request.getRequestId();
        }
    }

    record Malformed(String key, byte[] bytes, String kind) implements Event {
    }

    static final List<String> TICKET_LABELS = List.of("card_declined", "double_charge", "lost_card", "refund_request",
            "change_address", "account_locked", "transfer_pending", "fee_question");

    private static final List<String> TICKETS = List.of(
            "My card was declined at the supermarket even though I have money in my account",
            "I was charged twice for the same hotel booking last weekend",
            "I lost my wallet with my debit card in it, please block the card",
            "I returned the shoes a month ago and still have not received my refund",
            "I moved to a new flat, how do I update my address?",
            "I typed my password wrong three times and now I cannot log in",
            "My transfer to my landlord has been pending for three days",
            "Why was I charged a 2.50 fee for withdrawing cash abroad?");
    private static final Map<String, List<String>> FOREIGN_TICKETS = Map.of(
            "de", List.of("Meine Karte wurde im Supermarkt abgelehnt, obwohl genug Geld auf dem Konto ist",
                    "Mir wurde dieselbe Hotelbuchung zweimal abgebucht"),
            "es", List.of("Me cobraron dos veces la misma reserva de hotel el fin de semana pasado",
                    "Perdí mi cartera con la tarjeta de débito, por favor bloqueen la tarjeta"),
            "fr", List.of("Ma carte a été refusée au supermarché alors que mon compte est approvisionné",
                    "Mon virement au propriétaire est en attente depuis trois jours"),
            "sw", List.of("Kadi yangu imekataliwa dukani ingawa nina pesa kwenye akaunti yangu",
                    "Nimetozwa mara mbili kwa nafasi ile ile ya hoteli wiki iliyopita"),
            "tl", List.of("Tinanggihan ang aking card sa supermarket kahit may pera ako sa account",
                    "Dalawang beses akong siningil para sa parehong booking sa hotel"));
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
    private int next;

    SampleTraffic(final long seed) {
        this.random = new Random(seed);
    }

    Event next() {
        final int n = next++;
        final int pick = random.nextInt(100);
        if (pick < 3) {
            return malformed(n);
        }
        final boolean hinted = random.nextBoolean();
        final InferenceRequest.Builder request;
        if (pick < 45) {
            request = ticket(n, TICKETS.get(random.nextInt(TICKETS.size())), "en", hinted);
        } else if (pick < 55) {
            final List<String> languages = List.copyOf(FOREIGN_TICKETS.keySet());
            final String language = languages.get(random.nextInt(languages.size()));
            final List<String> texts = FOREIGN_TICKETS.get(language);
            request = ticket(n, texts.get(random.nextInt(texts.size())), language, hinted);
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

    private InferenceRequest.Builder ticket(final int n, final String text, final String language, final boolean hinted) {
        return base(n, "Classify this support ticket into exactly one of the labels.\nTicket: " + text,
                TaskType.CLASSIFICATION, language, hinted).setLabels(TICKET_LABELS);
    }

    private InferenceRequest.Builder base(final int n, final String prompt, final TaskType type, final String language,
                                          final boolean hinted) {
        final InferenceRequest.Builder builder = InferenceRequest.newBuilder()
                .setRequestId(String.format("demo-%06d", n))
                .setTenant(n % 4 == 0 ? "support-team" : "document-pipeline")
                .setMessages(List.of(new ChatMessage("user", prompt)))
                .setLatencyClass(n % 5 == 0 ? LatencyClass.INTERACTIVE : LatencyClass.BATCH)
                .setMetadata(Map.of("source", "demo"))
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
