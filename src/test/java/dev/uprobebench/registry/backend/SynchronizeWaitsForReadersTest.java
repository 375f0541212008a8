package dev.uprobebench.registry.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uprobebench.registry.Backend;
import dev.uprobebench.registry.RaceHooks;
import dev.uprobebench.registry.RegistryConfig;
import dev.uprobebench.registry.Uprobe;
import dev.uprobebench.registry.UprobeConsumer;
import dev.uprobebench.registry.UprobeRegistry;
import dev.uprobebench.sync.CpuSlot;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code uprobe_unregister_sync()} on the designs that free after a grace period: it returns only
 * after a reader that was inside its read section (here, inside a handler) when the uprobe was
 * unregistered has left. The handler holds the reader in for a bounded time, then marks itself
 * done; a synchronize that did not wait for it returns before the mark.
 */
class SynchronizeWaitsForReadersTest {
    private static final long BOUND_SECONDS = 20;
    /** How long the handler keeps the reader inside: the window a broken synchronize returns in. */
    private static final long HOLD_MILLIS = 300;

    @ParameterizedTest
    @EnumSource(value = Backend.class, names = {"SRCU", "SEQCOUNT_RCU"})
    void synchronizeReturnsOnlyAfterAReaderInsideAHandlerHasLeft(Backend b) throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        AtomicBoolean handlerDone = new AtomicBoolean();
        UprobeConsumer blocking = new UprobeConsumer() {
            @Override
            public long handle(Uprobe u) {
                holdInside(inHandler, handlerDone);
                return 0;
            }
        };
        try (UprobeRegistry r = b.create(RegistryConfig.of(64, 4))) {
            r.register(5, 1, blocking);
            CompletableFuture<Long> reader = OneReader.hitAsync(r, 5, 1);
            assertTrue(inHandler.await(BOUND_SECONDS, TimeUnit.SECONDS));
            r.unregister(5, 1, blocking);
            r.synchronize();
            assertTrue(handlerDone.get(), b.cliName() + ": synchronize() returned while a reader was still inside");
            reader.get(BOUND_SECONDS, TimeUnit.SECONDS);
            assertEquals(0, r.checkLeaks());
        }
    }

    /**
     * The designs whose handlers run outside the read section ({@code percpu-ref} under its
     * per-CPU reference, the RFC under its plain one): {@code synchronize_rcu()} still waits for
     * a reader inside the section, stopped at its lookup when the uprobe is unregistered.
     */
    @ParameterizedTest
    @EnumSource(value = Backend.class, names = {"PERCPU_REF", "SEQCOUNT_RCU_RFC"})
    void synchronizeReturnsOnlyAfterAReaderStoppedAtItsLookupHasLeft(Backend b) throws Exception {
        CountDownLatch atFind = new CountDownLatch(1);
        AtomicBoolean readerDone = new AtomicBoolean();
        RaceHooks hold = new RaceHooks() {
            @Override
            public void afterFind(CpuSlot slot, Uprobe u) {
                holdInside(atFind, readerDone);
            }
        };
        UprobeConsumer c = new UprobeConsumer();
        try (UprobeRegistry r = b.create(RegistryConfig.of(64, 4).withHooks(hold))) {
            r.register(5, 1, c);
            CompletableFuture<Long> reader = OneReader.hitAsync(r, 5, 1);
            assertTrue(atFind.await(BOUND_SECONDS, TimeUnit.SECONDS));
            r.unregister(5, 1, c);
            r.synchronize();
            assertTrue(readerDone.get(), b.cliName() + ": synchronize() returned while a reader was inside its read section");
            reader.get(BOUND_SECONDS, TimeUnit.SECONDS);
        }
    }

    /**
     * Says the reader is inside, keeps it there for {@link #HOLD_MILLIS} (bounded: the thread that
     * could release a latch is the one blocked in {@code synchronize()}), then marks it done.
     */
    private static void holdInside(CountDownLatch entered, AtomicBoolean done) {
        entered.countDown();
        try {
            new CountDownLatch(1).await(HOLD_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        done.set(true);
    }
}
