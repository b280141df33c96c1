package dev.slmrouter.serde;

/**
 * A payload is not a valid Confluent-wire-format Avro record: too short for the 5-byte header, a
 * magic byte other than 0, or Avro bytes that do not decode with the schema the header names
 * (garbage, trailing bytes, or a writer schema the reader type cannot resolve). The record itself
 * is bad, so retrying will not help: dead-letter it.
 */
public class WireFormatException extends SerdeException {

    private static final long serialVersionUID = 1L;

    public WireFormatException(String message) {
        super(message);
    }

    public WireFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    static WireFormatException truncated(int length) {
        return new WireFormatException("Payload of " + length + " byte" + (length == 1 ? "" : "s")
                + " is shorter than the " + WireFormat.HEADER_SIZE + "-byte Confluent wire-format header");
    }

    static WireFormatException badMagic(byte found, int length) {
        return new WireFormatException(String.format(
                "Unknown magic byte 0x%02x (expected 0x00) in a %d-byte payload: not Confluent wire format",
                found & 0xff, length));
    }

    static WireFormatException undecodable(int schemaId, String readerType, int length, Throwable cause) {
        String why = cause.getMessage() == null ? cause.getClass().getSimpleName()
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        return new WireFormatException("Cannot decode a " + length + "-byte payload written with schema id "
                + schemaId + " as " + readerType + ": " + why, cause);
    }
}
