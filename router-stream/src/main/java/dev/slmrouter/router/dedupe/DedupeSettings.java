package dev.slmrouter.router.dedupe;

import java.time.Duration;

/**
 * How the router recognises a request id it has routed before ({@link RoutedIds}).
 *
 * @param window   how long a routed request id is remembered (zero: no check)
 * @param maxIds   the most request ids a stream task remembers; past it the oldest are forgotten early
 * @param logFlush how often a partly filled chunk of the dedupe log is written: it bounds the input a
 *                 restarted task reads again ({@link UnloggedTail}); tests lengthen it to make that read certain
 */
public record DedupeSettings(Duration window, int maxIds, Duration logFlush) {

    /** The production flush interval. */
    public static final Duration LOG_FLUSH = Duration.ofSeconds(1);

    public static DedupeSettings of(final Duration window, final int maxIds) {
        return new DedupeSettings(window, maxIds, LOG_FLUSH);
    }

    public boolean off() {
        return window.isZero();
    }
}
