package dev.uprobebench.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The small contracts of the sync layer that the mutation run found unasserted: slot tables, the
 * per-slot array's accessors and bounds, the rwlock's writer state, the reclaimer's refusals, the
 * names used in error messages.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SmallPrimitivesTest {
    @Test
    void aSlotTableNeedsOneSlotAndCountsWhatIsHeld() {
        assertThrows(IllegalArgumentException.class, () -> new CpuSlots(0));
        CpuSlots one = new CpuSlots(1);
        assertEquals(1, one.capacity());
        assertEquals(0, one.inUse());
        CpuSlot s = one.acquire();
        assertEquals(1, one.inUse());
        assertEquals("slot0", s.toString());
        one.release(s);
        assertEquals(0, one.inUse());
        assertThrows(IllegalStateException.class, () -> one.release(s), "a slot released twice");
        CpuSlots other = new CpuSlots(2);
        CpuSlot foreign = other.acquire();
        assertThrows(IllegalStateException.class, () -> one.release(foreign), "a slot of another table");
    }

    @Test
    void slotLongsTakeOneToAStrideOfFieldsAndEveryAccessorReadsWhatWasWritten() {
        assertThrows(IllegalArgumentException.class, () -> new SlotLongs(2, 0));
        assertThrows(IllegalArgumentException.class, () -> new SlotLongs(2, 4 * SlotLongs.STRIDE + 1));
        assertEquals(1, new SlotLongs(2, 1).fields());
        SlotLongs l = new SlotLongs(3, SlotLongs.STRIDE);
        assertEquals(SlotLongs.STRIDE, l.fields());
        assertEquals(3, l.slots());
        l.setVolatile(2, SlotLongs.STRIDE - 1, 41);
        assertEquals(41, l.getAcquire(2, SlotLongs.STRIDE - 1));
        assertEquals(41, l.getAndAddVolatile(2, SlotLongs.STRIDE - 1, 1), "returns the value before");
        assertEquals(42, l.getVolatile(2, SlotLongs.STRIDE - 1));
        assertEquals(0, l.getVolatile(1, SlotLongs.STRIDE - 1), "a neighbouring slot is untouched");
        assertEquals(0, l.getVolatile(2, 0), "a neighbouring field is untouched");
    }

    @Test
    void theRwlockSaysWhetherAWriterHoldsIt() {
        RwSpinLock l = new RwSpinLock();
        assertFalse(l.isWriteLocked());
        l.readLock();
        assertFalse(l.isWriteLocked(), "readers are not a writer");
        assertEquals(1, l.readersOpaque());
        l.readUnlock();
        l.writeLock();
        assertTrue(l.isWriteLocked());
        assertEquals(0, l.readersOpaque());
        l.writeUnlock();
        assertFalse(l.isWriteLocked());
    }

    @Test
    void aClosedReclaimerRefusesNewCallbacks() {
        CallbackReclaimer r = new CallbackReclaimer("test-reclaimer", () -> {
        });
        r.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.call(() -> {
        }));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    /** close() waits for the thread; an interrupt that cuts the wait short is kept for the caller. */
    @Test
    void closeKeepsTheCallersInterrupt() throws Exception {
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch inside = new CountDownLatch(1);
        CallbackReclaimer r = new CallbackReclaimer("test-reclaimer", () -> {
            inside.countDown();
            try {
                stuck.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        r.call(() -> {
        });
        assertTrue(inside.await(10, TimeUnit.SECONDS));
        Thread.currentThread().interrupt();
        r.close(); // the join is interrupted at once: the reclaimer is still inside its grace period
        assertTrue(Thread.interrupted(), "the interrupt is kept (and cleared here)");
        stuck.countDown();
        r.close();
    }

    @Test
    void flavourNamesAreTheCommandLineNames() {
        assertEquals("qsbr, memb", RcuFlavour.names());
        assertEquals("memb", RcuFlavour.MEMB.toString());
    }
}
