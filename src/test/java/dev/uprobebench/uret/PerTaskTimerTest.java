package dev.uprobebench.uret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uprobebench.registry.CountingConsumer;
import dev.uprobebench.registry.RegistryConfig;
import dev.uprobebench.registry.backend.SeqcountRcuRegistry;
import dev.uprobebench.sync.CpuSlot;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.openhft.affinity.Affinity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The kernel's timer is per task ({@code utask->ri_timer}) and fires on the CPU that armed it: each
 * task here gets its own timer thread, pinned where the task's thread is, which expires that task's
 * leases and no other's.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PerTaskTimerTest {
    @Test
    void eachTaskHasItsOwnTimerPinnedWithItThatExpiresItsOwnLeases() throws Exception {
        try (SeqcountRcuRegistry registry = new SeqcountRcuRegistry(RegistryConfig.of(16, 8));
                ReturnProbes probes = new ReturnProbes(registry,
                        ReturnProbeConfig.of(Lifetime.HPROBE).withDuration("1000").withTimeout("2ms"))) {
            registry.register(1, 5, new CountingConsumer());
            int cpus = Runtime.getRuntime().availableProcessors();
            ReturnProbes.Task[] tasks = new ReturnProbes.Task[2];
            CpuSlot[] slots = new CpuSlot[2];
            BitSet[] pinned = new BitSet[2];
            for (int i = 0; i < 2; i++) {
                int cpu = i % cpus;
                int k = i;
                CompletableFuture.runAsync(() -> {
                    Affinity.setAffinity(cpu); // the task's thread, pinned as a reader is
                    pinned[k] = Affinity.getAffinity();
                    slots[k] = registry.slots().acquire();
                    registry.readerOnline(slots[k]);
                    tasks[k] = probes.newTask(slots[k]);
                    tasks[k].hit(1, 5); // one lease, never returned by itself
                    registry.readerOffline(slots[k]);
                }).get(30, TimeUnit.SECONDS);
            }
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while ((tasks[0].expiredStable + tasks[0].expiredGone == 0 || tasks[1].expiredStable + tasks[1].expiredGone
                    == 0) && System.nanoTime() < until) {
                Thread.sleep(1);
            }
            for (int i = 0; i < 2; i++) {
                assertEquals(1, tasks[i].expiredStable + tasks[i].expiredGone, "task " + i + "'s own timer expired its lease");
                assertTrue(tasks[i].timerRuns >= 1);
                assertEquals(pinned[i], tasks[i].timerCpus, "task " + i + "'s timer runs where the task was pinned");
            }
            assertEquals(2, probes.counts().expired());
            for (int i = 0; i < 2; i++) {
                registry.readerOnline(slots[i]);
                tasks[i].drain();
                registry.readerOffline(slots[i]);
            }
        }
    }
}
