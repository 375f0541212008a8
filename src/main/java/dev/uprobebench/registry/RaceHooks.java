package dev.uprobebench.registry;

import dev.uprobebench.sync.CpuSlot;

/**
 * Test-only interleaving points. Back-ends call these at the places where the published races
 * happen, so that a test can stop one thread there with a latch and drive the exact interleaving
 * instead of hoping a sleep produces it. {@link #NONE} (the default) does nothing and is inlined
 * away by the JIT.
 */
public interface RaceHooks {
    RaceHooks NONE = new RaceHooks() {
    };

    /** The reader has found {@code u} in the tree and has done nothing with it yet. */
    default void afterFind(CpuSlot slot, Uprobe u) {
    }

    /** The reader has left its read-side critical section and still uses {@code u}. */
    default void afterReadUnlock(CpuSlot slot, Uprobe u) {
    }

    /**
     * A writer, under its lock, has found {@code u} at the key it registers or unregisters and
     * has not checked or used it yet (the writer-side use-after-free check comes next).
     */
    default void afterWriterFind(Uprobe u) {
    }

    /** An unregistering thread is about to drop what may be the last reference to {@code u}. */
    default void beforePut(Uprobe u) {
    }
}
