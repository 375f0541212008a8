package dev.uprobebench.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Grace periods of RCU (both flavours) and SRCU, written once over a small adapter. The checks are
 * deterministic: a grace period is known to be waiting for the reader once its phase counter
 * (the RCU grace-period counter, the SRCU index) has moved on while the reader is still inside;
 * from then on a correct implementation cannot have returned. The broken variants (grace periods
 * that end at once) must be told apart by the same checks.
 */
class GracePeriodTest {
    private static final long BOUND_SECONDS = 20;

    /** One read side and its grace period, as the tests drive them. */
    interface Domain extends AutoCloseable {
        /** Enters a read-side section on {@code slot} (the calling thread becomes its owner). */
        void enter(int slot);

        /** Leaves it. */
        void exit(int slot);

        void synchronize();

        void call(Runnable callback);

        void barrier();

        /** Moves on when a grace period starts waiting for pre-existing readers. */
        long phase();

        @Override
        void close();
    }

    static Domain rcu(String flavour, boolean broken) {
        Rcu rcu = TestGracePeriods.rcu(RcuFlavour.byName(flavour), 4, broken);
        return new Domain() {
            @Override
            public void enter(int slot) {
                rcu.online(slot); // QSBR: online and not yet quiescent is "inside"
                rcu.readLock(slot);
            }

            @Override
            public void exit(int slot) {
                rcu.readUnlock(slot);
                rcu.quiescent(slot);
                rcu.offline(slot);
            }

            @Override
            public void synchronize() {
                rcu.synchronize();
            }

            @Override
            public void call(Runnable callback) {
                rcu.call(callback);
            }

            @Override
            public void barrier() {
                rcu.barrier();
            }

            @Override
            public long phase() {
                return rcu.gpOpaque();
            }

            @Override
            public void close() {
                rcu.close();
            }

            @Override
            public String toString() {
                return "rcu-" + flavour + (broken ? "-broken" : "");
            }
        };
    }

    static Domain srcu(boolean broken) {
        Srcu srcu = TestGracePeriods.srcu(4, broken);
        int[] idx = new int[4];
        return new Domain() {
            @Override
            public void enter(int slot) {
                idx[slot] = srcu.readLock(slot);
            }

            @Override
            public void exit(int slot) {
                srcu.readUnlock(slot, idx[slot]);
            }

            @Override
            public void synchronize() {
                srcu.synchronize();
            }

            @Override
            public void call(Runnable callback) {
                srcu.call(callback);
            }

            @Override
            public void barrier() {
                srcu.barrier();
            }

            @Override
            public long phase() {
                return srcu.flipsOpaque();
            }

            @Override
            public void close() {
                srcu.close();
            }

            @Override
            public String toString() {
                return "srcu" + (broken ? "-broken" : "");
            }
        };
    }

    static Stream<Domain> working() {
        return Stream.of(rcu("qsbr", false), rcu("memb", false), srcu(false));
    }

    static Stream<Domain> broken() {
        return Stream.of(rcu("qsbr", true), rcu("memb", true), srcu(true));
    }

    /** Slots of every domain here; each test puts its reader in each of them in turn. */
    static final int SLOTS = 4;

    /** A reader thread on a slot that enters, says so, and leaves when told. */
    static final class Reader implements AutoCloseable {
        final CountDownLatch inside = new CountDownLatch(1);
        final CountDownLatch leave = new CountDownLatch(1);
        final AtomicBoolean left = new AtomicBoolean();
        final Thread thread;

        Reader(Domain d, int slot) {
            thread = new Thread(() -> {
                d.enter(slot);
                inside.countDown();
                await(leave);
                left.set(true);
                d.exit(slot);
            }, "reader-" + slot);
            thread.start();
            await(inside);
        }

        @Override
        public void close() {
            leave.countDown();
            join(thread);
        }
    }

