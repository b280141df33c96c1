package dev.slmrouter.simulators.common;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Seeds the per-answer random generator. With a request {@code seed} (or temperature 0, which is greedy
 * decoding in vLLM and therefore repeatable) the generator is a pure function of the seed, the request's
 * fingerprint (messages, labels, schema) and the choice index, so the same request always gets the same
 * answer and the same logprobs, in any JVM. Without either, answers are random like sampling.
 */
public final class Rng {

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Rng() {
    }

    public static SplittableRandom forAnswer(final SimRequest request, final int choiceIndex) {
        final Long seed = request.seed();
        final boolean greedy = request.temperature() != null && request.temperature() == 0.0;
        if (seed == null && !greedy) {
            return new SplittableRandom(ThreadLocalRandom.current().nextLong());
        }
        final long base = seed == null ? 0L : seed;
        return new SplittableRandom(fnv64(request.fingerprint()) ^ (base * GOLDEN) ^ ((long) choiceIndex << 32));
    }

    /** FNV-1a, chosen because it is stable across JVMs (unlike {@code String.hashCode} it uses 64 bits). */
    public static long fnv64(final String text) {
        long h = FNV_OFFSET;
        for (final byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= FNV_PRIME;
        }
        return h;
    }
}
