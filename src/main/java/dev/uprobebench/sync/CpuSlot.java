package dev.uprobebench.sync;

/**
 * The per-CPU identity of one thread: an index into every per-slot array of the primitives.
 * A slot has exactly one owner thread at a time, which is what makes plain or opaque writes to
 * per-slot data sound (the kernel's "this CPU" with preemption disabled).
 *
 * <p>The hit path takes the slot as an argument instead of looking it up in a {@code ThreadLocal}.
 */
public final class CpuSlot {
    private final int id;
    private final CpuSlots owner;

    CpuSlot(int id, CpuSlots owner) {
        this.id = id;
        this.owner = owner;
    }

    /** Index of this slot, in {@code [0, owner.capacity())}. */
    public int id() {
        return id;
    }

    /** The slot table this slot belongs to. */
    public CpuSlots owner() {
        return owner;
    }

    @Override
    public String toString() {
        return "slot" + id;
    }
}
