package dev.uprobebench.registry;

import dev.uprobebench.sync.CpuSlot;
import dev.uprobebench.sync.SeqCount;

/**
 * Test-only interleaving points. Back-ends call these at the places where the published races
 * happen, so that a test can stop one thread there with a latch and drive the exact interleaving
 * instead of hoping a sleep produces it. {@link #NONE} (the default) does nothing and is inlined
 * away by the JIT. One method is a seam rather than a point: {@link #lookupMustRetry} does the
 * kernel's check unless a test double takes it away.
 */
public interface RaceHooks {
    RaceHooks NONE = new RaceHooks() {
    };

    /**
     * {@code read_seqcount_retry()} after a lockless lookup that found nothing: true when a writer
     * ran during it, so that the miss may be false and the lookup is done again. A seam, not a
     * switch: main keeps the kernel's check, and a test double that never retries shows that the
     * false-negative check catches a lookup without it. Called on misses only.
     */
    default boolean lookupMustRetry(SeqCount seqcount, long start) {
        return seqcount.retry(start);
    }

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