    static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(BOUND_SECONDS, TimeUnit.SECONDS), "latch not released within bound");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static void join(Thread t) {
        try {
            t.join(TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertFalse(t.isAlive(), t.getName() + " did not finish within bound");
    }

    /** Polls {@code condition} until it holds; bounded. */
    static void until(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not reached within bound");
            Thread.onSpinWait();
        }
    }

    /**
     * Starts {@code synchronize()} while a reader is inside; returns whether it had returned by the
     * time its grace period was seen waiting (true only for a broken grace period).
     */
    static boolean synchronizeReturnedWhileReaderInside(Domain d, int slot) {
        try (Reader reader = new Reader(d, slot)) {
            long before = d.phase();
            CountDownLatch done = new CountDownLatch(1);
            Thread syncer = new Thread(() -> {
                d.synchronize();
                done.countDown();
            }, "synchronizer");
            syncer.start();
            until(() -> d.phase() != before || done.getCount() == 0);
            boolean early = done.getCount() == 0;
            assertFalse(reader.left.get());
            reader.close();
            await(done);
            join(syncer);
            return early;
        }
    }

    /** Queues a callback while a reader is inside; returns whether it ran before the reader left. */
    static boolean callbackRanWhileReaderInside(Domain d, int slot) {
        try (Reader reader = new Reader(d, slot)) {
            long before = d.phase();
            AtomicBoolean ran = new AtomicBoolean();
            AtomicBoolean ranAfterLeaving = new AtomicBoolean();
            d.call(() -> {
                ranAfterLeaving.set(reader.left.get());
                ran.set(true);
            });
            until(() -> d.phase() != before || ran.get());
            boolean early = ran.get();
            reader.close();
            d.barrier();
            assertTrue(ran.get(), "barrier returned before the callback ran");
            return early || !ranAfterLeaving.get();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("working")
    void synchronizeWaitsForAReaderThatStartedBeforeItAndReturnsOnceItLeaves(Domain d) {
        try (d) {
            for (int slot = 0; slot < SLOTS; slot++) {
                assertFalse(synchronizeReturnedWhileReaderInside(d, slot), "a reader in slot " + slot);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("working")
    void callbackRunsOnlyAfterEveryPreexistingReaderHasLeft(Domain d) {
        try (d) {
            for (int slot = 0; slot < SLOTS; slot++) {
                assertFalse(callbackRanWhileReaderInside(d, slot), "a reader in slot " + slot);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void theseChecksCatchAGracePeriodThatEndsAtOnce(Domain d) {
        try (d) {
            for (int slot = 0; slot < SLOTS; slot++) {
                assertTrue(synchronizeReturnedWhileReaderInside(d, slot), "broken synchronize() went unnoticed");
                assertTrue(callbackRanWhileReaderInside(d, slot), "broken call() went unnoticed");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("working")
    void synchronizeWithNoReaderReturns(Domain d) {
        try (d) {
            d.enter(1);
            d.exit(1);
            Thread syncer = new Thread(d::synchronize, "synchronizer");
            syncer.start();
            join(syncer);
        }
    }

    @Test
    void nestedMembSectionsHoldTheGracePeriodUntilTheOutermostUnlock() {
        try (Rcu rcu = Rcu.create(RcuFlavour.MEMB, 4)) {
            CountDownLatch innerLeft = new CountDownLatch(1);
            CountDownLatch leaveOuter = new CountDownLatch(1);
            AtomicBoolean outerLeft = new AtomicBoolean();
            Thread reader = new Thread(() -> {
                rcu.readLock(1);
                rcu.readLock(1);
                rcu.readUnlock(1);
                innerLeft.countDown();
                await(leaveOuter);
                outerLeft.set(true);
                rcu.readUnlock(1);
            }, "nested-reader");
            reader.start();
            await(innerLeft);
            long before = rcu.gpOpaque();
            AtomicBoolean returnedEarly = new AtomicBoolean();
            Thread syncer = new Thread(() -> {
                rcu.synchronize();
                returnedEarly.set(!outerLeft.get());
            }, "synchronizer");
            syncer.start();
            until(() -> rcu.gpOpaque() != before);
            leaveOuter.countDown();
            join(reader);
            join(syncer);
            assertFalse(returnedEarly.get(), "synchronize() returned inside the outer section");
        }
    }

    @Test
    void qsbrGracePeriodDoesNotWaitForAnOfflineReader() {
        try (Rcu rcu = Rcu.create(RcuFlavour.QSBR, 4)) {
            CountDownLatch offline = new CountDownLatch(1);
            CountDownLatch finish = new CountDownLatch(1);
            Thread parked = new Thread(() -> {
                rcu.online(1);
                rcu.offline(1);
                offline.countDown();
                await(finish); // parked for as long as the grace period takes
            }, "offline-reader");
            parked.start();
            await(offline);
            Thread syncer = new Thread(rcu::synchronize, "synchronizer");
            syncer.start();
            join(syncer);
            finish.countDown();
            join(parked);
            assertEquals(1, rcu.gracePeriods());
        }
    }

    @Test
    void anOnlineQsbrReaderMaySynchronizeWithoutWaitingForItself() {
        try (Rcu rcu = Rcu.create(RcuFlavour.QSBR, 4)) {
            Thread self = new Thread(() -> {
                rcu.online(1);
                rcu.synchronize();
                rcu.barrier();
                rcu.offline(1);
            }, "online-synchronizer");
            self.start();
            join(self);
            assertEquals(0, rcu.readersInside());
        }
    }
}
