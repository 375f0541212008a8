package dev.uprobebench.uret;

import dev.uprobebench.registry.Uprobe;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * {@code struct return_instance} with its {@code struct hprobe}: the uprobe an entry found, its
 * generation there, the lease's state and SRCU index, and when the function returns.
 *
 * <p>State transitions (6.13, {@code kernel/events/uprobes.c}): an entry sets LEASED (a lease on
 * {@code uretprobes_srcu}) or STABLE (a reference; the {@code refcount} design). The timer moves
 * LEASED to STABLE or GONE by compare-and-set; a return exchanges any state for CONSUMED. The
 * initial state is CONSUMED, so that a timer reading an instance not yet published sees nothing to
 * expire.
 */
public final class ReturnInstance {
    public static final int CONSUMED = 0;
    public static final int LEASED = 1;
    public static final int STABLE = 2;
    public static final int GONE = 3;

    private static final VarHandle STATE;
    private static final VarHandle UNLOCKS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(ReturnInstance.class, "state", int.class);
            UNLOCKS = l.findVarHandle(ReturnInstance.class, "unlocks", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    Uprobe uprobe;
    int generation;
    int srcuIdx;
    /** When the function returns: a hit count or a {@code System.nanoTime()}. */
    long due;
    @SuppressWarnings("unused") // accessed through STATE
    private int state = CONSUMED;
    @SuppressWarnings("unused") // accessed through UNLOCKS
    private int unlocks;

    /** The entry: fields first, the state last (release), so a timer that reads it sees them. */
    void publish(Uprobe u, int gen, int idx, int initialState) {
        uprobe = u;
        generation = gen;
        srcuIdx = idx;
        UNLOCKS.set(this, 0);
        STATE.setRelease(this, initialState);
    }

    public int stateAcquire() {
        return (int) STATE.getAcquire(this);
    }

    boolean compareAndSetState(int expected, int next) {
        return STATE.compareAndSet(this, expected, next);
    }

    int getAndSetState(int next) {
        return (int) STATE.getAndSet(this, next);
    }

    /** A volatile set of the state, no read-modify-write (the no-compare-and-set test double uses it). */
    void setStateVolatile(int next) {
        STATE.setVolatile(this, next);
    }

    /**
     * Counts one SRCU unlock of this lease; returns how many there were before it. The checker's,
     * so not an atomic on the return path: opaque, since only the side that won the state decides
     * to unlock. Two unlocks racing exactly may both read 0 here; the balance of leases and
     * unlocks at close counts them anyway (ReturnProbes#close).
     */
    int countUnlock() {
        int before = (int) UNLOCKS.getOpaque(this);
        UNLOCKS.setOpaque(this, before + 1);
        return before;
    }

    /** The state, read plainly by the only thread that writes it ({@code refcount}: no timer). */
    int stateOwner() {
        return (int) STATE.getOpaque(this);
    }

    /** The state, written plainly by the only thread that reads it ({@code refcount}: no timer). */
    void setStateOwner(int next) {
        STATE.setOpaque(this, next);
    }

    public int unlocks() {
        return (int) UNLOCKS.getVolatile(this);
    }

    public Uprobe uprobe() {
        return uprobe;
    }
}
