package dev.uprobebench.registry;

import dev.uprobebench.sync.CpuSlot;

/**
 * What a hit does between its registry lookup and its use of the uprobe, on behalf of the layer
 * above the registry: the VMA lookup of DESIGN.md section 7. {@code mmap_read_unlock} goes here
 * in the {@code mmap-lock} mode; {@code mmap_lock_speculate_retry} (and the stale-VMA check) in
 * the {@code speculative} mode.
 *
 * <h2>Assumptions and guarantees</h2>
 * <ul>
 *   <li>Every {@link UprobeRegistry#hit(CpuSlot, long, long, HitCheck)} calls exactly one of
 *       {@link #found} and {@link #missed}, exactly once, on the hitting thread, before it runs
 *       any handler and before it takes anything on the uprobe that outlives the call.</li>
 *   <li>{@link #found} is called after the lookup found a uprobe and before the hit starts to
 *       use it ({@code beginUse}); {@link #missed} when the lookup found nothing. Either may say
 *       the lookup is void (its key came from a stale translation): the back-end then leaves its
 *       read side, counts nothing and returns {@link UprobeRegistry#RETRY}.</li>
 *   <li>Allocation-free; {@link #NONE} is inlined away where it is the only check a call site
 *       sees (the registry-only hit).</li>
 * </ul>
 */
public interface HitCheck {
    /** The registry-only hit: every lookup is final. */
    HitCheck NONE = new HitCheck() {
    };

    /** The lookup found a uprobe; false voids it. */
    default boolean found(CpuSlot slot) {
        return true;
    }

    /** The lookup found nothing; false voids the miss (it is not counted). */
    default boolean missed(CpuSlot slot) {
        return true;
    }
}
