package dev.uprobebench.sync;

import java.util.BitSet;

/**
 * The table of per-CPU slots: hands out slot ids to threads and takes them back.
 *
 * <p>Contract: {@link #acquire()} gives the calling thread a slot no other live holder has; the
 * caller must {@link #release(CpuSlot)} it when it stops using the read sides. Blocking
 * (a monitor), called only outside measured code.
 */
public final class CpuSlots {
    private final int capacity;
    private final CpuSlot[] slots;
    private final BitSet used;

    public CpuSlots(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("slot capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        this.slots = new CpuSlot[capacity];
        for (int i = 0; i < capacity; i++) {
            slots[i] = new CpuSlot(i, this);
        }
        this.used = new BitSet(capacity);
    }

    public int capacity() {
        return capacity;
    }

    /** Takes the lowest free slot; fails with a message naming the capacity when none is left. */
    public synchronized CpuSlot acquire() {
        int id = used.nextClearBit(0);
        if (id >= capacity) {
            throw new IllegalStateException("all " + capacity
                    + " CPU slots are in use; raise the slot capacity (one per reader and writer thread)");
        }
        used.set(id);
        return slots[id];
    }

    public synchronized void release(CpuSlot slot) {
        if (slot.owner() != this || !used.get(slot.id())) {
            throw new IllegalStateException(slot + " is not held in this table");
        }
        used.clear(slot.id());
    }

    /** Number of slots currently held. */
    public synchronized int inUse() {
        return used.cardinality();
    }
}
