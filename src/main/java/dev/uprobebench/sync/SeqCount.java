package dev.uprobebench.sync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** The count itself, between the two paddings. */
abstract class SeqCountValue extends LinePadding {
    @SuppressWarnings("unused") // accessed through SeqCount's VarHandle
    volatile long sequence;
}

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
 *
 * <p>The count sits on cache lines of its own (128 bytes of padding on each side, in a class chain
 * as in {@link PaddedCell}): every lockless lookup reads it, and it must not share a line with the
 * writers' lock or anything else they write.
 */
public final class SeqCount extends SeqCountValue {
    private static final VarHandle SEQ;

    static {
        try {
            SEQ = MethodHandles.lookup().findVarHandle(SeqCountValue.class, "sequence", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    byte q000, q001, q002, q003, q004, q005, q006, q007, q008, q009, q010, q011, q012, q013, q014, q015;
    byte q016, q017, q018, q019, q020, q021, q022, q023, q024, q025, q026, q027, q028, q029, q030, q031;
    byte q032, q033, q034, q035, q036, q037, q038, q039, q040, q041, q042, q043, q044, q045, q046, q047;
    byte q048, q049, q050, q051, q052, q053, q054, q055, q056, q057, q058, q059, q060, q061, q062, q063;
    byte q064, q065, q066, q067, q068, q069, q070, q071, q072, q073, q074, q075, q076, q077, q078, q079;
    byte q080, q081, q082, q083, q084, q085, q086, q087, q088, q089, q090, q091, q092, q093, q094, q095;
    byte q096, q097, q098, q099, q100, q101, q102, q103, q104, q105, q106, q107, q108, q109, q110, q111;
    byte q112, q113, q114, q115, q116, q117, q118, q119, q120, q121, q122, q123, q124, q125, q126, q127;

    public void writeBegin() {
        long s = (long) SEQ.get(this);
        assert (s & 1) == 0 : "write_seqcount_begin() inside a write section (sequence " + s + ")";
        SEQ.setOpaque(this, s + 1);
        VarHandle.storeStoreFence();
    }

    public void writeEnd() {
        long s = (long) SEQ.get(this);
        assert (s & 1) == 1 : "write_seqcount_end() outside a write section (sequence " + s + ")";
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
