package dev.uprobebench.mm;

import dev.uprobebench.sync.RwSpinLock;
import dev.uprobebench.sync.SeqCount;

/**
 * {@code mm->mmap_lock} with {@code mm->mm_lock_seq}, as in 6.14 {@code include/linux/mmap_lock.h}.
 *
 * <h2>Assumptions and guarantees</h2>
 * <ul>
 *   <li>{@link #readLock()} / {@link #readUnlock()} are the read side of a reader-writer lock
 *       whose state is one shared word that every reader changes with an atomic add: the cache
 *       line that bounces between CPUs on every {@code mmap-lock} hit.</li>
 *   <li>{@link #writeLock()} takes the lock and then makes the sequence odd
 *       ({@code mm_lock_seqcount_begin}); {@link #writeUnlock()} makes it even again before
 *       releasing ({@code mm_lock_seqcount_end}). So every change made under the write lock lies
 *       inside an odd window of the sequence.</li>
 *   <li>{@link #speculateTryBegin()} ({@code mmap_lock_speculate_try_begin}) fails (-1) while a
 *       writer holds the lock; {@link #speculateRetry(long)} ({@code mmap_lock_speculate_retry})
 *       is true when a writer ran since. A speculation that began and did not need a retry saw no
 *       write section.</li>
 * </ul>
 *
 * <h2>Implementation notes</h2>
 * The kernel's {@code mmap_lock} is a sleeping {@code rw_semaphore}; its read fast path is the
 * same atomic add on {@code sem->count} as the queued rwlock's, which {@link RwSpinLock} models.
 * The difference, sleeping instead of spinning while a writer holds the lock, is left out: every
 * thread here owns its core, and the mm writers' sections are short. The sequence is a
 * {@link SeqCount} in its own object, so the speculative readers, which only read it, do not
 * share a line with the count word that the locked readers write.
 */
public final class MmapLock {
    private final RwSpinLock sem = new RwSpinLock();
    private final SeqCount seq = new SeqCount();

    public void readLock() {
        sem.readLock();
    }

    public void readUnlock() {
        sem.readUnlock();
    }

    public void writeLock() {
        sem.writeLock();
        seq.writeBegin();
    }

    public void writeUnlock() {
        seq.writeEnd();
        sem.writeUnlock();
    }

    /** The sequence to validate against, or -1 when a writer holds the lock. */
    public long speculateTryBegin() {
        return seq.tryBegin();
    }

    /** True when a writer took the lock since {@code start}: the speculation is void. */
    public boolean speculateRetry(long start) {
        return seq.retry(start);
    }

    /**
     * The sequence: inside a write section (the writer's own call) the odd value, whose section
     * ends at this plus one; under the read lock the even value no writer can change.
     */
    long sequenceOpaque() {
        return seq.valueOpaque();
    }

    /** Readers holding the lock right now (racy; exact once the threads have stopped). */
    long readersOpaque() {
        return sem.readersOpaque();
    }

    boolean isWriteLocked() {
        return sem.isWriteLocked();
    }

    /** True while a writer section is open (an odd sequence). */
    boolean sequenceOdd() {
        return (seq.valueOpaque() & 1) != 0;
    }
}
