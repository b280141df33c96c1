package dev.slmrouter.simulators.common;

import java.util.List;

/**
 * One generated token with its log-probability and the most likely alternatives at that position
 * (sorted by descending logprob, the chosen token among them), as both APIs report them.
 */
public record TokenLogprob(String token, double logprob, List<Alternative> top) {

    public TokenLogprob {
        top = List.copyOf(top);
    }

    /** An alternative token at the same position. */
    public record Alternative(String token, double logprob) {
    }
}
