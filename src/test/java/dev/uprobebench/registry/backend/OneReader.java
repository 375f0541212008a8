package dev.uprobebench.registry.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.uprobebench.registry.RaceHooks;
import dev.uprobebench.registry.Uprobe;
import dev.uprobebench.registry.UprobeRegistry;
import dev.uprobebench.sync.CpuSlot;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/** One reader and the uprobe its lookup found: the scaffolding this package's latch tests share. */
final class OneReader {
    private OneReader() {
    }

    /** One hit on {@code (inode, offset)} from a thread of its own, online around it, as a run's reader. */
    static CompletableFuture<Long> hitAsync(UprobeRegistry r, long inode, long offset) {
        return CompletableFuture.supplyAsync(() -> {
            CpuSlot slot = r.slots().acquire();
            r.readerOnline(slot);
            long result = r.hit(slot, inode, offset);
            r.readerQuiescent(slot);
            r.readerOffline(slot);
            r.slots().release(slot);
            return result;
        });
    }

    /** Hooks that keep the uprobe the last lookup found. */
    static final class Found implements RaceHooks {
        private final AtomicReference<Uprobe> last = new AtomicReference<>();

        @Override
        public void afterFind(CpuSlot slot, Uprobe u) {
            last.set(u);
        }
    }

    /** One hit on this thread, online around it; returns the uprobe the lookup found and the hit's result. */
    static Uprobe hitOnce(UprobeRegistry r, Found found, long inode, long offset, long expected) {
        CpuSlot slot = r.slots().acquire();
        r.readerOnline(slot);
        long result = r.hit(slot, inode, offset);
        r.readerOffline(slot);
        r.slots().release(slot);
        assertEquals(expected, result);
        Uprobe u = found.last.get();
        assertNotNull(u, "the lookup found a uprobe");
        return u;
    }

    /** A consumer that says it is inside its handler ({@code inHandler}) and stays there until {@code release}. */
    static dev.uprobebench.registry.UprobeConsumer blocking(java.util.concurrent.CountDownLatch inHandler,
            java.util.concurrent.CountDownLatch release) {
        return new dev.uprobebench.registry.UprobeConsumer() {
            @Override
            public long handle(Uprobe u) {
                inHandler.countDown();
                ResurrectionRaceTest.await(release); // bounded: the test releases it
                return 0; // not the uprobe's offset: a broken lifetime has poisoned it by now
            }
        };
    }
}
