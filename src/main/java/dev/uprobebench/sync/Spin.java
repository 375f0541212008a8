package dev.uprobebench.sync;

/**
 * The waiting policy shared by every busy-wait in this package: {@code cpu_relax()} first, then
 * yield the CPU. The yield matters only when threads outnumber cores (tests, unpinned runs): a
 * spinner must not burn the time slice the thread it waits for needs.
 */
public final class Spin {
    private static final int SPINS_BEFORE_YIELD = 128;

    private Spin() {
    }

    /** One step of a wait loop; {@code iteration} counts from 0. */
    public static void pause(int iteration) {
        if (iteration < SPINS_BEFORE_YIELD) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }
}
