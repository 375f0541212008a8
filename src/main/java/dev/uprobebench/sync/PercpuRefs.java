package dev.uprobebench.sync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/**
 * A table of {@code percpu_ref}s, one per index ({@code 0 .. capacity-1}), laid out as the
 * kernel's per-CPU allocator lays out the counters of many objects: one counter array per slot,
 * indexed by the object's index. Two slots never write the same cache line; a slot's counters of
 * neighbouring objects share lines that only that slot writes.
 *
 * <h2>Assumptions and guarantees</h2>
 * <ul>
 *   <li>{@link #init} starts a ref in per-CPU mode with one reference (the base reference), before
 *       the object is published to other threads. {@link #kill} drops the base reference and
 *       switches to atomic mode; {@code release} (given to the constructor) runs exactly once,
 *       when the count reaches zero in atomic mode, on whichever thread drops it there.</li>
 *   <li>{@link #get}, {@link #tryGetLive} and {@link #put} take the caller's slot id. In per-CPU
 *       mode they write only that slot's counter array (no atomic instruction, no shared line:
 *       {@link #sharedWrites()} counts every write to a shared word and stays 0).</li>
 *   <li>{@link #tryGetLive} fails once {@link #kill} has begun ({@code percpu_ref_tryget_live}).</li>
 *   <li>Every get/tryGet/put runs inside a read section of the {@link Rcu} given to the
 *       constructor (taken here; free with QSBR); the callers' threads are that RCU's readers.</li>
 *   <li>Gets and puts: wait-free. {@link #kill}: returns at once; the mode switch runs after a
 *       grace period on the RCU's reclaimer thread.</li>
 * </ul>
 *
 * <h2>Implementation notes</h2>
 * {@code lib/percpu-refcount.c}: the atomic count is biased by {@code PERCPU_COUNT_BIAS} while
 * per-CPU counters may still move, so it cannot reach zero during the switch; kill sets
 * {@code __PERCPU_REF_DEAD | __PERCPU_REF_ATOMIC}, takes a reference for the switch, drops the base
 * reference, and queues {@code percpu_ref_switch_to_atomic_rcu} behind a grace period: every
 * per-CPU operation that saw per-CPU mode has finished by then, so the sum of the slot counters
 * is final. It is added to the atomic count minus the bias, and the switch's own reference is put.
 */
