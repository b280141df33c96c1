package dev.slmrouter.common.config;

/**
 * A setting is missing or has a value the service cannot use. The message always names the setting
 * (both its property key and its environment variable) so an operator can fix it without reading code.
 */
public final class ConfigException extends RuntimeException {

    public ConfigException(final String message) {
        super(message);
    }

    public ConfigException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
