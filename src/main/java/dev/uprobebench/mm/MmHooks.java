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
     * A speculative reader has read {@code vma} and its file (the translation it will use) and
     * has not looked the uprobe up yet.
     */
    default void afterSpeculativeRead(CpuSlot slot, Vma vma) {
    }
}
