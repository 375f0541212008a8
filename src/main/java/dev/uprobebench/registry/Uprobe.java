package dev.uprobebench.registry;

import dev.uprobebench.sync.RbNode;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One uprobe: a breakpoint at {@code (inode, offset)} with its consumers, embedded tree node,
 * reference count, lifetime state and slab generation.
 *
 * <p>Uprobes are never created with {@code new} by back-ends: they come from a {@link Slab} and
 * go back to it, poisoned, so that a use after free is observable (the state reads
 * {@link State#FREED} or the generation has moved on) instead of being hidden by the garbage
 * collector.
 */
public final class Uprobe extends RbNode {
    /** Key value of a freed uprobe: no lookup ever asks for it. */
    public static final long POISON = 0xdead_4ead_dead_4eadL;

    /** Lifetime states (DESIGN.md section 3). */
    public enum State {
        /** In the slab, not allocated. */
        FREED,
        /** Allocated and linked in the tree. */
        LIVE,
        /** Unlinked from the tree, waiting for its free (a grace period or the last put). */
        ERASED
    }

    static final int FREED = 0;
    static final int LIVE = 1;
    static final int ERASED = 2;
    private static final State[] STATES = State.values();
    private static final UprobeConsumer[] NO_CONSUMERS = new UprobeConsumer[0];

    private static final VarHandle REF;
    private static final VarHandle STATE;
    private static final VarHandle GEN;
    private static final VarHandle CONSUMERS;
    private static final VarHandle ERASED_AT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            REF = l.findVarHandle(Uprobe.class, "refcount", int.class);
            STATE = l.findVarHandle(Uprobe.class, "state", int.class);
            GEN = l.findVarHandle(Uprobe.class, "generation", int.class);
            CONSUMERS = l.findVarHandle(Uprobe.class, "consumers", UprobeConsumer[].class);
            ERASED_AT = l.findVarHandle(Uprobe.class, "erasedAt", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int slabIndex;
    private long inode = POISON;
    private long offset = POISON;
    @SuppressWarnings("unused") // accessed through REF
    private int refcount;
    @SuppressWarnings("unused") // accessed through STATE
    private int state = FREED;
    @SuppressWarnings("unused") // accessed through GEN
    private int generation;
    @SuppressWarnings("unused") // accessed through CONSUMERS
    private UprobeConsumer[] consumers = NO_CONSUMERS;
    @SuppressWarnings("unused") // accessed through ERASED_AT
    private long erasedAt = -1;

    Uprobe(int slabIndex) {
        this.slabIndex = slabIndex;
    }

    // ---- key ----------------------------------------------------------------------------------

    public long inode() {
        return inode;
    }

    public long offset() {
        return offset;
    }

    @Override
    public int compareKey(long keyInode, long keyOffset) {
        int c = Long.compare(keyInode, inode);
        return c != 0 ? c : Long.compare(keyOffset, offset);
    }

    @Override
    public long keyHi() {
        return inode;
    }

    @Override
    public long keyLo() {
        return offset;
    }

    public boolean hasKey(long keyInode, long keyOffset) {
        return inode == keyInode && offset == keyOffset;
    }

    // ---- slab lifetime --------------------------------------------------------------------------

    public int slabIndex() {
        return slabIndex;
    }

    public int generationAcquire() {
        return (int) GEN.getAcquire(this);
    }

    public State state() {
        return STATES[(int) STATE.getAcquire(this)];
    }

    public boolean isFreedAcquire() {
        return (int) STATE.getAcquire(this) == FREED;
    }

    /** True while linked in the tree (the kernel's {@code uprobe_is_active}). Writer side. */
    public boolean isLinked() {
        return (int) STATE.getAcquire(this) == LIVE;
    }

    /** Marks the uprobe unlinked; the caller has just erased it from the tree. */
    public void markErased() {
        markErased(-1);
    }

    /**
     * Marks the uprobe unlinked at grace-period epoch {@code epoch} (the count of its read-side
     * domain's completed grace periods, or -1 where the back-end has none): the age oracle's
     * start, written before the state's release.
     */
    public void markErased(long epoch) {
        ERASED_AT.setOpaque(this, epoch);
        STATE.setRelease(this, ERASED);
    }

    /** The epoch it was unlinked at, or -1 (linked since its allocation, or no grace periods). */
    public long erasedAtOpaque() {
        return (long) ERASED_AT.getOpaque(this);
    }

    /** Slab only: a fresh object for a new key, refcount 1 (the creator's reference). */
    void initialize(long newInode, long newOffset) {
        clearLinks();
        ERASED_AT.setOpaque(this, -1L);
        GEN.setRelease(this, (int) GEN.get(this) + 1);
        inode = newInode;
        offset = newOffset;
        CONSUMERS.set(this, NO_CONSUMERS);
        REF.set(this, 1);
        STATE.setRelease(this, LIVE);
    }

    /** Slab only: poisons a freed object. Returns false (and changes nothing) on a double free. */
    boolean poison() {
        int old = (int) STATE.getAndSet(this, FREED);
        if (old == FREED) {
            return false;
        }
        inode = POISON;
        offset = POISON;
        CONSUMERS.setRelease(this, NO_CONSUMERS);
        return true;
    }

    // ---- reference count ----------------------------------------------------------------------

    /** {@code refcount_inc}: returns the old value (0 means a resurrection). */
    public int getAndIncrementRef() {
        return (int) REF.getAndAdd(this, 1);
    }

    /** {@code refcount_inc_not_zero}: false when the uprobe is dying. */
    public boolean tryGetRef() {
        int c = (int) REF.getVolatile(this);
        while (c > 0) {
            int witness = (int) REF.compareAndExchange(this, c, c + 1);
            if (witness == c) {
                return true;
            }
            c = witness;
        }
        return false;
    }

    /** {@code refcount_dec_and_test}: returns the new value. */
    public int decrementAndGetRef() {
        return (int) REF.getAndAdd(this, -1) - 1;
    }

    public int refOpaque() {
        return (int) REF.getOpaque(this);
    }

    // ---- consumers ----------------------------------------------------------------------------

    /** The consumer array as a reader sees it; never null, never modified in place. */
    public UprobeConsumer[] consumersAcquire() {
        return (UprobeConsumer[]) CONSUMERS.getAcquire(this);
    }

    /** Writer side: publishes a new consumer array (copy on write). */
    public void setConsumersRelease(UprobeConsumer[] c) {
        CONSUMERS.setRelease(this, c);
    }

    @Override
    public String toString() {
        return "uprobe[" + inode + ":" + offset + " gen " + GEN.getOpaque(this) + " " + state() + "]";
    }
}
