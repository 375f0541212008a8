package dev.uprobebench.registry;

import dev.uprobebench.sync.CpuSlot;
import dev.uprobebench.sync.Srcu;

/**
 * What a back-end offers the return-probe lifetimes ({@code dev.uprobebench.uret}): the entry hit
 * with {@code prepare_uretprobe()} inside its read section, the read section of
 * {@code handle_trampoline()}, the uprobe's reference count and the {@code uretprobes_srcu} domain
 * whose grace period every free of a uprobe waits out first (6.13's free chain).
 *
 * <h2>Assumptions and guarantees</h2>
 * <ul>
 *   <li>{@link #hitEntry} is {@link UprobeRegistry#hit(CpuSlot, long, long, HitCheck)} with one
 *       more step: after the handlers, still inside the lookup's read section and before the use
 *       check ends, {@code entry.prepare(slot, u, generation)} runs on the found uprobe. Whatever it
 *       takes there (a reference by {@link #tryGet}, a lock on {@link #uretprobeDomain()}) keeps
 *       {@code u} from being freed after the read section ends.</li>
 *   <li>{@link #returnEnter}/{@link #returnExit} bracket a return: a read section of the lookup's
 *       RCU ({@code rcu_read_lock_trace()} in {@code handle_trampoline()}); a fast up/down
 *       {@code uretprobes_srcu} is only locked and unlocked inside one.</li>
 *   <li>{@link #putUprobe} is {@code put_uprobe()}: the last put starts the uprobe's removal.</li>
 * </ul>
 */
public interface ReturnProbeSupport {
    /** {@code prepare_uretprobe()}, called by {@link #hitEntry} on the hitting thread. */
    @FunctionalInterface
    interface EntryHook {
        void prepare(CpuSlot slot, Uprobe u, int generation);
    }

    /** The entry hit: as {@code hit}, with {@code entry} run on the found uprobe (see above). */
    long hitEntry(CpuSlot slot, long inode, long offset, HitCheck check, EntryHook entry);

    /** Enters the read section a return runs in. */
    void returnEnter(CpuSlot slot);

    void returnExit(CpuSlot slot);

    /** {@code try_get_uprobe()}: a reference, or false when the uprobe is dying (count 0). */
    boolean tryGet(Uprobe u);

    /** {@code put_uprobe()}. */
    void putUprobe(Uprobe u);

    /** {@code uretprobes_srcu}. */
    Srcu uretprobeDomain();

    /**
     * {@code kfree_rcu()} of return instances before 6.14: runs {@code callback} after a grace
     * period of the lookup's RCU, the one a return's and the timer's reads of an instance sit in.
     */
    void callRcu(Runnable callback);
}
