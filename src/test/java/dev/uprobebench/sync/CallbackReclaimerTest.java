package dev.uprobebench.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The reclaimer's promises when things go wrong: a failing grace period, a barrier racing close. */
class CallbackReclaimerTest {
    private static final Duration BOUND = Duration.ofSeconds(20);

    /** Waits (without sleeping) until {@code t} is parked or gone. */
    private static void awaitParkedOrDone(Thread t) {
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING
                && t.getState() != Thread.State.TERMINATED) {
            Thread.onSpinWait();
        }
    }

    @Test
    void aGracePeriodThatThrowsDropsItsBatchUnrunAndTheNextBarrierSaysSoInsteadOfHanging() {
        AtomicInteger periods = new AtomicInteger();
        AtomicBoolean firstBatchRan = new AtomicBoolean();
        AtomicBoolean secondBatchRan = new AtomicBoolean();
        assertTimeoutPreemptively(BOUND, () -> {
            try (CallbackReclaimer r = new CallbackReclaimer("test-reclaimer", () -> {
                if (periods.incrementAndGet() == 1) {
                    throw new IllegalStateException("grace period broke");
                }
            })) {
                r.call(() -> firstBatchRan.set(true));
                IllegalStateException e = assertThrows(IllegalStateException.class, r::barrier);
                assertTrue(e.getMessage().contains("grace period broke") && e.getMessage().contains("dropped unrun"),
                        e.getMessage());
                assertFalse(firstBatchRan.get(), "a callback must never run without a grace period before it");
                r.call(() -> secondBatchRan.set(true));
                r.barrier();
                assertTrue(secondBatchRan.get(), "the reclaimer lives on after a failed grace period");
            }
        });
    }

    @Test
    void aBarrierAfterCloseStillWaitsForTheBatchInFlight() {
        CountDownLatch inGracePeriod = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean callbackRan = new AtomicBoolean();
        AtomicBoolean ranWhenBarrierReturned = new AtomicBoolean();
        assertTimeoutPreemptively(BOUND, () -> {
            CallbackReclaimer r = new CallbackReclaimer("test-reclaimer", () -> {
                inGracePeriod.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            r.call(() -> callbackRan.set(true));
            inGracePeriod.await(); // the batch is in flight
            Thread closer = new Thread(r::close, "closer");
            closer.start();
            awaitParkedOrDone(closer); // closed is set; close() joins the reclaimer
            Thread waiter = new Thread(() -> {
                r.barrier();
                ranWhenBarrierReturned.set(callbackRan.get());
            }, "barrier");
            waiter.start();
            awaitParkedOrDone(waiter); // inside barrier(), or (the bug) already returned
            release.countDown();
            waiter.join();
            closer.join();
            assertTrue(ranWhenBarrierReturned.get(), "barrier() returned before the callback queued before it ran");
        });
    }

    @Test
    void callbacksRunOnceEachAfterTheirGracePeriodAndInQueueOrder() {
        AtomicInteger periods = new AtomicInteger();
        StringBuilder order = new StringBuilder();
        assertTimeoutPreemptively(BOUND, () -> {
            try (CallbackReclaimer r = new CallbackReclaimer("test-reclaimer", periods::incrementAndGet)) {
                for (int i = 0; i < 5; i++) {
                    int k = i;
                    r.call(() -> order.append(k).append(periods.get() > 0 ? "+" : "!"));
                }
                r.barrier();
            }
            assertEquals("0+1+2+3+4+", order.toString());
        });
    }
}
