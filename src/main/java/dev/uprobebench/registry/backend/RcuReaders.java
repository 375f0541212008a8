package dev.uprobebench.registry.backend;

import dev.uprobebench.registry.UprobeRegistry;
import dev.uprobebench.sync.CpuSlot;
import dev.uprobebench.sync.Rcu;

/**
 * The reader-registration side shared by every back-end built on {@link Rcu}: readers go online
 * and offline and announce quiescent states on its slots, and closing the registry stops its
 * reclaimer.
 */
interface RcuReaders extends UprobeRegistry {
    /** The RCU the back-end's read side runs on. */
    Rcu rcu();

    @Override
    default void readerOnline(CpuSlot slot) {
        rcu().online(slot.id());
    }

    @Override
    default void readerQuiescent(CpuSlot slot) {
        rcu().quiescent(slot.id());
    }

    @Override
    default void readerOffline(CpuSlot slot) {
        rcu().offline(slot.id());
    }

    @Override
    default void close() {
        rcu().close();
    }
}
