package dev.uprobebench.host;

import dev.uprobebench.registry.LostHitCheck;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uprobebench.host.ProbeTargets.Trap;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The kernel back-end's readers and churn writer against the real kernel, and invariant 11 (no hit
 * lost, none counted twice) with its negative controls: a reader that does not count one call,
 * and one whose hit runs on a thread its events do not count.
 */
class KernelWorkloadTest {
    static final long BOUND_SECONDS = 60;
    static final Executor THREAD_PER_TASK = task -> Thread.ofPlatform().daemon().start(task);
    static UprobePmu pmu;

    @BeforeAll
    static void realUprobes() {
        pmu = RealUprobes.require();
    }

    static ProbeTargets targets() throws IOException {
        // two stable targets (one of each trap kind) and two spare ones for the churn writer
        return ProbeTargets.create(RealUprobes.scratch(), List.of(Trap.NOP5, Trap.INT3, Trap.NOP5, Trap.INT3));
    }

    static LostHitCheck readAndFinish(ProbeTargets t, boolean retprobe, int batches, CountDownLatch registered)
            throws IOException {
        try (KernelReader r = KernelReader.open(pmu, t.functions().subList(0, 2), retprobe)) {
            registered.countDown();
            for (int b = 0; b < batches; b++) {
                r.hitBatch(b % 2, 500);
                r.hit(b % 2);
            }
            return r.finish();
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void twoReadersEachCountExactlyTheirOwnHits(boolean retprobe) throws Exception {
        try (ProbeTargets t = targets()) {
            CountDownLatch both = new CountDownLatch(2);
            CompletableFuture<LostHitCheck> a = CompletableFuture.supplyAsync(() -> uncheck(() -> readAndFinish(t, retprobe, 20, both)), THREAD_PER_TASK);
            CompletableFuture<LostHitCheck> b = CompletableFuture.supplyAsync(() -> uncheck(() -> readAndFinish(t, retprobe, 30, both)), THREAD_PER_TASK);
            LostHitCheck ca = a.get(BOUND_SECONDS, TimeUnit.SECONDS);
            LostHitCheck cb = b.get(BOUND_SECONDS, TimeUnit.SECONDS);
            assertEquals(new LostHitCheck(20 * 501, 20 * 501, 0, 0), ca, ca.format());
            assertEquals(new LostHitCheck(30 * 501, 30 * 501, 0, 0), cb, cb.format());
        }
    }

    @Test
    void readersStayExactWhileTheWriterRegistersAndUnregistersOtherProbes() throws Exception {
        try (ProbeTargets t = targets()) {
            CountDownLatch registered = new CountDownLatch(1);
            AtomicBoolean reading = new AtomicBoolean(true);
            CompletableFuture<LostHitCheck> reader = CompletableFuture.supplyAsync(() -> uncheck(() -> {
                try (KernelReader r = KernelReader.open(pmu, t.functions().subList(0, 2), false)) {
                    registered.countDown();
                    for (int i = 0; reading.get() || i < 50; i++) {
                        r.hitBatch(i % 2, 200);
                    }
                    return r.finish();
                }
            }), THREAD_PER_TASK);
            assertTrue(registered.await(BOUND_SECONDS, TimeUnit.SECONDS));
            KernelChurner writer = new KernelChurner(pmu, t.functions().subList(2, 4), false);
            for (int i = 0; i < 40; i++) {
                writer.churnOnce();
            }
            reading.set(false);
            LostHitCheck read = reader.get(BOUND_SECONDS, TimeUnit.SECONDS);
            assertTrue(read.exact() && read.calls() >= 50 * 200, read.format());
            assertEquals(80, writer.operations());
            assertEquals(new LostHitCheck(40, 40, 0, 0), writer.check(), "each churned probe counted its one call");
        }
    }

    @Test
    void aReaderThatDoesNotCountOneCallIsAViolation() throws IOException {
        try (ProbeTargets t = targets(); KernelReader r = KernelReader.open(pmu, t.functions().subList(0, 2), false)) {
            r.hitBatch(0, 1_000);
            t.function(1).call(); // the call the reader does not count
            LostHitCheck c = r.finish();
            assertFalse(c.exact());
            assertEquals(1, c.extraHits(), c.format());
            assertEquals(0, c.lostHits(), c.format());
        }
    }

    @Test
    void aHitOnAThreadTheReadersEventsDoNotCountIsALostHit() throws Exception {
        try (ProbeTargets t = targets(); KernelReader r = KernelReader.open(pmu, t.functions().subList(0, 2), false)) {
            r.hitBatch(0, 1_000);
            CompletableFuture.runAsync(() -> r.hitBatch(1, 3), THREAD_PER_TASK).get(BOUND_SECONDS, TimeUnit.SECONDS);
            LostHitCheck c = r.finish();
            assertEquals(3, c.lostHits(), c.format());
            assertEquals(0, c.extraHits(), c.format());
            assertEquals(c, r.finish(), "finished once");
        }
    }

    @Test
    void aWriterNeedsASpareTarget() {
        assertThrows(IllegalArgumentException.class, () -> new KernelChurner(pmu, List.of(), false));
    }

    interface IoSupplier<T> {
        T get() throws IOException;
    }

    static <T> T uncheck(IoSupplier<T> s) {
        try {
            return s.get();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
