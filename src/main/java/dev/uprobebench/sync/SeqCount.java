package dev.uprobebench.sync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** Padding ahead of the count. */
abstract class SeqCountPadBefore {
    byte p000, p001, p002, p003, p004, p005, p006, p007, p008, p009, p010, p011, p012, p013, p014, p015;
    byte p016, p017, p018, p019, p020, p021, p022, p023, p024, p025, p026, p027, p028, p029, p030, p031;
    byte p032, p033, p034, p035, p036, p037, p038, p039, p040, p041, p042, p043, p044, p045, p046, p047;
    byte p048, p049, p050, p051, p052, p053, p054, p055, p056, p057, p058, p059, p060, p061, p062, p063;
    byte p064, p065, p066, p067, p068, p069, p070, p071, p072, p073, p074, p075, p076, p077, p078, p079;
    byte p080, p081, p082, p083, p084, p085, p086, p087, p088, p089, p090, p091, p092, p093, p094, p095;
    byte p096, p097, p098, p099, p100, p101, p102, p103, p104, p105, p106, p107, p108, p109, p110, p111;
    byte p112, p113, p114, p115, p116, p117, p118, p119, p120, p121, p122, p123, p124, p125, p126, p127;
}

/** The count itself, between the two paddings. */
abstract class SeqCountValue extends SeqCountPadBefore {
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
