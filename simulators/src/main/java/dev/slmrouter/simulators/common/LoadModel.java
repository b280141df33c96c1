package dev.slmrouter.simulators.common;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A serving engine's behavior under load, after vLLM's scheduler: at most {@code maxNumSeqs} sequences
 * run at once and the rest wait in FIFO order; a running request takes time-to-first-token plus output
 * tokens times time-per-output-token, and both grow with the batch size:
 * {@code ttft = ttftBase * (1 + ttftAlpha * running / maxNumSeqs) + promptTokens * prefillPerToken} and
 * {@code tpot = tpotBase * (1 + tpotAlpha * running / maxNumSeqs)}. Throughput therefore rises with
 * concurrency (a bigger batch costs less than proportionally more per step) up to the knee at
 * {@code maxNumSeqs} and is flat beyond. {@code timeScale} multiplies every duration (0.01 = 100x faster).
 * The batch size is sampled when a request is admitted, a simplification of continuous batching.
 */
public final class LoadModel {

    private final int maxNumSeqs;
    private final long ttftNanos;
    private final long tpotNanos;
    private final long prefillNanosPerToken;
    private final double ttftAlpha;
    private final double tpotAlpha;
    private final double timeScale;
    private final Semaphore slots;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger maxRunning = new AtomicInteger();

    public LoadModel(final int maxNumSeqs, final Duration ttft, final Duration tpot, final Duration prefillPerToken,
                     final double ttftAlpha, final double tpotAlpha, final double timeScale) {
        if (maxNumSeqs < 1 || timeScale < 0 || ttftAlpha < 0 || tpotAlpha < 0) {
            throw new IllegalArgumentException("maxNumSeqs >= 1, timeScale >= 0 and alphas >= 0 required");
        }
        this.maxNumSeqs = maxNumSeqs;
        this.ttftNanos = ttft.toNanos();
        this.tpotNanos = tpot.toNanos();
        this.prefillNanosPerToken = prefillPerToken.toNanos();
        this.ttftAlpha = ttftAlpha;
        this.tpotAlpha = tpotAlpha;
        this.timeScale = timeScale;
        this.slots = new Semaphore(maxNumSeqs, true); // fair: FIFO like the scheduler's waiting queue
    }

    /**
     * Waits for room in the batch for {@code seqs} sequences (a list of prompts is several sequences),
     * then sleeps through their generation. Returns the batch size at admission.
     */
    public int run(final int seqs, final int promptTokens, final int outputTokens) throws InterruptedException {
        final int permits = Math.min(seqs, maxNumSeqs);
        waiting.addAndGet(seqs);
        try {
            slots.acquire(permits);
        } finally {
            waiting.addAndGet(-seqs);
        }
        try {
            final int now = running.addAndGet(seqs);
            maxRunning.accumulateAndGet(now, Math::max);
            sleepNanos(serviceNanos(Math.min(now, maxNumSeqs), promptTokens, outputTokens));
            return now;
        } finally {
            running.addAndGet(-seqs);
            slots.release(permits);
        }
    }

    /** Unscaled service time of one request admitted into a batch of {@code batch} sequences. */
    public long serviceNanos(final int batch, final int promptTokens, final int outputTokens) {
        final double load = (double) batch / maxNumSeqs;
        final double ttft = ttftNanos * (1 + ttftAlpha * load) + (double) prefillNanosPerToken * promptTokens;
        final double tpot = tpotNanos * (1 + tpotAlpha * load);
        return (long) (ttft + tpot * outputTokens);
    }

    /** Sleeps the scaled equivalent of {@code unscaledNanos}. */
    public void sleepNanos(final long unscaledNanos) throws InterruptedException {
        final long nanos = (long) (unscaledNanos * timeScale);
        if (nanos > 0) {
            TimeUnit.NANOSECONDS.sleep(nanos);
        }
    }

    public int running() {
        return running.get();
    }

    public int waiting() {
        return waiting.get();
    }

    public int maxRunningObserved() {
        return maxRunning.get();
    }

    public int maxNumSeqs() {
        return maxNumSeqs;
    }
}
