package dev.uprobebench.registry;

import dev.uprobebench.sync.CpuSlot;
import dev.uprobebench.sync.CpuSlots;

/**
 * The uprobe registry: the one interface every back-end implements. It models
 * {@code uprobe_register()}, {@code uprobe_unregister_nosync()}, {@code uprobe_unregister_sync()}
 * and the lookup that {@code handle_swbp()} does on every breakpoint hit.
 *
 * <h2>Threads</h2>
 * Every thread that calls {@link #hit} owns a {@link CpuSlot} from {@link #slots()} for as long as
 * it calls it, and brackets its hits with {@link #readerOnline} / {@link #readerOffline}; between
 * hits it calls {@link #readerQuiescent} from time to time (QSBR back-ends need it, the others
 * ignore it). Writers may call {@link #register}, {@link #unregister} and {@link #synchronize}
 * from any thread, concurrently with each other and with readers, unless the back-end says
 * otherwise ({@link Backend#allowsChurn()}).
 */
public interface UprobeRegistry extends AutoCloseable {
    /** What {@link #hit} returns when no uprobe is registered at the key. */
    long MISS = Long.MIN_VALUE;

    /**
     * What {@link #hit(CpuSlot, long, long, HitCheck)} returns when its {@link HitCheck} voided
     * the lookup: nothing was used or counted, and the caller repeats the hit another way.
     */
    long RETRY = Long.MIN_VALUE + 1;

    Backend backend();

    /**
     * Adds {@code consumer} at {@code (inode, offset)}, creating the uprobe if there is none (or
     * only a dying one); a second registration at the same key shares the uprobe.
     */
    void register(long inode, long offset, UprobeConsumer consumer);

    /**
     * Removes {@code consumer} from the uprobe at {@code (inode, offset)}
     * ({@code uprobe_unregister_nosync}); the uprobe goes away with its last consumer, freed once
     * no reader can hold it. Throws {@link IllegalArgumentException} if the consumer is not
     * registered there.
     */
    void unregister(long inode, long offset, UprobeConsumer consumer);

    /** Waits until everything unregistered so far can be freed ({@code uprobe_unregister_sync}). */
    void synchronize();

    /**
     * Waits until every free deferred so far has run ({@code rcu_barrier}, {@code srcu_barrier});
     * back-ends that free at once have nothing to wait for. Never call it from inside a read-side
     * section.
     */
    default void barrier() {
    }

    /**
     * The breakpoint hit: looks the key up, runs the uprobe's consumers and returns the sum of
     * their results, or {@link #MISS}. Allocates nothing.
     */
    default long hit(CpuSlot slot, long inode, long offset) {
        return hit(slot, inode, offset, HitCheck.NONE);
    }

    /**
     * The breakpoint hit with the layer above the registry in it: as {@link #hit(CpuSlot, long,
     * long)}, and {@code check} is consulted once between the lookup and the use (see
     * {@link HitCheck}); returns {@link #RETRY} when it voided the lookup.
     */
    long hit(CpuSlot slot, long inode, long offset, HitCheck check);

    default void readerOnline(CpuSlot slot) {
    }

    default void readerQuiescent(CpuSlot slot) {
    }

    default void readerOffline(CpuSlot slot) {
    }

    /** The per-CPU slots of this registry; readers and writers take theirs from here. */
    CpuSlots slots();

    InvariantCounters invariants();

    Slab slab();

    /**
     * Teardown check, after every consumer has been unregistered and every thread has stopped:
     * waits for deferred frees, then counts objects not back in the slab and internal counts not
     * at zero as {@link Violation#LEAK}s.
     *
     * @return the number of leaks found
     */
    long checkLeaks();

    /** Stops any helper thread (a reclaimer). Idempotent. */
    @Override
    default void close() {
    }
}
