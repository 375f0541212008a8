package dev.uprobebench.uret;

/**
 * Test-only interleaving points of a lease's state machine, on the thread that reaches them; the
 * production hooks ({@link #NONE}) do nothing.
 */
public interface LeaseHooks {
    LeaseHooks NONE = new LeaseHooks() {
    };

    /** The timer read LEASED and has not yet read the instance's uprobe. */
    default void timerSawLeased(ReturnInstance ri) {
    }

    /** The timer read LEASED and tried its reference, and is about to switch the state. */
    default void timerBeforeSwap(ReturnInstance ri) {
    }

    /** A return is about to take its instance's state ({@code hprobe_consume}). */
    default void returnBeforeSwap(ReturnInstance ri) {
    }
}
