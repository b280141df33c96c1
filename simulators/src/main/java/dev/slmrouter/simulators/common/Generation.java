package dev.slmrouter.simulators.common;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of serving a completion that both simulators share once a request is accepted: a scripted
 * hang, the {@code n} answers, and the time the engine takes to generate them under the current load.
 * Hangs last the configured wall-clock time (not scaled), since their purpose is to outlast a client's
 * real timeout; they end early when the simulator closes.
 */
public final class Generation {

    private final AnswerEngine engine;
    private final LoadModel load;
    private final Duration hang;

    public Generation(final AnswerEngine engine, final LoadModel load, final Duration hang) {
        this.engine = engine;
        this.load = load;
        this.hang = hang;
    }

    /** Hangs (if scripted), answers {@code n} choices and waits for the engine to generate them. */
    public List<Answer> generate(final SimRequest request, final Directive directive, final int defaultMaxTokens)
            throws InterruptedException {
        hangIfScripted(directive);
        final List<Answer> answers = answers(request, directive, defaultMaxTokens);
        run(answers, request.promptTokens());
        return answers;
    }

    /** The {@code n} choices of one prompt, without waiting. */
    public List<Answer> answers(final SimRequest request, final Directive directive, final int defaultMaxTokens) {
        final List<Answer> answers = new ArrayList<>(request.n());
        for (int i = 0; i < request.n(); i++) {
            answers.add(engine.answer(request, directive, i, defaultMaxTokens));
        }
        return answers;
    }

    /**
     * Waits as long as the engine needs for these answers: each is a sequence in the batch, running side
     * by side, so the longest decides when the request is done.
     */
    public void run(final List<Answer> answers, final int promptTokens) throws InterruptedException {
        final int longest = answers.stream().mapToInt(Answer::completionTokens).max().orElse(0);
        load.run(Math.max(1, answers.size()), promptTokens, longest);
    }

    public void hangIfScripted(final Directive directive) throws InterruptedException {
        if (directive.hang()) {
            hang();
        }
    }

    /** Holds the calling request for the hang time. */
    public void hang() throws InterruptedException {
        Thread.sleep(hang.toMillis());
    }

    public LoadModel load() {
        return load;
    }
}
