package dev.uprobebench.sync.litmus;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A two-thread litmus harness in jcstress's style, small enough to test: two sides run the same
 * iteration on fresh variables, batch after batch, lined up by a barrier before every batch so
 * that they overlap; after each batch the outcomes are tallied and the variables cleared.
 *
 * <p>Variables live in two arrays, {@code x} and {@code y}, one cache line ({@link #STRIDE}
 * longs) per iteration. A side gets both arrays and its iteration's index into them and returns
 * what it observed; {@link Forbidden} says which pair of observations the fence must rule out.
 */
public final class Litmus {
    public static final int STRIDE = 8;
    public static final VarHandle AA = MethodHandles.arrayElementVarHandle(long[].class);
    private static final long JOIN_SECONDS = 60;

    public interface Side {
        long run(long[] x, long[] y, int at);
    }

    public interface Forbidden {
        boolean test(long left, long right);
    }

    /** What a run saw. */
    public record Result(long iterations, long forbidden) {
        @Override
        public String toString() {
            return forbidden + " forbidden outcomes in " + iterations + " iterations";
        }
    }

    private Litmus() {
    }

    /** Runs {@code batches} batches of {@code batchSize} iterations of {@code left} against {@code right}. */
    public static Result run(int batches, int batchSize, Side left, Side right, Forbidden forbidden) {
        return run(batches, batchSize, left, right, forbidden, () -> { });
    }

    /**
     * As {@link #run(int, int, Side, Side, Forbidden)}, with {@code betweenBatches} run once both
     * sides are done with a batch and before the next one starts (on the left side's thread; the
     * barrier publishes what it does): fresh objects for the next batch's iterations.
     */
    public static Result run(int batches, int batchSize, Side left, Side right, Forbidden forbidden,
            Runnable betweenBatches) {
        if (batches < 1 || batchSize < 1) {
            throw new IllegalArgumentException("batches and batch size must be >= 1");
        }
        long[] x = new long[batchSize * STRIDE];
        long[] y = new long[batchSize * STRIDE];
        long[] leftSaw = new long[batchSize];
        long[] rightSaw = new long[batchSize];
        AtomicInteger arrived = new AtomicInteger();
        long[] count = new long[1];
        AtomicReference<Throwable> failure = new AtomicReference<>();

        Thread l = new Thread(() -> {
            int phase = 0;
            for (int b = 0; b < batches; b++) {
                phase = await(arrived, phase);
                for (int i = 0; i < batchSize; i++) {
                    leftSaw[i] = left.run(x, y, i * STRIDE);
                }
                phase = await(arrived, phase);
                // Both sides are done with the batch: tally and clear before the next barrier.
                for (int i = 0; i < batchSize; i++) {
                    if (forbidden.test(leftSaw[i], rightSaw[i])) {
                        count[0]++;
                    }
                }
                java.util.Arrays.fill(x, 0);
                java.util.Arrays.fill(y, 0);
                betweenBatches.run();
            }
            await(arrived, phase);
        }, "litmus-left");
        Thread r = new Thread(() -> {
            int phase = 0;
            for (int b = 0; b < batches; b++) {
                phase = await(arrived, phase);
                for (int i = 0; i < batchSize; i++) {
                    rightSaw[i] = right.run(x, y, i * STRIDE);
                }
                phase = await(arrived, phase);
            }
            await(arrived, phase);
        }, "litmus-right");
        l.setUncaughtExceptionHandler((t, e) -> failure.set(e));
        r.setUncaughtExceptionHandler((t, e) -> failure.set(e));
        l.start();
        r.start();
        join(l);
        join(r);
        if (failure.get() != null) {
            throw new IllegalStateException("litmus side failed", failure.get());
        }
        return new Result((long) batches * batchSize, count[0]);
    }

    /** Barrier for two threads: returns the next phase. Yields when spinning long (few cores). */
    static int await(AtomicInteger arrived, int phase) {
        int next = phase + 1;
        arrived.incrementAndGet(); // a full fence: the batch's accesses before the other side's next ones
        for (int i = 0; arrived.get() < 2 * next; i++) {
            if (i < 1_000) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        return next;
    }

    private static void join(Thread t) {
        try {
            t.join(TimeUnit.SECONDS.toMillis(JOIN_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (t.isAlive()) {
            throw new IllegalStateException(t.getName() + " did not finish within " + JOIN_SECONDS + " s");
        }
    }
}
