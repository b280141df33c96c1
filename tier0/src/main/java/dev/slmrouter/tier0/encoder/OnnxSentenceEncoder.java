package dev.slmrouter.tier0.encoder;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A sentence encoder run in process by ONNX Runtime: the int8 model and the Hugging Face tokenizer are read
 * from the classpath (the langchain4j jars ship them), texts are truncated to the encoder's window, and the
 * last layer's token vectors are pooled (CLS or attention-masked mean) and L2-normalized, as the models were
 * trained to be used. Each text is its own call on one intra-op thread: the models quantize activations
 * dynamically over the whole input tensor, so a padded batch gives slightly different vectors (cosine
 * 0.993-0.998 measured) than the single call a worker makes; training on those would be a train/serve skew.
 * {@link #embedAll} therefore runs single-text calls on {@code parallelism} threads at once.
 */
public final class OnnxSentenceEncoder implements SentenceEncoder {

    static {
        // DJL unpacks the tokenizer's native library into its cache dir (default ~/.djl.ai). Keep it there
        // unless set, but make sure DJL never tries to fetch anything: everything ships in the jars.
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }

    private final EncoderSpec spec;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final boolean wantsTypeIds;
    private final int dimensions;
    private final int maxTokens;
    private final int parallelism;

    private OnnxSentenceEncoder(final EncoderSpec spec, final OrtEnvironment environment, final OrtSession session,
                                final HuggingFaceTokenizer tokenizer, final int maxTokens, final int parallelism) {
        this.spec = spec;
        this.parallelism = parallelism;
        this.environment = environment;
        this.session = session;
        this.tokenizer = tokenizer;
        this.maxTokens = maxTokens;
        final Set<String> inputs = session.getInputNames();
        this.wantsTypeIds = inputs.contains("token_type_ids");
        this.dimensions = embed("dimension probe").length;
    }

    /** Loads {@code spec}'s model with its own token window; {@link #embedAll} uses {@code parallelism} threads. */
    public static OnnxSentenceEncoder load(final EncoderSpec spec, final int parallelism) {
        return load(spec, parallelism, spec.maxTokens());
    }

    /** As {@link #load(EncoderSpec, int)}, truncating texts to at most {@code maxTokens} tokens. */
    public static OnnxSentenceEncoder load(final EncoderSpec spec, final int parallelism, final int maxTokens) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1");
        }
        final int window = Math.max(8, Math.min(maxTokens, spec.maxTokens()));
        try {
            final byte[] model = resource(spec.modelResource());
            final OrtEnvironment env = OrtEnvironment.getEnvironment();
            final OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            final OrtSession session = env.createSession(model, options);
            final Map<String, String> tokenizerOptions = Map.of(
                    "padding", "false", "truncation", "true", "maxLength", Integer.toString(window));
            final HuggingFaceTokenizer tokenizer;
            try (InputStream in = open(spec.tokenizerResource())) {
                tokenizer = HuggingFaceTokenizer.newInstance(in, tokenizerOptions);
            }
            return new OnnxSentenceEncoder(spec, env, session, tokenizer, window, parallelism);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot load " + spec.modelResource() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the tokenizer " + spec.tokenizerResource(), e);
        }
    }

    private static InputStream open(final String name) throws IOException {
        final InputStream in = OnnxSentenceEncoder.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException(name + " is not on the classpath (the langchain4j embeddings jar that ships it is missing)");
        }
        return in;
    }

    private static byte[] resource(final String name) throws IOException {
        try (InputStream in = open(name); ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 24)) {
            in.transferTo(out);
            return out.toByteArray();
        }
    }

    @Override
    public String id() {
        return spec.id();
    }

    @Override
    public String version() {
        return spec.source();
    }

    @Override
    public int dimensions() {
        return dimensions;
    }

    public EncoderSpec spec() {
        return spec;
    }

    /** The token window texts are truncated to. */
    public int maxTokens() {
        return maxTokens;
    }

    @Override
    public float[] embed(final String text) {
        final Encoding encoding = tokenizer.encode(text);
        return run(List.of(encoding))[0];
    }

    @Override
    public float[][] embedAll(final List<String> texts) {
        final float[][] out = new float[texts.size()][];
        if (parallelism == 1 || texts.size() < 2) {
            for (int i = 0; i < out.length; i++) {
                out[i] = embed(texts.get(i));
            }
            return out;
        }
        final AtomicInteger next = new AtomicInteger();
        final List<Thread> threads = new ArrayList<>(parallelism);
        final AtomicReference<RuntimeException> failure = new AtomicReference<>();
        for (int t = 0; t < parallelism; t++) {
            final Thread thread = new Thread(() -> {
                try {
                    for (int i = next.getAndIncrement(); i < out.length && failure.get() == null; i = next.getAndIncrement()) {
                        out[i] = embed(texts.get(i));
                    }
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }, "tier0-embed-" + t);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while embedding", e);
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return out;
    }

    private float[][] run(final List<Encoding> batch) {
        final int size = batch.size();
        int length = 0;
        for (Encoding e : batch) {
            length = Math.max(length, e.getIds().length);
        }
        final long[] ids = new long[size * length];
        final long[] mask = new long[size * length];
        final long[] types = new long[size * length];
        for (int b = 0; b < size; b++) {
            final Encoding e = batch.get(b);
            final long[] tokenIds = e.getIds();
            final long[] attention = e.getAttentionMask();
            final long[] typeIds = e.getTypeIds();
            System.arraycopy(tokenIds, 0, ids, b * length, tokenIds.length);
            System.arraycopy(attention, 0, mask, b * length, attention.length);
            System.arraycopy(typeIds, 0, types, b * length, typeIds.length);
        }
        final long[] shape = {size, length};
        final Map<String, OnnxTensor> inputs = new HashMap<>();
        try (OnnxTensor idTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
             OnnxTensor maskTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape);
             OnnxTensor typeTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(types), shape)) {
            inputs.put("input_ids", idTensor);
            inputs.put("attention_mask", maskTensor);
            if (wantsTypeIds) {
                inputs.put("token_type_ids", typeTensor);
            }
            try (OrtSession.Result result = session.run(inputs)) {
                final FloatBuffer hidden = ((OnnxTensor) result.get(0)).getFloatBuffer();
                final int h = hidden.remaining() / (size * length);
                final float[][] out = new float[size][];
                for (int b = 0; b < size; b++) {
                    out[b] = pool(hidden, b, length, h, mask);
                }
                return out;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed on a batch of " + size + ": " + e.getMessage(), e);
        }
    }

    private float[] pool(final FloatBuffer hidden, final int b, final int length, final int h, final long[] mask) {
        final float[] v = new float[h];
        final int base = b * length * h;
        if (spec.pooling() == EncoderSpec.Pooling.CLS) {
            hidden.get(base, v, 0, h);
        } else {
            final float[] row = new float[h];
            int count = 0;
            for (int t = 0; t < length; t++) {
                if (mask[b * length + t] == 0) {
                    continue;
                }
                hidden.get(base + t * h, row, 0, h);
                for (int j = 0; j < h; j++) {
                    v[j] += row[j];
                }
                count++;
            }
            final float inv = 1f / Math.max(1, count);
            for (int j = 0; j < h; j++) {
                v[j] *= inv;
            }
        }
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        final float scale = norm == 0 ? 0f : (float) (1.0 / Math.sqrt(norm));
        for (int j = 0; j < h; j++) {
            v[j] *= scale;
        }
        return v;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // nothing to do: the process is letting go of the model
        }
        tokenizer.close();
    }

}
