package dev.slmrouter.simulators.openai;

import java.time.Duration;

/**
 * Formats durations the way OpenAI's {@code x-ratelimit-reset-*} headers do, which is Go's
 * {@code time.Duration} notation rounded to milliseconds: {@code 0s}, {@code 120ms}, {@code 1.5s},
 * {@code 6m0s}, {@code 1h0m0s}.
 */
public final class GoDuration {

    private GoDuration() {
    }

    public static String format(final Duration duration) {
        final long ms = Math.max(0, duration.toMillis());
        if (ms == 0) {
            return "0s";
        }
        if (ms < 1000) {
            return ms + "ms";
        }
        final long hours = ms / 3_600_000;
        final long minutes = ms / 60_000 % 60;
        final long secondMillis = ms % 60_000;
        final String seconds = secondMillis % 1000 == 0 ? Long.toString(secondMillis / 1000)
                : trim(String.format("%d.%03d", secondMillis / 1000, secondMillis % 1000));
        if (hours > 0) {
            return hours + "h" + minutes + "m" + seconds + "s";
        }
        return minutes > 0 ? minutes + "m" + seconds + "s" : seconds + "s";
    }

    private static String trim(final String decimal) {
        String out = decimal;
        while (out.endsWith("0")) {
            out = out.substring(0, out.length() - 1);
        }
        return out;
    }
}
