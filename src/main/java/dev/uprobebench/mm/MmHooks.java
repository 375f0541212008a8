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
     * 6.15's revalidation ({@code vma-free=typesafe}): after reading its translation from
     * {@code vma}, whose generation it read as {@code generation} before the fields, the reader
     * checks that the VMA is still linked, still the same allocation, and still covers
     * {@code vaddr}; false sends it to the locked path. A seam, not a switch: main keeps the check,
     * and a test double that always says true shows that the reuse check catches a reader without
     * it.
     */
    default boolean revalidate(Vma vma, int generation, long vaddr) {
        return vma.stillMaps(generation, vaddr);
    }

    /**
     * A speculative reader has read {@code vma} and its file (the translation it will use) and
     * has not looked the uprobe up yet.
     */
    default void afterSpeculativeRead(CpuSlot slot, Vma vma) {
    }
}
