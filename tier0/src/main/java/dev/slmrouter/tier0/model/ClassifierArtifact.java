package dev.slmrouter.tier0.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.slmrouter.tier0.head.SoftmaxHead;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trained tier-0 classifier as a file (JSON): its name and version, the encoder it was trained on (id,
 * version, token window, dimensions: a worker refuses to pair it with another encoder), the labels, the
 * head's weights (K rows of d numbers) and biases, the confidence threshold a worker uses unless told
 * otherwise, and how it was trained. The version is a content hash of labels, weights and encoder, so two
 * files with the same version answer the same.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClassifierArtifact(
        @JsonProperty("format") String format,
        @JsonProperty("name") String name,
        @JsonProperty("version") String version,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("encoder") Encoder encoder,
        @JsonProperty("labels") List<String> labels,
        @JsonProperty("threshold") double threshold,
        @JsonProperty("weights") List<float[]> weights,
        @JsonProperty("bias") float[] bias,
        @JsonProperty("training") Map<String, Object> training,
        @JsonProperty("evaluation") Map<String, Object> evaluation) {

    /** The file format written by this code; a reader refuses other major versions. */
    public static final String FORMAT = "slm-router.tier0.classifier/1";

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /** The encoder a classifier was trained on. */
    public record Encoder(@JsonProperty("id") String id, @JsonProperty("version") String version,
                          @JsonProperty("max_tokens") int maxTokens, @JsonProperty("dimensions") int dimensions) {
    }

    public ClassifierArtifact {
        labels = List.copyOf(labels);
        weights = List.copyOf(weights);
        if (weights.size() != labels.size() || bias.length != labels.size()) {
            throw new IllegalArgumentException("a classifier needs one weight row and one bias per label");
        }
        for (float[] row : weights) {
            if (row.length != encoder.dimensions()) {
                throw new IllegalArgumentException("weight rows must have " + encoder.dimensions() + " numbers");
            }
        }
    }

    /** A new artifact for {@code head}; the version is computed from its content. */
    public static ClassifierArtifact of(final String name, final Encoder encoder, final List<String> labels,
                                        final SoftmaxHead head, final double threshold, final String createdAt,
                                        final Map<String, Object> training) {
        final float[] w = head.weights();
        final int d = head.dimensions();
        final List<float[]> rows = new java.util.ArrayList<>(labels.size());
        for (int k = 0; k < labels.size(); k++) {
            rows.add(java.util.Arrays.copyOfRange(w, k * d, (k + 1) * d));
        }
        final float[] bias = head.bias();
        return new ClassifierArtifact(FORMAT, name, contentVersion(name, encoder, labels, rows, bias), createdAt, encoder,
                labels, threshold, rows, bias, new LinkedHashMap<>(training), null);
    }

    /** The head these weights make. */
    public SoftmaxHead head() {
        final int d = encoder.dimensions();
        final float[] w = new float[labels.size() * d];
        for (int k = 0; k < labels.size(); k++) {
            System.arraycopy(weights.get(k), 0, w, k * d, d);
        }
        return new SoftmaxHead(labels.size(), d, w, bias);
    }

    /** A copy with another threshold and the evaluation that chose it. */
    public ClassifierArtifact withThreshold(final double newThreshold, final Map<String, Object> evaluationSummary) {
        return new ClassifierArtifact(format, name, version, createdAt, encoder, labels, newThreshold, weights, bias,
                training, evaluationSummary);
    }

    public static ClassifierArtifact read(final Path path) throws IOException {
        final ClassifierArtifact artifact;
        try {
            artifact = JSON.readValue(path.toFile(), ClassifierArtifact.class);
        } catch (IOException e) {
            throw new IOException(path + " is not a tier-0 classifier file: " + e.getMessage(), e);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IOException(path + " is not a valid tier-0 classifier file: " + e.getMessage(), e);
        }
        if (artifact.format() == null || !artifact.format().startsWith("slm-router.tier0.classifier/1")) {
            throw new IOException(path + ": unsupported format '" + artifact.format() + "' (this code reads " + FORMAT + ")");
        }
        final String expected = contentVersion(artifact.name(), artifact.encoder(), artifact.labels(), artifact.weights(),
                artifact.bias());
        if (!expected.equals(artifact.version())) {
            throw new IOException(path + ": version " + artifact.version() + " does not match its content (" + expected
                    + "): the file was changed by hand or damaged");
        }
        return artifact;
    }

    /** Writes atomically (a temporary file renamed over the target). */
    public void write(final Path path) throws IOException {
        final Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        final Path tmp = Files.createTempFile(parent, path.getFileName().toString(), ".tmp");
        try {
            JSON.writeValue(tmp.toFile(), this);
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static String contentVersion(final String name, final Encoder encoder, final List<String> labels,
                                 final List<float[]> weights, final float[] bias) {
        try {
            final MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((name + "\n" + encoder.id() + "\n" + encoder.version() + "\n" + encoder.maxTokens() + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            for (String label : labels) {
                sha.update((label + "\n").getBytes(StandardCharsets.UTF_8));
            }
            final ByteBuffer buffer = ByteBuffer.allocate(4 * encoder.dimensions());
            for (float[] row : weights) {
                buffer.clear();
                for (float v : row) {
                    buffer.putFloat(v);
                }
                sha.update(buffer.array(), 0, buffer.position());
            }
            for (float v : bias) {
                sha.update(ByteBuffer.allocate(4).putFloat(v).array());
            }
            return name + "-" + HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
