package dev.slmrouter.simulators.common;

/**
 * A request the real server would reject with 400; each simulator renders it in its own error shape.
 * {@code param} names the offending field (or is {@code null}), as in both APIs' error bodies.
 */
public final class BadRequest extends Exception {

    private static final long serialVersionUID = 1L;

    private final String param;

    public BadRequest(final String message, final String param) {
        super(message, null, false, false);
        this.param = param;
    }

    public String param() {
        return param;
    }
}
