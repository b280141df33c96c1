package dev.slmrouter.tier0;

import dev.slmrouter.tier0.data.LabeledExample;
import dev.slmrouter.tier0.encoder.SentenceEncoder;
import dev.slmrouter.tier0.head.SoftmaxTrainer;
import dev.slmrouter.tier0.model.ClassifierArtifact;
import dev.slmrouter.tier0.model.Tier0Classifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A small labeled set of support tickets written for these tests (four intents), and a quick way to train on it. */
public final class TestTickets {

    public static final List<String> LABELS = List.of("card_arrival", "change_pin", "exchange_rate", "refund_request");

    public static final List<LabeledExample> TRAIN = examples(
            "card_arrival", List.of(
                    "My new card still has not arrived.",
                    "When will my card be delivered?",
                    "I ordered a card two weeks ago and it is not here yet.",
                    "How long does it take for the card to arrive in the mail?",
                    "Can I track the delivery of my card?",
                    "The card you sent me never came.",
                    "I am still waiting for my debit card to show up.",
                    "Is my card on its way? It has been ten days.",
                    "Where is my card? I need it for my trip.",
                    "My replacement card has not been delivered to my address.",
                    "Has my card been shipped yet?",
                    "I haven't received the card I requested last month."),
            "change_pin", List.of(
                    "How do I change my PIN?",
                    "I want to set a new PIN for my card.",
                    "Can I reset my PIN number in the app?",
                    "I forgot my PIN, how can I get a new one?",
                    "Where in the app do I update my card PIN?",
                    "Is it possible to change the PIN at an ATM?",
                    "I'd like to pick a different PIN code.",
                    "My PIN is blocked after three wrong tries, how do I unblock it?",
                    "How can I view my PIN?",
                    "Please help me change the four digit code of my card.",
                    "Can I choose my own PIN?",
                    "I need to reset the PIN on my debit card."),
            "exchange_rate", List.of(
                    "What exchange rate do you use for euros?",
                    "How much is one dollar in pounds today?",
                    "Why was the exchange rate on my payment so bad?",
                    "Do you add a markup to the currency conversion rate?",
                    "Which rate is applied when I pay abroad in yen?",
                    "Is the exchange rate updated in real time?",
                    "How do you calculate the rate when converting currencies?",
                    "I was charged a different rate than the one shown online.",
                    "What is the current conversion rate from GBP to EUR?",
                    "Where can I see today's exchange rates?",
                    "Are weekend exchange rates different?",
                    "The currency rate you gave me looks wrong."),
            "refund_request", List.of(
                    "I want a refund for a purchase I returned.",
                    "The merchant promised a refund but I never got the money back.",
                    "How do I request my money back for a cancelled order?",
                    "My refund is not showing in my account.",
                    "Can you help me get reimbursed for a faulty item?",
                    "I returned the shoes last week, where is my refund?",
                    "How long does a refund take to appear?",
                    "The shop says they refunded me, but I see nothing.",
                    "Please refund the duplicate payment for my order.",
                    "I need to claim a refund from a seller.",
                    "A store owes me money back for a return.",
                    "Why hasn't my refund been credited yet?"));

    public static final List<LabeledExample> TEST = examples(
            "card_arrival", List.of("I still don't have my card, when is it coming?",
                    "The card hasn't shown up in my mailbox.", "How many days until my new card gets here?"),
            "change_pin", List.of("How can I pick a new PIN?", "I would like to modify my card's PIN.",
                    "Reset my PIN please, I don't remember it."),
            "exchange_rate", List.of("What rate will I get converting dollars to euros?",
                    "Your currency exchange rate seems high.", "How is the conversion rate decided?"),
            "refund_request", List.of("I'm waiting for money back from a return.",
                    "The seller refunded me but the money isn't in my account.", "How do I get my money back for an order I cancelled?"));

    private TestTickets() {
    }

    private static List<LabeledExample> examples(final Object... pairs) {
        final List<LabeledExample> out = new ArrayList<>();
        for (int i = 0; i < pairs.length; i += 2) {
            final String label = (String) pairs[i];
            @SuppressWarnings("unchecked")
            final List<String> texts = (List<String>) pairs[i + 1];
            texts.forEach(t -> out.add(new LabeledExample(t, label)));
        }
        return out;
    }

    /** A classifier named {@code name} trained on {@link #TRAIN} with {@code encoder}, threshold {@code threshold}. */
    public static Tier0Classifier train(final SentenceEncoder encoder, final String name, final double threshold) {
        final float[][] x = encoder.embedAll(TRAIN.stream().map(LabeledExample::text).toList());
        final int[] y = TRAIN.stream().mapToInt(e -> LABELS.indexOf(e.label())).toArray();
        final SoftmaxTrainer.Training training = SoftmaxTrainer.train(x, y, LABELS.size(),
                new SoftmaxTrainer.Options(List.of(1e-2, 1e-3), 0.25, 7, 2, 200, 1e-7));
        final ClassifierArtifact artifact = ClassifierArtifact.of(name,
                new ClassifierArtifact.Encoder(encoder.id(), encoder.version(), 512, encoder.dimensions()), LABELS,
                training.head(), threshold, "2026-11-28T00:00:00Z", Map.of("examples", TRAIN.size()));
        return new Tier0Classifier(artifact, encoder);
    }
}
