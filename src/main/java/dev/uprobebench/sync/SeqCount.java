package dev.uprobebench.sync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A sequence counter: writers (serialized by a lock of the caller's) make it odd while they modify
 * the protected data; lockless readers detect that a writer ran during their read and retry.
 *
 * <h2>Assumptions and guarantees</h2>
 * <ul>
 *   <li>Writers are serialized by the caller; {@link #writeBegin()} and {@link #writeEnd()} are
 *       plain increments with the ordering of {@code smp_wmb()} around the writer's stores.</li>
 *   <li>A reader that gets {@code s} from {@link #begin()} and {@code false} from
 *       {@link #retry(long)} saw no writer section overlap its reads. Readers never write.</li>
 *   <li>Writers are wait-free; readers are lock-free only as long as writers pause.</li>
 * </ul>
 *
 * <h2>Implementation notes</h2>
 * {@code include/linux/seqlock.h}: {@code write_seqcount_begin} is {@code sequence++; smp_wmb()},
 * {@code write_seqcount_end} is {@code smp_wmb(); sequence++}; {@code read_seqcount_begin} waits
 * while the count is odd and then orders later loads ({@code smp_rmb}), {@code read_seqcount_retry}
 * is {@code smp_rmb(); sequence != start}.
 */
public final class SeqCount {
    private static final VarHandle SEQ;

    static {
        try {
            SEQ = MethodHandles.lookup().findVarHandle(SeqCount.class, "sequence", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through SEQ
    private volatile long sequence;

    public void writeBegin() {
        long s = (long) SEQ.get(this);
        SEQ.setOpaque(this, s + 1);
        VarHandle.storeStoreFence();
    }

    public void writeEnd() {
        long s = (long) SEQ.get(this);
        SEQ.setRelease(this, s + 1);
    }

    /** {@code read_seqcount_begin}: waits while a writer is inside, then acquire. */
    public long begin() {
        long s = (long) SEQ.getAcquire(this);
        for (int i = 0; (s & 1) != 0; i++) {
            Spin.pause(i);
            s = (long) SEQ.getAcquire(this);
        }
        return s;
    }

    /** {@code raw_seqcount_begin}: no wait; an odd count is rounded down so the retry fails. */
    public long beginRaw() {
        return ((long) SEQ.getAcquire(this)) & ~1L;
    }

    /**
     * {@code raw_seqcount_try_begin}: the count, or -1 when a writer is inside (odd count); no
     * wait. Acquire, so the reads it guards come after it.
     */
    public long tryBegin() {
        long s = (long) SEQ.getAcquire(this);
        return (s & 1) == 0 ? s : -1;
    }

    /** {@code read_seqcount_retry}: true when a writer ran since {@code start}. */
    public boolean retry(long start) {
        VarHandle.loadLoadFence();
        return (long) SEQ.getOpaque(this) != start;
    }

    /** Current value, for tests and diagnostics. */
    public long valueOpaque() {
        return (long) SEQ.getOpaque(this);
    }
}
