package dev.uprobebench.sync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Per-slot {@code long} counters: {@code fields} values per slot, each slot on its own 128-byte
 * stride, with a stride of padding before the first slot so that the array header's line is not
 * shared either.
 *
 * <p>Writes to a slot's fields are meant for the slot's owner thread (single writer), so an
 * increment is a load plus an opaque store, never an atomic read-modify-write; any thread may read
 * and sum them. Wait-free.
 *
 * <p>Implementation note: this is the kernel's per-CPU allocator in miniature
 * ({@code mm/percpu.c}: one area per CPU, the same offset in each).
 */
public final class SlotLongs {
    /** Longs per slot: 16 x 8 bytes = 128 bytes, two cache lines (adjacent-line prefetch). */
    public static final int STRIDE = 16;
    private static final VarHandle AA = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] values;
    private final int slots;
    private final int fields;
    /** Longs per slot here: {@link #STRIDE}, or a multiple of it for more fields. */
    private final int stride;

    public SlotLongs(int slots, int fields) {
        if (fields < 1 || fields > 4 * STRIDE) {
            throw new IllegalArgumentException("fields per slot must be in 1.." + 4 * STRIDE + ", got " + fields);
        }
        this.slots = slots;
        this.fields = fields;
        this.stride = (fields + STRIDE - 1) / STRIDE * STRIDE;
        this.values = new long[(slots + 2) * stride];
    }

    public int slots() {
        return slots;
    }

    public int fields() {
        return fields;
    }

    private int index(int slot, int field) {
        // Under -ea only (every test): the padding around the slots reads as zeros, so a slot or
        // field out of range would otherwise pass unseen, as a count that is always 0.
        assert slot >= 0 && slot < slots && field >= 0 && field < fields
                : "slot " + slot + " of " + slots + ", field " + field + " of " + fields;
        return (slot + 1) * stride + field;
    }

    public long getPlain(int slot, int field) {
        return values[index(slot, field)];
    }

    public void setPlain(int slot, int field, long v) {
        values[index(slot, field)] = v;
    }

    public long getOpaque(int slot, int field) {
        return (long) AA.getOpaque(values, index(slot, field));
    }

    public void setOpaque(int slot, int field, long v) {
        AA.setOpaque(values, index(slot, field), v);
    }

    public long getAcquire(int slot, int field) {
        return (long) AA.getAcquire(values, index(slot, field));
    }

    public void setRelease(int slot, int field, long v) {
        AA.setRelease(values, index(slot, field), v);
    }

    public long getVolatile(int slot, int field) {
        return (long) AA.getVolatile(values, index(slot, field));
    }

    public void setVolatile(int slot, int field, long v) {
        AA.setVolatile(values, index(slot, field), v);
    }

    /** Atomic add, for slots that more than one thread may write (the atomic-mode fallback). */
    public long getAndAddVolatile(int slot, int field, long delta) {
        return (long) AA.getAndAdd(values, index(slot, field), delta);
    }

    /** Owner-only increment: plain load, opaque store (this_cpu_inc). */
    public void incrementOpaque(int slot, int field, long delta) {
        int i = index(slot, field);
        AA.setOpaque(values, i, values[i] + delta);
    }

    /** Sum of one field over all slots, each read opaque (a racy but untorn snapshot). */
    public long sumOpaque(int field) {
        long sum = 0;
        for (int s = 0; s < slots; s++) {
            sum += getOpaque(s, field);
        }
        return sum;
    }

    /** Byte distance between the same field of two neighbouring slots, at the least (up to 16 fields). */
    public static int strideBytes() {
        return STRIDE * Long.BYTES;
    }

    /** Byte distance between the same field of two neighbouring slots of this instance. */
    public int slotBytes() {
        return stride * Long.BYTES;
    }
}
