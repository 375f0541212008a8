package dev.uprobebench.sync;

/**
 * {@code rcu_sync}: lets readers use a fast path while no writer is around, and tells them, with
 * one grace period, when one is.
 *
 * <h2>Assumptions and guarantees</h2>
 * <ul>
 *   <li>A reader calls {@link #isIdle()} inside an RCU read-side section of the {@link Rcu} given
 *       to the constructor, and keeps to its fast path only until that section ends.</li>
 *   <li>{@link #enter()} returns only once every reader section that saw "idle" has ended: from
 *       then on, every reader takes its slow path. Calls to {@link #enter()} and {@link #exit()}
 *       are paired and serialized by the caller (the semaphore's writer lock).</li>
 *   <li>{@link #exit()} returns at once; readers go back to their fast path one grace period
 *       later, unless another writer enters first, which then needs no grace period of its own
 *       (the kernel's {@code GP_REPLAY}/{@code GP_EXIT} window): back-to-back writers pay one grace
 *       period, not one each.</li>
 *   <li>Readers: wait-free (one acquire load). {@link #enter()}: blocking.</li>
 * </ul>
 *
 * <h2>Implementation notes</h2>
 * {@code kernel/rcu/sync.c} with its state machine reduced to what one writer lock needs:
 * {@code GP_IDLE}, {@code GP_PASSED} (a writer is in), {@code GP_EXIT} (the return to idle is
 * queued behind a grace period with {@code call_rcu}). A writer entering during {@code GP_EXIT}
 * takes the state back to {@code GP_PASSED}; the queued callback then finds it busy and leaves it.
 */
public class RcuSync {
    private static final int IDLE = 0;
    private static final int PASSED = 1;
    private static final int EXIT = 2;

    private final Rcu rcu;
    private final Object lock = new Object();
    private volatile int state = IDLE;
    /** Bumped by every exit, so that a stale callback does not idle a later exit's state. */
    private long exits;
    private long gracePeriodsWaited;

    public RcuSync(Rcu rcu) {
        this.rcu = rcu;
    }

    /** {@code rcu_sync_is_idle()}: true when readers may take their fast path. */
    public boolean isIdle() {
        return state == IDLE;
    }

    /**
     * {@code rcu_sync_enter()}: the state leaves idle first, then the grace period, so that every
     * reader that can still see idle began its section before the grace period and is waited for.
     * Overridable by the ablation tests' doubles only (docs/ablation.md); nothing in main does, so
     * the call is direct.
     */
    public void enter() {
        if (leaveIdle()) {
            waitGracePeriod();
        }
    }

    /** The state to {@code GP_PASSED}; true when it was idle (readers may be on the fast path). */
    final boolean leaveIdle() {
        synchronized (lock) {
            boolean wasIdle = state == IDLE;
            state = PASSED;
            return wasIdle;
        }
    }

    /** The grace period of {@link #enter()}: readers that saw idle have left their sections. */
    final void waitGracePeriod() {
        rcu.synchronize();
        synchronized (lock) {
            gracePeriodsWaited++;
        }
    }

    /** {@code rcu_sync_exit()}: idle again one grace period later, unless a writer came back. */
    public void exit() {
        long ticket;
        synchronized (lock) {
            state = EXIT;
            ticket = ++exits;
        }
        rcu.call(() -> {
            synchronized (lock) {
                if (stillExiting(ticket)) {
                    state = IDLE;
                }
            }
        });
    }

    /**
     * The exit callback's test, under the lock: no writer entered since the exit that queued it
     * (the state is still {@code GP_EXIT}, and no later exit took a newer ticket). Package-private
     * for the ablation tests' double that idles unconditionally; nothing in main overrides it.
     */
    boolean stillExiting(long ticket) {
        return state == EXIT && exits == ticket;
    }

    /** Grace periods writers waited for in {@link #enter()} (the rest were skipped). */
    public long gracePeriodsWaited() {
        synchronized (lock) {
            return gracePeriodsWaited;
        }
    }
}
