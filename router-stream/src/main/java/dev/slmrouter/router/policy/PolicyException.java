package dev.slmrouter.router.policy;

/** The policy file cannot be used; the message names the file and the field at fault. */
public final class PolicyException extends RuntimeException {

    public PolicyException(final String message) {
        super(message);
    }

    public PolicyException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
