package dev.slmrouter.benchmarks;

import com.knuddels.jtokkit.api.Encoding;
import dev.slmrouter.router.size.TokenEstimator;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;

/**
 * A what-if for the throughput report, not a proposal of code: a {@link TokenEstimator} whose exact BPE
 * count (jtokkit, o200k_base) is replaced by UTF-8 bytes / 4, to measure how much of the hinted router's
 * cost the exact count is. The estimator's encoding is swapped by reflection because the class is final
 * and this module must not change the router.
 */
final class ApproximateTokens {

    private ApproximateTokens() {
    }

    /** A new estimator that counts about a token per four UTF-8 bytes. */
    static TokenEstimator estimator() {
        final TokenEstimator estimator = new TokenEstimator();
        final Encoding approximate = (Encoding) Proxy.newProxyInstance(Encoding.class.getClassLoader(),
                new Class<?>[] {Encoding.class}, (proxy, method, args) -> {
                    if (method.getName().equals("countTokensOrdinary")) {
                        return utf8Length((String) args[0]) / 4;
                    }
                    if (method.getName().equals("getName")) {
                        return "utf8-bytes-div-4";
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        try {
            final Field field = TokenEstimator.class.getDeclaredField("encoding");
            field.setAccessible(true);
            field.set(estimator, approximate);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("TokenEstimator changed: cannot swap its encoding", e);
        }
        return estimator;
    }

    private static int utf8Length(final String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return bytes;
    }
}
