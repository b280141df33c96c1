package dev.slmrouter.simulators.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Test schemas and a check with networknt's validator, the one the workers use. */
public final class Schemas {

    /** The shape of vLLM's structured-outputs doc example (a pydantic model with an enum in $defs). */
    public static final String CAR = "{\"$defs\":{\"CarType\":{\"enum\":[\"sedan\",\"SUV\",\"Truck\",\"Coupe\"],"
            + "\"title\":\"CarType\",\"type\":\"string\"}},\"properties\":{\"brand\":{\"type\":\"string\"},"
            + "\"model\":{\"type\":\"string\"},\"car_type\":{\"$ref\":\"#/$defs/CarType\"}},"
            + "\"required\":[\"brand\",\"model\",\"car_type\"],\"title\":\"CarDescription\",\"type\":\"object\"}";

    /** A flat extraction schema with most supported keywords. */
    public static final String INVOICE = "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{"
            + "\"invoice_number\":{\"type\":\"string\"},\"total\":{\"type\":\"number\",\"minimum\":0},"
            + "\"line_count\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":5},\"paid\":{\"type\":\"boolean\"},"
            + "\"due\":{\"type\":\"string\",\"format\":\"date\"},\"currency\":{\"enum\":[\"EUR\",\"USD\"]},"
            + "\"note\":{\"type\":[\"string\",\"null\"]},\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},"
            + "\"minItems\":1,\"maxItems\":2},\"customer\":{\"type\":\"object\",\"properties\":{"
            + "\"name\":{\"type\":\"string\"},\"vat\":{\"anyOf\":[{\"type\":\"null\"},{\"type\":\"string\"}]}},"
            + "\"required\":[\"name\"]}},\"required\":[\"invoice_number\",\"total\",\"line_count\",\"paid\"]}";

    private Schemas() {
    }

    /** Whether {@code answer} is JSON that satisfies {@code schema}. */
    public static boolean valid(final String schema, final String answer) {
        final JsonSchema compiled = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema);
        final JsonNode node;
        try {
            node = Json.parse(answer.getBytes(StandardCharsets.UTF_8));
        } catch (IOException notJson) {
            return false;
        }
        return compiled.validate(node).isEmpty();
    }
}
