package dev.uprobebench.sync;

import java.lang.invoke.VarHandle;

/**
 * A reader-writer spinlock with one shared word, modelled on the kernel's queued rwlock.
 *
 * <h2>Assumptions and guarantees</h2>
 * <ul>
 *   <li>Any number of readers, or one writer, hold the lock. Not reentrant for writers.</li>
 *   <li>Every {@link #readLock()} and {@link #readUnlock()} is an atomic add on the one shared
 *       word: that is the point of this class, the cache line that bounces between CPUs and stops
 *       {@code rwlock} from scaling.</li>
 *   <li>Writers are preferred: once a writer waits, new readers back off until it has run.</li>
 *   <li>Blocking (spinning); lock acquisition has acquire semantics, release has release
 *       semantics.</li>
 * </ul>
 *
 * <h2>Implementation notes</h2>
 * Follows {@code kernel/locking/qrwlock.c}: readers add {@code _QR_BIAS} and succeed when no
 * writer bit is set; otherwise they take the bias back and wait. A writer sets {@code _QW_WAITING},
 * waits for the reader count to drain, then swaps WAITING for {@code _QW_LOCKED}. The kernel's
 * MCS wait queue ({@code wait_lock}) that orders the slow paths is left out: waiting writers
 * contend on the word with compare-and-set instead.
 */
public class RwSpinLock {
    static final long WRITER_LOCKED = 0x0ffL;
    static final long WRITER_WAITING = 0x100L;
    static final long WRITER_MASK = 0x1ffL;
    static final long READER_BIAS = 0x200L;

    private static final VarHandle CNTS = PaddedCell.VALUE;

    private final PaddedCell word = new PaddedCell();

    public final void readLock() {
        long c = (long) CNTS.getAndAdd(word, READER_BIAS);
        if ((c & WRITER_MASK) == 0) {
            return;
        }
        readLockSlow();
    }

    /**
     * A writer is waiting or inside: the bias given back, a wait until no writer bit is set, then
     * another try. Package-private for the tests, which watch a reader arrive here (nothing in
     * main overrides it).
     */
    void readLockSlow() {
        for (int i = 0; ; i++) {
            CNTS.getAndAdd(word, -READER_BIAS);
            for (int j = 0; ((long) CNTS.getOpaque(word) & WRITER_MASK) != 0; j++) {
                Spin.pause(j);
            }
            long c = (long) CNTS.getAndAdd(word, READER_BIAS);
            if ((c & WRITER_MASK) == 0) {
                return;
            }
            Spin.pause(i);
        }
    }

    public final void readUnlock() {
        long c = (long) CNTS.getAndAdd(word, -READER_BIAS);
        assert c >= READER_BIAS : "read_unlock() with no reader inside (lock word " + Long.toHexString(c) + ")";
    }

    public final void writeLock() {
        for (int i = 0; ; i++) {
            long c = (long) CNTS.getOpaque(word);
            if ((c & WRITER_MASK) == 0 && CNTS.compareAndSet(word, c, c | WRITER_WAITING)) {
                break;
            }
            Spin.pause(i);
        }
        for (int i = 0; !tryLockWhenDrained(); i++) {
            Spin.pause(i);
        }
    }

    /**
     * The waiting writer's step to {@code LOCKED}: readers that raced in before {@code WAITING}
     * drain first; slow-path readers may add and remove their bias transiently, so only an exact
     * {@code WAITING} word can become {@code LOCKED}. Package-private for the ablation tests'
     * double that locks with readers inside (docs/ablation.md); nothing in main overrides it.
     */
    boolean tryLockWhenDrained() {
        return compareAndSetWord(WRITER_WAITING, WRITER_LOCKED);
    }

    /** A compare-and-set of the lock word: the writer's step, and the ablation tests' doubles of it. */
    final boolean compareAndSetWord(long expected, long update) {
        return CNTS.compareAndSet(word, expected, update);
    }

    public final void writeUnlock() {
        CNTS.getAndAdd(word, -WRITER_LOCKED);
    }

    /** Current word, for tests and diagnostics. */
    long wordOpaque() {
        return (long) CNTS.getOpaque(word);
    }

    /** Number of readers holding or attempting the lock right now (racy snapshot). */
    public long readersOpaque() {
        return ((long) CNTS.getOpaque(word)) / READER_BIAS;
    }

    /** True while a writer holds the lock (racy snapshot). */
    public boolean isWriteLocked() {
        return ((long) CNTS.getOpaque(word) & WRITER_MASK) == WRITER_LOCKED;
    }
}
