package dev.uprobebench.sync;

import java.util.concurrent.locks.LockSupport;

/**
 * The waiting policy shared by every busy-wait in this package: {@code cpu_relax()} first, then
 * yield the CPU. The yield matters only when threads outnumber cores (tests, unpinned runs): a
 * spinner must not burn the time slice the thread it waits for needs.
 */
public final class Spin {
    private static final int SPINS_BEFORE_YIELD = 128;
    private static final int YIELDS_BEFORE_PARK = 1024;
    private static final long PARK_NANOS = 20_000;

    private Spin() {
    }

    /** One step of a short wait loop (locks); {@code iteration} counts from 0. */
    public static void pause(int iteration) {
        if (iteration < SPINS_BEFORE_YIELD) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }

    /**
     * One step of a long wait (a grace period): spin, then yield, then sleep 20 us at a time so
     * that a waiting writer does not take a core from the readers it waits for.
     */
    public static void pauseLong(int iteration) {
        if (iteration < SPINS_BEFORE_YIELD) {
            Thread.onSpinWait();
        } else if (iteration < YIELDS_BEFORE_PARK) {
            Thread.yield();
        } else {
            LockSupport.parkNanos(PARK_NANOS);
        }
    }
}
