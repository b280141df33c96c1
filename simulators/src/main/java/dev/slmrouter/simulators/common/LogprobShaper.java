package dev.slmrouter.simulators.common;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Makes per-token logprobs that encode a chosen confidence {@code c}: the mean logprob is exactly
 * {@code ln c}, so the geometric-mean token probability is {@code c}; a single-token answer (a label) has
 * probability {@code c} itself. Individual tokens vary around the mean (zero-sum noise, never above 0)
 * so clients are not tested against a flat line. Alternatives share the remaining probability mass, so
 * the reported probabilities at a position never sum to more than 1.
 */
public final class LogprobShaper {

    private static final double SPREAD = 0.35;
    private static final String OFF_LABEL = "The";
    private static final String[] FILLERS = {" the", ",", " a", ".", " and", " of", " to", "\n", " is", " in"};

    private LogprobShaper() {
    }

    /**
     * Logprobs for a label answer: one token with probability {@code c}. The other labels share
     * {@code 1 - c} but each stays below {@code c}, as greedy decoding implies; mass they cannot take goes
     * to a token outside the label set, like the raw (pre-constraint) logprobs vLLM reports.
     */
    public static TokenLogprob label(final String label, final List<String> labels, final double c,
                                     final int top) {
        final List<TokenLogprob.Alternative> alts = new ArrayList<>();
        final List<String> others = labels.stream().filter(l -> !l.equals(label)).toList();
        final double each = others.isEmpty() ? 0 : Math.min((1 - c) / others.size(), 0.9 * c);
        for (final String other : others) {
            alts.add(new TokenLogprob.Alternative(other, Math.log(Math.max(1e-12, each))));
        }
        final double rest = 1 - c - each * others.size();
        if (rest > 1e-9) {
            alts.add(new TokenLogprob.Alternative(OFF_LABEL, Math.log(rest)));
        }
        return new TokenLogprob(label, Math.log(c), topList(label, Math.log(c), alts, top));
    }

    /** Logprobs for a sequence of tokens whose geometric-mean probability is {@code c}. */
    public static List<TokenLogprob> sequence(final List<String> tokens, final double c, final int top,
                                              final SplittableRandom rng) {
        final int n = tokens.size();
        final double lnC = Math.log(c);
        final double[] lp = new double[n];
        final double[] noise = new double[n];
        double mean = 0;
        for (int i = 0; i < n; i++) {
            noise[i] = rng.nextDouble(-1.0, 1.0);
            mean += noise[i] / n;
        }
        double maxUp = 0;
        for (int i = 0; i < n; i++) {
            noise[i] -= mean;
            maxUp = Math.max(maxUp, noise[i]);
        }
        // Scale the noise so no token rises above logprob 0 (probability 1).
        final double scale = maxUp == 0 ? 0 : Math.min(SPREAD, 0.95 * -lnC / maxUp);
        double sum = 0;
        for (int i = 0; i < n - 1; i++) {
            lp[i] = lnC + scale * noise[i];
            sum += lp[i];
        }
        if (n > 0) {
            // The last token absorbs rounding so the mean is ln c to the last bit we can get.
            lp[n - 1] = Math.min(0.0, n * lnC - sum);
        }
        final List<TokenLogprob> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new TokenLogprob(tokens.get(i), lp[i], topList(tokens.get(i), lp[i], fillers(tokens.get(i), lp[i]), top)));
        }
        return out;
    }

    private static List<TokenLogprob.Alternative> fillers(final String token, final double lp) {
        final double rest = Math.max(1e-12, 1 - Math.exp(lp));
        final List<TokenLogprob.Alternative> alts = new ArrayList<>();
        double share = 0.5;
        for (final String filler : FILLERS) {
            if (!filler.equals(token)) {
                alts.add(new TokenLogprob.Alternative(filler, Math.log(rest * share)));
                share /= 2;
            }
        }
        return alts;
    }

    private static List<TokenLogprob.Alternative> topList(final String token, final double lp,
                                                          final List<TokenLogprob.Alternative> alts, final int k) {
        if (k <= 0) {
            return List.of();
        }
        final List<TokenLogprob.Alternative> all = new ArrayList<>(alts);
        all.sort(Comparator.comparingDouble(TokenLogprob.Alternative::logprob).reversed());
        final List<TokenLogprob.Alternative> top = new ArrayList<>(all.subList(0, Math.min(k - 1, all.size())));
        top.add(new TokenLogprob.Alternative(token, lp)); // the sampled token is always reported
        top.sort(Comparator.comparingDouble(TokenLogprob.Alternative::logprob).reversed());
        return top;
    }
}
