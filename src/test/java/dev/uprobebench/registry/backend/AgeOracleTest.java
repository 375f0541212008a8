package dev.uprobebench.registry.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uprobebench.registry.Backend;
import dev.uprobebench.registry.RaceHooks;
import dev.uprobebench.registry.RegistryConfig;
import dev.uprobebench.registry.Uprobe;
import dev.uprobebench.registry.UprobeConsumer;
import dev.uprobebench.registry.UprobeRegistry;
import dev.uprobebench.registry.Violation;
import dev.uprobebench.sync.CpuSlot;
import dev.uprobebench.sync.RcuFlavour;
import dev.uprobebench.sync.TestGracePeriods;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The age oracle, rcutorture's Reader Pipe: a reader that uses a uprobe unlinked two or more grace
 * periods before is a {@link Violation#TOO_OLD}; one grace period (one that was already running at
 * the unlink) is allowed. Each case drives the interleaving with latches.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AgeOracleTest {
    private static final long BOUND = 20;

    /**
     * A reader stopped in the handler of (1, 1) while this thread unregisters it and then asks for
     * {@code extraGracePeriods} more grace periods (from another thread, with a bound: correct
     * ones wait for the reader, broken ones do not); then the reader finishes.
     */
    private static long[] readerInAHandlerWhileGracePeriodsPass(Backend b, RegistryConfig config, int extraGracePeriods)
            throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        UprobeConsumer blocking = OneReader.blocking(inHandler, release);
        try (UprobeRegistry r = b.create(config)) {
            r.register(1, 1, blocking);
            CompletableFuture<Long> reader = OneReader.hitAsync(r, 1, 1);
            assertTrue(inHandler.await(BOUND, TimeUnit.SECONDS));
            r.unregister(1, 1, blocking);
            // on a thread of its own: the common pool may have one worker, and the reader holds it
            java.util.concurrent.ExecutorService own = java.util.concurrent.Executors.newSingleThreadExecutor();
            CompletableFuture<Void> gps = CompletableFuture.runAsync(() -> {
                r.barrier(); // the deferred erase and free have run (at once, when grace periods are broken)
                for (int i = 0; i < extraGracePeriods; i++) {
                    r.synchronize();
                }
            }, own);
            own.shutdown();
            try {
                gps.get(300, TimeUnit.MILLISECONDS); // broken ones return; correct ones wait for the reader
            } catch (java.util.concurrent.TimeoutException expected) {
                // a correct grace period is waiting for the reader in its handler
            }
            release.countDown();
            reader.get(BOUND, TimeUnit.SECONDS);
            gps.get(BOUND, TimeUnit.SECONDS);
            long[] ages = r.invariants().ages();
            return new long[] {r.invariants().total(Violation.TOO_OLD), ages[0], ages[1], ages[2]};
        }
    }

    @ParameterizedTest
    @EnumSource(value = Backend.class, names = {"SRCU", "SEQCOUNT_RCU"})
    void aReaderInsideItsSectionNeverSeesAnObjectTwoGracePeriodsOld(Backend b) throws Exception {
        long[] r = readerInAHandlerWhileGracePeriodsPass(b, RegistryConfig.of(16, 4).withRcuFlavour(RcuFlavour.MEMB), 3);
        assertEquals(0, r[0], "no too-old use with grace periods that wait");
        assertTrue(r[1] + r[2] >= 1, "the reader's last use found its uprobe unlinked, and young: " + java.util.Arrays.toString(r));
        assertEquals(0, r[3]);
    }

    @ParameterizedTest
    @EnumSource(value = Backend.class, names = {"SRCU", "SEQCOUNT_RCU"})
    void gracePeriodsThatDoNotWaitMakeTheReadersObjectTooOld(Backend b) throws Exception {
        long[] r = readerInAHandlerWhileGracePeriodsPass(b, RegistryConfig.of(16, 4).withRcuFlavour(RcuFlavour.MEMB)
                .withGracePeriods(TestGracePeriods.BROKEN), 3);
        assertTrue(r[0] >= 1, "the broken grace periods let the reader's uprobe age: " + java.util.Arrays.toString(r));
        assertTrue(r[3] >= 1);
    }

    /**
     * The RFC control's flaw seen by the oracle: a reader whose reference was resurrected uses the
     * uprobe after its read section while two grace periods pass (they need not wait for it: it
     * left its section), so the use is too old; {@code percpu-ref}'s use after its section is held
     * by a live reference and is not judged by age.
     */
    @Test
    void theRfcControlsResurrectedUseAfterItsSectionIsTooOld() throws Exception {
        CountDownLatch found = new CountDownLatch(1);
        CountDownLatch outside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch unregistered = new CountDownLatch(1);
        RaceHooks hooks = new RaceHooks() {
            @Override
            public void afterFind(CpuSlot slot, Uprobe u) {
                found.countDown();
                // let the last put drop the count to 0 before this reader's get_uprobe()
                ResurrectionRaceTest.await(unregistered);
            }

            @Override
            public void afterReadUnlock(CpuSlot slot, Uprobe u) {
                outside.countDown();
                ResurrectionRaceTest.await(release);
            }
        };
        RegistryConfig c = RegistryConfig.of(16, 4).withRcuFlavour(RcuFlavour.MEMB).withHooks(hooks);
        try (UprobeRegistry r = Backend.SEQCOUNT_RCU_RFC.create(c)) {
            UprobeConsumer consumer = new dev.uprobebench.registry.CountingConsumer();
            r.register(1, 1, consumer);
            CompletableFuture<Long> reader = OneReader.hitAsync(r, 1, 1);
            assertTrue(found.await(BOUND, TimeUnit.SECONDS));
            r.unregister(1, 1, consumer); // the last put: count 0, erase, free queued
            unregistered.countDown();
            assertTrue(outside.await(BOUND, TimeUnit.SECONDS));
            r.synchronize(); // the reader is outside its section: these need not wait for it
            r.synchronize();
            release.countDown();
            reader.get(BOUND, TimeUnit.SECONDS);
            assertTrue(r.invariants().total(Violation.TOO_OLD) >= 1, "too old: " + r.invariants().snapshot());
        }
    }
}
