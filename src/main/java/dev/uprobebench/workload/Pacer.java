package dev.uprobebench.workload;

import java.util.function.LongSupplier;

/**
 * A paced writer's schedule: one operation every {@code interval} nanoseconds from
 * {@link #restart()}, or no schedule at all ({@code interval} 0: as fast as it goes). A writer
 * that fell behind does not burst through every slot it missed: its next deadline is never more
 * than one interval in the past, so it catches up by at most two operations at once. Waits by
 * spinning, since every writer has a core of its own. Confined to its writer's thread.
 */
public final class Pacer {
    private final long interval;
    private final LongSupplier clock;
    private long deadline;

    public Pacer(long intervalNanos) {
        this(intervalNanos, System::nanoTime);
    }

    /** With a clock of the test's own, so that a schedule is checked without waiting on real time. */
    Pacer(long intervalNanos, LongSupplier clock) {
        if (intervalNanos < 0) {
            throw new IllegalArgumentException("a pacing interval must be >= 0 ns, got " + intervalNanos);
        }
        this.interval = intervalNanos;
        this.clock = clock;
        this.deadline = clock.getAsLong();
    }

    /** Nanoseconds between operations, or 0 without a schedule. */
    public long interval() {
        return interval;
    }

    /** Starts the schedule now (at each iteration's start). */
    public void restart() {
        deadline = clock.getAsLong();
    }

    /** Waits for the next slot of the schedule. */
    public void await() {
        if (interval == 0) {
            return;
        }
        long now;
        while ((now = clock.getAsLong()) < deadline) {
            Thread.onSpinWait();
        }
        deadline = Math.max(deadline + interval, now - interval);
    }
}
