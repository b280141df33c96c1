package dev.slmrouter.demo.traffic;

import dev.slmrouter.demo.datasets.DataSets;
import dev.slmrouter.demo.datasets.LabeledData;
import dev.slmrouter.demo.datasets.LabeledText;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the demo's classification requests come from: English in-scope messages, optional
 * out-of-scope messages (same labels, the right answer is {@value #OUT_OF_SCOPE}) and non-English
 * messages. {@link #builtIn()} is the workload written for this project; {@link #from} takes each part
 * from a real data set when one is given (BANKING77, CLINC150's out-of-scope queries, xSID) and keeps
 * the built-in part otherwise.
 */
public record ClassificationTraffic(ClassificationSet english, Optional<ClassificationSet> outOfScope,
                                    ClassificationSet nonEnglish, int labelsPerRequest) {

    /** The label that out-of-scope messages should get, offered with BANKING77's intents. */
    public static final String OUT_OF_SCOPE = "out_of_scope";

    static final String BUILT_IN = "built-in";
    static final List<String> TICKET_LABELS = List.of("card_declined", "double_charge", "lost_card", "refund_request",
            "change_address", "account_locked", "transfer_pending", "fee_question");
    private static final String TICKET_INSTRUCTION = "Classify this support ticket into exactly one of the labels.";

    /** The built-in English tickets, four per label; none is among the tier-0 training examples. */
    private static final List<LabeledText> TICKETS = List.of(
            en("My card was declined at the supermarket even though I have money in my account", "card_declined"),
            en("The hotel could not take my card, it kept saying declined", "card_declined"),
            en("Why is my card being refused for every online purchase since Monday?", "card_declined"),
            en("Payment rejected at the bakery although my account is in credit", "card_declined"),
            en("I was charged twice for the same hotel booking last weekend", "double_charge"),
            en("My streaming subscription was taken twice this month", "double_charge"),
            en("There are two identical debits for one parking ticket", "double_charge"),
            en("The supermarket charged my card two times for one shop", "double_charge"),
            en("I lost my wallet with my debit card in it, please block the card", "lost_card"),
            en("My card was stolen from my coat at the gym", "lost_card"),
            en("I can't find my bank card since the weekend, please cancel it", "lost_card"),
            en("I think I left my card on the train, can you block it?", "lost_card"),
            en("I returned the shoes a month ago and still have not received my refund", "refund_request"),
            en("The travel agency cancelled my trip, where is my refund?", "refund_request"),
            en("I'm still waiting to be reimbursed for a returned laptop", "refund_request"),
            en("The refund for my cancelled order has not appeared", "refund_request"),
            en("I moved to a new flat, how do I update my address?", "change_address"),
            en("Please change my address, I live in Leeds now", "change_address"),
            en("Where can I put in my new postal address?", "change_address"),
            en("My statements still go to my old house, I need to update the address", "change_address"),
            en("I typed my password wrong three times and now I cannot log in", "account_locked"),
            en("Online banking says my account is locked, help", "account_locked"),
            en("I'm blocked from the app after entering a wrong code", "account_locked"),
            en("My access was suspended and I can't log in anymore", "account_locked"),
            en("My transfer to my landlord has been pending for three days", "transfer_pending"),
            en("The payment to my sister is still not completed", "transfer_pending"),
            en("My transfer to my other bank is still being processed after two days", "transfer_pending"),
            en("I sent money on Friday and it still says pending", "transfer_pending"),
            en("Why was I charged a 2.50 fee for withdrawing cash abroad?", "fee_question"),
            en("What is the charge called 'service fee' on my statement?", "fee_question"),
            en("Do you charge anything for sending money to the US?", "fee_question"),
            en("Why did I pay a fee when I topped up my account?", "fee_question"));
    private static final List<LabeledText> FOREIGN_TICKETS = List.of(
            new LabeledText("Meine Karte wurde im Supermarkt abgelehnt, obwohl genug Geld auf dem Konto ist",
                    "card_declined", "de"),
            new LabeledText("Mir wurde dieselbe Hotelbuchung zweimal abgebucht", "double_charge", "de"),
            new LabeledText("Me cobraron dos veces la misma reserva de hotel el fin de semana pasado",
                    "double_charge", "es"),
            new LabeledText("Perdí mi cartera con la tarjeta de débito, por favor bloqueen la tarjeta", "lost_card", "es"),
            new LabeledText("Ma carte a été refusée au supermarché alors que mon compte est approvisionné",
                    "card_declined", "fr"),
            new LabeledText("Mon virement au propriétaire est en attente depuis trois jours", "transfer_pending", "fr"),
            new LabeledText("Kadi yangu imekataliwa dukani ingawa nina pesa kwenye akaunti yangu", "card_declined", "sw"),
            new LabeledText("Nimetozwa mara mbili kwa nafasi ile ile ya hoteli wiki iliyopita", "double_charge", "sw"),
            new LabeledText("Tinanggihan ang aking card sa supermarket kahit may pera ako sa account", "card_declined",
                    "tl"),
            new LabeledText("Dalawang beses akong siningil para sa parehong booking sa hotel", "double_charge", "tl"));

    /** The built-in tickets: 32 English (four per label) and ten in German, Spanish, French, Swahili and Tagalog. */
    public static ClassificationTraffic builtIn() {
        return new ClassificationTraffic(
                new ClassificationSet(BUILT_IN, TICKET_INSTRUCTION, TICKET_LABELS, TICKETS),
                Optional.empty(),
                new ClassificationSet(BUILT_IN, TICKET_INSTRUCTION, TICKET_LABELS, FOREIGN_TICKETS),
                0);
    }

    /**
     * Each part from its data set when given, else built in. BANKING77's requests offer its intents,
     * plus {@value #OUT_OF_SCOPE} when CLINC150's out-of-scope queries are mixed in (they are sent with
     * the same labels and should get {@value #OUT_OF_SCOPE}); without BANKING77 the out-of-scope queries
     * are offered the built-in ticket labels. xSID's requests offer xSID's intents.
     *
     * @param labelsPerRequest 0 to offer every label, else how many (the right one and others at random)
     */
    public static ClassificationTraffic from(final DataSets data, final int labelsPerRequest) {
        final ClassificationTraffic builtIn = builtIn();
        final boolean withOutOfScope = data.outOfScope().isPresent();
        final List<String> inScopeLabels = data.banking77().map(LabeledData::labels).orElse(TICKET_LABELS);
        final List<String> labels = new ArrayList<>(inScopeLabels);
        if (withOutOfScope) {
            labels.add(OUT_OF_SCOPE);
        }
        final String instruction = data.banking77().isPresent()
                ? "Classify the customer's message to our bank into exactly one of the labels."
                : TICKET_INSTRUCTION;
        final String fullInstruction = withOutOfScope
                ? instruction + " Answer " + OUT_OF_SCOPE + " when no other label fits."
                : instruction;
        final ClassificationSet english = data.banking77()
                .map(d -> new ClassificationSet(d.name(), fullInstruction, labels, d.texts()))
                .orElseGet(() -> withOutOfScope
                        ? new ClassificationSet(BUILT_IN, fullInstruction, labels, TICKETS)
                        : builtIn.english());
        final Optional<ClassificationSet> outOfScope = data.outOfScope().map(d -> new ClassificationSet(d.name(),
                fullInstruction, labels, d.texts().stream()
                        .map(t -> new LabeledText(t.text(), OUT_OF_SCOPE, t.language())).toList()));
        final ClassificationSet nonEnglish = data.nonEnglish()
                .map(d -> new ClassificationSet(d.name(),
                        "Classify this voice-assistant command into exactly one of the intent labels.",
                        d.labels(), d.texts()))
                .orElse(builtIn.nonEnglish());
        return new ClassificationTraffic(english, outOfScope, nonEnglish, labelsPerRequest);
    }

    private static LabeledText en(final String text, final String label) {
        return new LabeledText(text, label, "en");
    }
}
