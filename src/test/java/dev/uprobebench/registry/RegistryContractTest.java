package dev.uprobebench.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uprobebench.sync.CpuSlot;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The registry's semantics, written once and run over every back-end in the table (JCTools'
 * QueueSanityTest): a new back-end gets the whole suite by adding its enum constant.
 */
class RegistryContractTest {
    private UprobeRegistry registry;
    private CpuSlot slot;

    private void open(Backend backend, int slab) {
        registry = backend.create(RegistryConfig.of(slab, 4));
        slot = registry.slots().acquire();
        registry.readerOnline(slot);
    }

    @AfterEach
    void close() {
        if (registry != null) {
            registry.readerOffline(slot);
            registry.close();
        }
    }

    /** A hit on a reader that announces a quiescent state first, as the torture readers do. */
    private long hit(long inode, long offset) {
        registry.readerQuiescent(slot);
        return registry.hit(slot, inode, offset);
    }

    /** The teardown check as a run does it: after the readers have left (gone offline). */
    private long leaksOnceReadersLeft() {
        registry.readerOffline(slot);
        long leaks = registry.checkLeaks();
        registry.readerOnline(slot); // for the next steps and @AfterEach
        return leaks;
    }

    private void unregisterAndSync(long inode, long offset, UprobeConsumer c) {
        registry.unregister(inode, offset, c);
        registry.readerQuiescent(slot);
        registry.synchronize();
    }

    @ParameterizedTest
    @EnumSource(value = Backend.class, mode = EnumSource.Mode.EXCLUDE, names = "KERNEL")
    void hitRunsTheConsumerOfTheRegisteredUprobe(Backend b) {
        open(b, 16);
        CountingConsumer c = new CountingConsumer();
        registry.register(7, 4096, c);
        assertEquals(4096, hit(7, 4096));
        assertEquals(1, c.calls());
        assertEquals(0, registry.invariants().totalViolations());
    }

    @ParameterizedTest
    @EnumSource(value = Backend.class, mode = EnumSource.Mode.EXCLUDE, names = "KERNEL")
    void lookupOfAKeyNeverRegisteredMisses(Backend b) {
        open(b, 16);
        registry.register(7, 4096, new UprobeConsumer());
        assertEquals(UprobeRegistry.MISS, hit(7, 4097));
        assertEquals(UprobeRegistry.MISS, hit(8, 4096));
        assertEquals(UprobeRegistry.MISS, hit(6, 4096));
    }

