package dev.uprobebench.sync;

import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A per-CPU reader-writer semaphore: readers touch only their own slot while no writer is around;
 * a writer pays a grace period and a scan of every slot.
 *
 * <h2>Assumptions and guarantees</h2>
 * <ul>
 *   <li>Any number of readers, or one writer, hold the semaphore. Readers pass their own slot id
 *       and must be registered with the semaphore's {@link Rcu} ({@link Rcu#online}, and for QSBR
 *       announce quiescent states between sections): the fast path runs inside an RCU read
 *       section.</li>
 *   <li>Reader fast path (no writer since a grace period): an RCU read section, one acquire load
 *       of the writer state, one owner-only store to the slot's count. No shared cache line is
 *       written, no atomic instruction, no fence (with QSBR).</li>
 *   <li>Reader slow path (a writer is in or on its way): increment the slot's count, full fence,
 *       check the {@code block} flag; if set, undo and wait until the writer leaves. Readers do
 *       not starve writers: once {@code block} is set, new readers wait.</li>
 *   <li>Writer: serialized by a lock; {@link RcuSync#enter()} (a grace period unless a writer
 *       just left); set {@code block}; full fence; wait until the slot counts sum to zero.</li>
 *   <li>Readers: wait-free on the fast path, blocking on the slow path. Writers: blocking.
 *       Acquisition has acquire semantics, release has release semantics.</li>
 * </ul>
 *
 * <h2>Implementation notes</h2>
 * {@code kernel/locking/percpu-rwsem.c} ({@code percpu_down_read}, {@code __percpu_down_read},
 * {@code percpu_down_write}, {@code readers_active_check}) over {@code rcu_sync}, as used by
 * Andrii Nakryiko's "uprobes: switch uprobes_treelock to per-CPU RW semaphore" (2024). The
 * kernel's fast path is safe because {@code preempt_disable()} is an RCU-sched read section and
 * {@code rcu_sync_enter()} waits for one; the QSBR flavour of {@link Rcu} is the closest model.
 * The slow path's wait queue is replaced by spinning and parking ({@link Spin#pauseLong}).
 */
public class PercpuRwSemaphore {
    private static final int COUNT = 0;
    private static final VarHandle BLOCK = PaddedCell.VALUE;

    private final Rcu rcu;
    private final RcuSync sync;
    private final SlotLongs readCount;
    private final PaddedCell block = new PaddedCell();
    private final ReentrantLock writerLock = new ReentrantLock();
    /** Readers that found a writer in and waited (slow path only). */
    private final AtomicLong slowPathWaits = new AtomicLong();

    public PercpuRwSemaphore(Rcu rcu, int slots) {
        this(rcu, slots, new RcuSync(rcu));
    }

    /** With the {@code rcu_sync} given: the ablation tests' doubles of its protocol (docs/ablation.md). */
    PercpuRwSemaphore(Rcu rcu, int slots, RcuSync sync) {
        this.rcu = rcu;
        this.sync = sync;
        this.readCount = new SlotLongs(slots, 1);
    }

    /** {@code percpu_down_read()}. */
    public final void readLock(int slot) {
        rcu.readLock(slot);
        if (sync.isIdle()) {
            readCount.incrementOpaque(slot, COUNT, 1);
            rcu.readUnlock(slot);
            return;
        }
        rcu.readUnlock(slot);
        readLockSlow(slot);
    }

    private void readLockSlow(int slot) {
        for (int i = 0; !tryReadLockSlow(slot); i++) {
            slowPathWaits.incrementAndGet();
            for (int j = 0; (long) BLOCK.getVolatile(block) != 0; j++) {
                Spin.pauseLong(i + j);
            }
        }
    }

    /**
     * {@code __percpu_down_read_trylock()}: the slot's count up, A, then the writer's {@code block}
     * flag; when it is set, the count goes back down and the reader has not entered.
     */
    final boolean tryReadLockSlow(int slot) {
        readCount.incrementOpaque(slot, COUNT, 1);
        fenceA();
        if ((long) BLOCK.getVolatile(block) == 0) {
            return true;
        }
        readCount.incrementOpaque(slot, COUNT, -1);
        return false;
    }

    /**
     * Fence A ({@code smp_mb()} in {@code __percpu_down_read_trylock}): the count before the block
     * check; pairs with the writer's D. A step of its own for the ablation tests' doubles
     * (docs/ablation.md); nothing in main overrides it, so it inlines and costs the fence alone.
     */
    protected void fenceA() {
        VarHandle.fullFence();
    }

    /** {@code percpu_up_read()}. */
    public final void readUnlock(int slot) {
        rcu.readLock(slot);
        if (sync.isIdle()) {
            VarHandle.releaseFence(); // the section's accesses before the count drops
            readCount.incrementOpaque(slot, COUNT, -1);
        } else {
            VarHandle.fullFence(); // B: pairs with the writer's scan
            readCount.incrementOpaque(slot, COUNT, -1);
        }
        rcu.readUnlock(slot);
    }

    /** {@code percpu_down_write()}. */
    public final void writeLock() {
        writerLock.lock();
        sync.enter(); // every reader now takes the slow path
        blockThenDrain();
        VarHandle.fullFence(); // the readers' sections before the writer's
    }

    /**
     * New readers blocked, then the wait for the ones inside to leave: in the other order a reader
     * could pass its block check after the scan and be inside with the writer. Package-private for
     * the ablation tests' double of that order (docs/ablation.md); nothing in main overrides it.
     */
    void blockThenDrain() {
        blockNewReaders();
        awaitReadersGone();
    }

    /** The writer's wait until the slot counts sum to zero ({@code readers_active_check}). */
    final void awaitReadersGone() {
        for (int i = 0; readersActive() != 0; i++) {
            Spin.pauseLong(i);
        }
    }

    /** The writer's {@code block} flag set, then D: the flag before the scan of the counts. */
    final void blockNewReaders() {
        BLOCK.setVolatile(block, 1L);
        VarHandle.fullFence(); // D
    }

    /** {@code percpu_up_write()}. */
    public final void writeUnlock() {
        BLOCK.setRelease(block, 0L);
        sync.exit();
        writerLock.unlock();
    }

    /** Sum of the slot counts: readers inside (exact while no reader moves). */
    public final long readersActive() {
        long sum = 0;
        for (int s = 0; s < readCount.slots(); s++) {
            sum += readCount.getVolatile(s, COUNT);
        }
        return sum;
    }

    /** True once a writer has blocked new readers (it may still be waiting for old ones). */
    public boolean writerBlocking() {
        return (long) BLOCK.getVolatile(block) != 0;
    }

    /** Times a reader found a writer in and waited for it. */
    public long slowPathWaits() {
        return slowPathWaits.get();
    }

    public boolean isWriteLocked() {
        return writerLock.isLocked();
    }

    /** True while readers may take the fast path. */
    public boolean readersOnFastPath() {
        return sync.isIdle();
    }

    /** Grace periods writers waited for; back-to-back writers share one. */
    public long writerGracePeriods() {
        return sync.gracePeriodsWaited();
    }
}
