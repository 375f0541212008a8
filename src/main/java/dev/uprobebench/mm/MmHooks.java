package dev.uprobebench.mm;

import dev.uprobebench.sync.CpuSlot;

/**
 * Test-only interleaving points of the VMA lookup, as {@code RaceHooks} are for the registry:
 * a test stops a reader here with a latch and changes the address space under it. {@link #NONE}
 * does nothing and is inlined away.
 */
public interface MmHooks {
    MmHooks NONE = new MmHooks() {
    };

    /**
     * {@code mmap_lock_speculate_retry()} after a speculative hit: true when a writer held or took
     * {@code mmap_lock} since the translation was read, so that it may be stale and the hit is done
     * again under the lock. A seam, not a switch: main keeps the kernel's check, and a test double
     * that never retries shows that the stale-VMA check catches a speculation without it.
     */
    default boolean speculationMustRetry(MmapLock lock, long start) {
        return lock.speculateRetry(start);
    }

    /**
     * A speculative reader has read {@code vma} and its file (the translation it will use) and
     * has not looked the uprobe up yet.
     */
    default void afterSpeculativeRead(CpuSlot slot, Vma vma) {
    }
}