    @ParameterizedTest
    @EnumSource(value = Backend.class, mode = EnumSource.Mode.EXCLUDE, names = "KERNEL")
    void manyKeysAreEachFoundWithTheirOwnUprobe(Backend b) {
        open(b, 512);
        List<CountingConsumer> consumers = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            CountingConsumer c = new CountingConsumer();
            consumers.add(c);
            registry.register(i % 3, 1000 + i, c);
        }
        for (int i = 299; i >= 0; i--) {
            assertEquals(1000 + i, hit(i % 3, 1000 + i), "key " + i);
        }
        consumers.forEach(c -> assertEquals(1, c.calls()));
        assertEquals(300, registry.slab().inUse());
    }

    @ParameterizedTest
    @EnumSource(value = Backend.class, mode = EnumSource.Mode.EXCLUDE, names = "KERNEL")
    void secondRegistrationAtOneKeySharesTheUprobe(Backend b) {
        open(b, 16);
        CountingConsumer first = new CountingConsumer();
        CountingConsumer second = new CountingConsumer();
        registry.register(3, 64, first);
        registry.register(3, 64, second);
        assertEquals(1, registry.slab().inUse(), "one uprobe for one key");
        assertEquals(128, hit(3, 64), "both handlers ran on the same uprobe");
        assertEquals(1, first.calls());
        assertEquals(1, second.calls());
    }

    @ParameterizedTest
    @EnumSource(value = Backend.class, mode = EnumSource.Mode.EXCLUDE, names = "KERNEL")
    void uprobeStaysWhileAnotherConsumerRemains(Backend b) {
        open(b, 16);
        CountingConsumer first = new CountingConsumer();
        CountingConsumer second = new CountingConsumer();
        registry.register(3, 64, first);
        registry.register(3, 64, second);
        unregisterAndSync(3, 64, first);
        assertEquals(64, hit(3, 64));
        assertEquals(0, first.calls());
        assertEquals(1, second.calls());
        assertEquals(1, registry.slab().inUse());
    }

    /** Copy-on-write removal from the middle: the consumers on either side stay, in order. */
    @ParameterizedTest
    @EnumSource(value = Backend.class, mode = EnumSource.Mode.EXCLUDE, names = "KERNEL")
    void removingTheMiddleOfThreeConsumersKeepsTheOtherTwo(Backend b) {
        open(b, 16);
        List<Integer> order = new ArrayList<>();
        UprobeConsumer[] cs = new UprobeConsumer[3];
        for (int i = 0; i < cs.length; i++) {
            int id = i;
            cs[i] = new UprobeConsumer() {
                @Override
                public long handle(Uprobe u) {
                    order.add(id);
                    return super.handle(u);
                }
            };
            registry.register(3, 64, cs[i]);
        }
        unregisterAndSync(3, 64, cs[1]);
        assertEquals(2 * 64, hit(3, 64), "the sum of the two handlers left");
        assertEquals(List.of(0, 2), order);
        unregisterAndSync(3, 64, cs[0]);
        assertEquals(64, hit(3, 64));
        assertEquals(List.of(0, 2, 2), order);
        assertThrows(IllegalArgumentException.class, () -> registry.unregister(3, 64, cs[1]));
    }

    @ParameterizedTest
    @EnumSource(value = Backend.class, mode = EnumSource.Mode.EXCLUDE, names = "KERNEL")
    void hitAfterUnregisterMissesOnceSynchronized(Backend b) {
        open(b, 16);
        CountingConsumer c = new CountingConsumer();
        registry.register(5, 10, c);
        unregisterAndSync(5, 10, c);
        assertEquals(UprobeRegistry.MISS, hit(5, 10));
        assertEquals(0, c.calls());
        assertEquals(0, leaksOnceReadersLeft());
        assertEquals(0, registry.slab().inUse(), "the uprobe went back to the slab");
    }

    @ParameterizedTest
    @EnumSource(value = Backend.class, mode = EnumSource.Mode.EXCLUDE, names = "KERNEL")
    void handlersRunExactlyOncePerHit(Backend b) {
        open(b, 16);
        CountingConsumer c = new CountingConsumer();
        registry.register(1, 1, c);
        for (int i = 0; i < 10_000; i++) {
            hit(1, 1);
            hit(1, 2);
        }
        assertEquals(10_000, c.calls());
    }

    @ParameterizedTest
    @EnumSource(value = Backend.class, mode = EnumSource.Mode.EXCLUDE, names = "KERNEL")
    void reRegisteringAfterUnregisterGetsAFreshGeneration(Backend b) {
        open(b, 1);
        UprobeConsumer c = new UprobeConsumer();
        registry.register(9, 9, c);
        int gen = registry.slab().object(0).generationAcquire();
        unregisterAndSync(9, 9, c);
        registry.barrier(); // the deferred free has run
        assertEquals(Uprobe.State.FREED, registry.slab().object(0).state());
        registry.register(9, 9, c);
        assertNotEquals(gen, registry.slab().object(0).generationAcquire());
        assertEquals(9, hit(9, 9));
    }

    @ParameterizedTest
    @EnumSource(value = Backend.class, mode = EnumSource.Mode.EXCLUDE, names = "KERNEL")
    void unregisteringAConsumerThatIsNotThereFails(Backend b) {
        open(b, 16);
        registry.register(1, 1, new UprobeConsumer());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> registry.unregister(1, 1, new UprobeConsumer()));
        assertTrue(e.getMessage().contains("1:1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> registry.unregister(2, 2, new UprobeConsumer()));
    }

    @ParameterizedTest
    @EnumSource(value = Backend.class, mode = EnumSource.Mode.EXCLUDE, names = "KERNEL")
    void runningOutOfSlabIsAClearError(Backend b) {
        open(b, 2);
        registry.register(1, 1, new UprobeConsumer());
        registry.register(1, 2, new UprobeConsumer());
        SlabExhaustedException e = assertThrows(SlabExhaustedException.class,
                () -> registry.register(1, 3, new UprobeConsumer()));
        assertTrue(e.getMessage().contains("all 2 objects"), e.getMessage());
        assertEquals(1, hit(1, 1), "the registry still works after the refusal");
        assertEquals(UprobeRegistry.MISS, hit(1, 3));
    }

    @ParameterizedTest
    @EnumSource(value = Backend.class, mode = EnumSource.Mode.EXCLUDE, names = "KERNEL")
    void teardownCountsWhatWasNeverUnregisteredAsLeaks(Backend b) {
        open(b, 16);
        registry.register(1, 1, new UprobeConsumer());
        registry.register(1, 2, new UprobeConsumer());
        assertEquals(2, leaksOnceReadersLeft());
        assertEquals(2, registry.invariants().total(Violation.LEAK));
    }

    @ParameterizedTest
    @EnumSource(value = Backend.class, mode = EnumSource.Mode.EXCLUDE, names = "KERNEL")
    void aReaderStillOnlineAtTeardownIsALeakWhereTheDesignRunsOnRcu(Backend b) {
        open(b, 16);
        UprobeConsumer c = new UprobeConsumer();
        registry.register(1, 1, c);
        hit(1, 1);
        unregisterAndSync(1, 1, c);
        long online = registry.checkLeaks(); // the test's reader never went offline
        assertEquals(b.usesRcuFlavour() ? 1 : 0, online, "a reader online (QSBR) counts where the design runs on RCU");
        long before = registry.invariants().total(Violation.LEAK);
        assertEquals(0, leaksOnceReadersLeft(), "nothing is left once the reader has gone");
        assertEquals(before, registry.invariants().total(Violation.LEAK));
    }

    @ParameterizedTest
    @EnumSource(value = Backend.class, mode = EnumSource.Mode.EXCLUDE, names = "KERNEL")
    void missOnADeclaredStableKeyIsAFalseNegative(Backend b) {
        open(b, 16);
        registry.register(1, 0, new UprobeConsumer());
        registry.invariants().declareStable(1, 0, 2); // offset 1 is declared but never registered
        hit(1, 0);
        assertEquals(0, registry.invariants().total(Violation.FALSE_NEGATIVE));
        hit(1, 1);
        assertEquals(1, registry.invariants().total(Violation.FALSE_NEGATIVE));
    }

    @ParameterizedTest
    @EnumSource(value = Backend.class, mode = EnumSource.Mode.EXCLUDE, names = "KERNEL")
    void freeingAFreedUprobeAgainIsADoubleFreeViolation(Backend b) {
        open(b, 16);
        UprobeConsumer c = new UprobeConsumer();
        registry.register(1, 1, c);
        unregisterAndSync(1, 1, c);
        registry.barrier(); // the deferred free has run: the uprobe is back in the slab
        Uprobe freed = null;
        for (int i = 0; i < registry.slab().capacity(); i++) {
            if (registry.slab().object(i).state() == Uprobe.State.FREED) {
                freed = registry.slab().object(i);
            }
        }
        assertNotNull(freed, "the unregistered uprobe is free");
        assertEquals(0, registry.invariants().totalViolations());
        assertFalse(registry.slab().free(freed), "a second free is refused");
        assertEquals(1, registry.invariants().total(Violation.DOUBLE_FREE));
        assertEquals(1, registry.invariants().totalViolations(), "and it invalidates the result");
    }

    @ParameterizedTest
    @EnumSource(value = Backend.class, mode = EnumSource.Mode.EXCLUDE, names = "KERNEL")
    void anObjectFreedAndHandedOutAgainAtTheSameKeyBetweenFindAndUseIsAUseAfterFree(Backend b) {
        UprobeRegistry[] self = new UprobeRegistry[1];
        boolean[] recycled = new boolean[1];
        RaceHooks recycle = new RaceHooks() {
            @Override
            public void afterFind(CpuSlot s, Uprobe u) {
                if (!recycled[0]) {
                    recycled[0] = true;
                    // a grace period that ended too early, then a registration at the same key:
                    // the same object (the slab is LIFO), live again, with the key asked for
                    assertTrue(self[0].slab().free(u));
                    assertSame(u, self[0].slab().allocate(1, 1));
                }
            }
        };
        registry = b.create(RegistryConfig.of(16, 4).withHooks(recycle));
        self[0] = registry;
        slot = registry.slots().acquire();
        registry.readerOnline(slot);
        registry.register(1, 1, new UprobeConsumer());
        hit(1, 1);
        assertTrue(recycled[0], "the hook ran");
        assertEquals(1, registry.invariants().total(Violation.USE_AFTER_FREE),
                "the generation taken where the node was found no longer matches");
    }

    /**
     * A writer that drops its reference to a uprobe something else already freed (a put too many
     * elsewhere, a free that did not wait): the unregister's put touches a freed object. Driven at
     * the {@code beforePut} hook, which every back-end with a deferred or last put calls.
     */
    @ParameterizedTest
    @MethodSource("writerBackends")
    void aWriterThatPutsAFreedUprobeIsAWriterUseAfterFree(Backend b) {
        writerSideScenario(b, false);
    }

    /** The same with the freed object handed out again (the generation check catches it). */
    @ParameterizedTest
    @MethodSource("writerBackends")
    void aWriterThatPutsARecycledUprobeIsAWriterUseAfterFree(Backend b) {
        writerSideScenario(b, true);
    }

    /** Every safe back-end that lets writers run beside readers, from the back-end table. */
    static java.util.stream.Stream<Backend> writerBackends() {
        return Backend.models().stream().filter(b -> b.safe() && b.allowsChurn());
    }

    private void writerSideScenario(Backend b, boolean recycle) {
        UprobeRegistry[] self = new UprobeRegistry[1];
        boolean[] fired = new boolean[1];
        RaceHooks early = new RaceHooks() {
            @Override
            public void beforePut(Uprobe u) {
                if (!fired[0]) {
                    fired[0] = true;
                    assertTrue(self[0].slab().free(u));
                    if (recycle) {
                        assertSame(u, self[0].slab().allocate(7, 7));
                    }
                }
            }
        };
        registry = b.create(RegistryConfig.of(16, 4).withHooks(early));
        self[0] = registry;
        slot = registry.slots().acquire();
        registry.readerOnline(slot);
        UprobeConsumer c = new UprobeConsumer();
        registry.register(1, 1, c);
        assertEquals(0, registry.invariants().total(Violation.WRITER_USE_AFTER_FREE));
        try {
            registry.unregister(1, 1, c);
        } catch (RuntimeException e) {
            // what the broken lifetime does next (a put on a recycled object) is not the point
        }
        assertTrue(fired[0], "the hook ran");
        assertTrue(registry.invariants().total(Violation.WRITER_USE_AFTER_FREE) >= 1,
                "counted: " + registry.invariants().snapshot());
    }

    /**
     * A writer that finds, under its lock, a uprobe a broken lifetime has freed (here the hook
     * frees it between the find and the check): the registration that would share it, and the
     * unregistration that would remove its consumer, each count a writer-side use after free.
     */
    @ParameterizedTest
    @MethodSource("writerBackends")
    void aWriterThatFindsAFreedUprobeUnderItsLockIsAWriterUseAfterFree(Backend b) {
        for (boolean registering : new boolean[] {true, false}) {
            UprobeRegistry[] self = new UprobeRegistry[1];
            boolean[] armed = new boolean[1];
            int[] fired = new int[1];
            RaceHooks freeAtFind = new RaceHooks() {
                @Override
                public void afterWriterFind(Uprobe u) {
                    if (armed[0] && fired[0]++ == 0) {
                        assertTrue(self[0].slab().free(u));
                    }
                }
            };
            try (UprobeRegistry r = b.create(RegistryConfig.of(16, 4).withHooks(freeAtFind))) {
                self[0] = r;
                UprobeConsumer c = new UprobeConsumer();
                r.register(1, 1, c);
                armed[0] = true;
                try {
                    if (registering) {
                        r.register(1, 1, new UprobeConsumer());
                    } else {
                        r.unregister(1, 1, c);
                    }
                } catch (RuntimeException e) {
                    // what the broken lifetime does next is not the point
                }
                String what = b.cliName() + (registering ? " register" : " unregister");
                assertEquals(1, fired[0], what + ": the writer found the uprobe once");
                assertTrue(r.invariants().total(Violation.WRITER_USE_AFTER_FREE) >= 1,
                        what + " counted: " + r.invariants().snapshot());
            }
        }
    }

    /** A clean register and unregister never counts a writer-side use after free. */
    @ParameterizedTest
    @MethodSource("writerBackends")
    void cleanWritersCountNothing(Backend b) {
        open(b, 16);
        UprobeConsumer c1 = new UprobeConsumer();
        UprobeConsumer c2 = new UprobeConsumer();
        registry.register(1, 1, c1);
        registry.register(1, 1, c2);
        registry.unregister(1, 1, c1);
        registry.unregister(1, 1, c2);
        registry.synchronize();
        registry.barrier();
        assertEquals(0, registry.invariants().totalViolations(), registry.invariants().snapshot().toString());
    }
}