public class PercpuRefs {
    /** Atomic-mode bias while per-CPU counters may still move. */
    static final long BIAS = 1L << 62;
    private static final int PERCPU = 0;
    private static final int ATOMIC = 1;
    private static final int DEAD = 2;

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);

    private final Rcu rcu;
    private final IntConsumer release;
    private final int capacity;
    /** One array per slot, each with a line of padding at both ends. */
    private final long[][] perSlot;
    private final long[] atomic;
    private final int[] flags;
    private final Hooks hooks;
    /** Writes to shared words; touched only where a shared word is written anyway. */
    private final AtomicLong sharedWrites = new AtomicLong();

    /** Test-only interleaving point. */
    public interface Hooks {
        Hooks NONE = new Hooks() {
        };

        /** A get or put has read the mode as per-CPU and not yet touched its counter. */
        default void afterModeCheck(int slot, int index) {
        }
    }

    /**
     * @param release runs once per ref that reaches zero after its kill, with the ref's index
     * @param hooks test-only interleaving points ({@link Hooks#NONE} in main)
     */
    public PercpuRefs(Rcu rcu, int slots, int capacity, IntConsumer release, Hooks hooks) {
        this.rcu = rcu;
        this.release = release;
        this.capacity = capacity;
        this.perSlot = new long[slots][capacity + 2 * SlotLongs.STRIDE];
        this.atomic = new long[capacity];
        this.flags = new int[capacity];
        this.hooks = hooks;
    }

    public PercpuRefs(Rcu rcu, int slots, int capacity, IntConsumer release) {
        this(rcu, slots, capacity, release, Hooks.NONE);
    }

    private static int at(int index) {
        return index + SlotLongs.STRIDE;
    }

    public final int capacity() {
        return capacity;
    }

    /** {@code percpu_ref_init()}: per-CPU mode, one (base) reference. Before publication. */
    public final void init(int index) {
        for (long[] counters : perSlot) {
            counters[at(index)] = 0;
        }
        LONGS.setVolatile(atomic, index, BIAS + 1);
        INTS.setRelease(flags, index, PERCPU);
    }

    /**
     * {@code percpu_ref_exit()} of a reference that was never published (no one can hold it): its
     * count goes to zero without a release.
     */
    public final void exit(int index) {
        for (long[] counters : perSlot) {
            counters[at(index)] = 0;
        }
        LONGS.setVolatile(atomic, index, 0L);
        INTS.setRelease(flags, index, ATOMIC | DEAD);
    }

    /** {@code percpu_ref_get()}. */
    public final void get(int slot, int index) {
        rcu.readLock(slot);
        if ((int) INTS.getAcquire(flags, index) == PERCPU) {
            hooks.afterModeCheck(slot, index);
            addPercpu(slot, index, 1);
        } else {
            addAtomic(index, 1);
        }
        rcu.readUnlock(slot);
    }

    /** {@code percpu_ref_tryget_live()}: false once the ref is being killed. */
    public final boolean tryGetLive(int slot, int index) {
        rcu.readLock(slot);
        try {
            int f = (int) INTS.getAcquire(flags, index);
            if (f == PERCPU) {
                hooks.afterModeCheck(slot, index);
                addPercpu(slot, index, 1);
                return true;
            }
            // Not per-CPU means killed here (ATOMIC | DEAD): kill() is the only switch to atomic
            // mode this model makes, so the kernel's atomic-but-live tryget (an inc-not-zero on
            // the atomic count) has no caller and is not modelled.
            return false;
        } finally {
            rcu.readUnlock(slot);
        }
    }

    /** {@code percpu_ref_put()}. */
    public final void put(int slot, int index) {
        rcu.readLock(slot);
        if ((int) INTS.getAcquire(flags, index) == PERCPU) {
            hooks.afterModeCheck(slot, index);
            VarHandle.releaseFence(); // the holder's accesses before its reference drops
            addPercpu(slot, index, -1);
            rcu.readUnlock(slot);
            return;
        }
        rcu.readUnlock(slot);
        if (addAtomic(index, -1) == 0) {
            release.accept(index);
        }
    }

    /** {@code percpu_ref_kill()}: no new live gets; the base reference is dropped. */
    public final void kill(int index) {
        int f = (int) INTS.getAcquire(flags, index);
        if (f != PERCPU) {
            throw new IllegalStateException("percpu_ref " + index + " killed twice");
        }
        INTS.setVolatile(flags, index, ATOMIC | DEAD);
        addAtomic(index, 1); // the switch's own reference
        addAtomic(index, -1); // the base reference; the bias keeps the count above zero
        scheduleSwitch(index);
    }

    /**
     * {@code percpu_ref_kill()}'s switch to atomic mode, after a grace period ({@code call_rcu}),
     * so that every per-CPU get or put in flight has landed before the counters are summed. A seam
     * for tests only: the double that switches at once is the mutant the checker must catch.
     */
    protected void scheduleSwitch(int index) {
        rcu.call(() -> switchToAtomic(index));
    }

    /** Sums the per-CPU counters into the atomic count and drops the switch's reference. */
    protected final void switchToAtomic(int index) {
        long sum = 0;
        for (long[] counters : perSlot) {
            sum += (long) LONGS.getVolatile(counters, at(index));
            LONGS.setOpaque(counters, at(index), 0L);
        }
        addAtomic(index, sum - BIAS);
        if (addAtomic(index, -1) == 0) { // the switch's reference
            release.accept(index);
        }
    }

    private void addPercpu(int slot, int index, long delta) {
        long[] counters = perSlot[slot];
        int i = at(index);
        LONGS.setOpaque(counters, i, counters[i] + delta);
    }

    private long addAtomic(int index, long delta) {
        countShared();
        return (long) LONGS.getAndAdd(atomic, index, delta) + delta;
    }

    private void countShared() {
        sharedWrites.incrementAndGet();
    }

    /** Writes to shared words (the atomic count) so far; per-CPU mode adds none. */
    public final long sharedWrites() {
        return sharedWrites.get();
    }

    /** True in per-CPU mode (not killed). */
    public final boolean isPercpu(int index) {
        return (int) INTS.getAcquire(flags, index) == PERCPU;
    }

    /** The count: exact in atomic mode after the switch, and in per-CPU mode when nobody moves. */
    public final long count(int index) {
        long c = (long) LONGS.getVolatile(atomic, index);
        if (c >= BIAS / 2) {
            c -= BIAS;
            for (long[] counters : perSlot) {
                c += (long) LONGS.getVolatile(counters, at(index));
            }
        }
        return c;
    }
}
