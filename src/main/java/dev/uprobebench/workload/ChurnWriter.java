package dev.uprobebench.workload;

import dev.uprobebench.mm.KeyLayout;
import dev.uprobebench.registry.UprobeConsumer;
import dev.uprobebench.registry.UprobeRegistry;
import java.util.SplittableRandom;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * One churn writer: registers and unregisters the churn keys, each with a consumer of its own (two
 * writers at one key share the uprobe), a random key per operation, a {@code synchronize()} every
 * {@code syncEvery} unregistrations, at its pace or as fast as it can. Timed operations record
 * their latency two ways: corrected for coordinated omission (from the intended start, as
 * HdrHistogram's {@code recordValueWithExpectedInterval} does: an operation that took k pacing
 * intervals also records the k - 1 its schedule held back) and raw (service time); unpaced
 * writers have no schedule, so both are the service time.
 */
public final class ChurnWriter {
    /** The latency series a timed writer records, in this order. */
    public static final String[] TAGS = {"register", "unregister", "register-service", "unregister-service",
        "synchronize"};

    private final UprobeRegistry registry;
    private final KeyLayout layout;
    private final UprobeConsumer[] mine;
    private final boolean[] held;
    private final SplittableRandom rnd;
    private final int syncEvery;
    private int unregistered;
    private long registers;
    private long unregisters;
    /** The pace, and the recorders of register, unregister, register-service, unregister-service, synchronize. */
    private final Timing.Paced paced;
    private final SingleWriterRecorder[] recorders;

    /**
     * @param intervalNanos the pace (ns between operations; 0: as fast as it can)
     * @param digits the recorders' significant digits ({@link Timing#DIGITS} where they are read)
     */
    public ChurnWriter(Scene scene, long seed, long intervalNanos, int digits) {
        this.registry = scene.registry;
        this.layout = scene.layout;
        this.mine = new UprobeConsumer[scene.churnKeys];
        for (int k = 0; k < mine.length; k++) {
            mine[k] = new UprobeConsumer(scene.handlerWork);
        }
        this.held = new boolean[scene.churnKeys];
        this.rnd = new SplittableRandom(seed);
        this.syncEvery = scene.syncEvery;
        this.paced = new Timing.Paced(intervalNanos, TAGS.length, digits);
        this.recorders = paced.recorders;
    }

    /** The recorders, in {@link #TAGS} order (read between iterations, never on the measured path). */
    public SingleWriterRecorder[] recorders() {
        return recorders;
    }

    /** A new measurement interval: the schedule starts now and the recorders are empty. */
    public void restart() {
        paced.restart();
    }

    /** One operation on a random churn key, after waiting for its slot when paced; timed when asked. */
    public void churn(boolean timed) {
        paced.pacer.await();
        int k = rnd.nextInt(mine.length);
        long t0 = timed ? System.nanoTime() : 0;
        if (held[k]) {
            registry.unregister(layout.churnInode(), layout.churnOffset(k), mine[k]);
            held[k] = false;
            if (syncEvery > 0 && ++unregistered % syncEvery == 0) {
                long s0 = timed ? System.nanoTime() : 0;
                registry.synchronize();
                if (timed) {
                    recorders[4].recordValue(Timing.clamp(System.nanoTime() - s0));
                }
            }
            unregisters++;
            if (timed) {
                record(recorders[1], recorders[3], System.nanoTime() - t0);
            }
        } else {
            registry.register(layout.churnInode(), layout.churnOffset(k), mine[k]);
            held[k] = true;
            registers++;
            if (timed) {
                record(recorders[0], recorders[2], System.nanoTime() - t0);
            }
        }
    }

    /** The service time, raw and corrected for the operations the schedule held back behind it. */
    private void record(SingleWriterRecorder corrected, SingleWriterRecorder service, long nanos) {
        record(corrected, service, Timing.clamp(nanos), paced.pacer.interval());
    }

    /** {@code nanos} into {@code service} as is and into {@code corrected} with the pace's expected interval. */
    public static void record(SingleWriterRecorder corrected, SingleWriterRecorder service, long nanos,
            long pacingIntervalNanos) {
        service.recordValue(nanos);
        corrected.recordValueWithExpectedInterval(nanos, pacingIntervalNanos);
    }

    /** Unregisters every key this writer still holds (at the end, before the scene's teardown). */
    public void releaseHeld() {
        for (int k = 0; k < mine.length; k++) {
            if (held[k]) {
                registry.unregister(layout.churnInode(), layout.churnOffset(k), mine[k]);
                held[k] = false;
            }
        }
    }

    public long registers() {
        return registers;
    }

    public long unregisters() {
        return unregisters;
    }
}
