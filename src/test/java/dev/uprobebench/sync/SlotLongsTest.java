package dev.uprobebench.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SlotLongsTest {
    @Test
    void slotsAre128BytesApart() {
        assertEquals(128, SlotLongs.strideBytes());
    }

    @Test
    void ownerIncrementsSumAcrossSlots() {
        SlotLongs s = new SlotLongs(4, 3);
        for (int slot = 0; slot < 4; slot++) {
            s.incrementOpaque(slot, 1, slot + 1);
        }
        assertEquals(10, s.sumOpaque(1));
        assertEquals(0, s.sumOpaque(0));
        assertEquals(0, s.sumOpaque(2));
    }

    @Test
    void moreFieldsThanAStrideHoldsTakeWholeStridesAndTooManyAreRefused() {
        assertEquals(128, new SlotLongs(2, 16).slotBytes());
        SlotLongs wide = new SlotLongs(2, 17);
        assertEquals(256, wide.slotBytes(), "17 fields: two strides a slot, still whole cache lines");
        wide.incrementOpaque(0, 16, 5);
        wide.incrementOpaque(1, 16, 6);
        wide.incrementOpaque(1, 0, 1);
        assertEquals(11, wide.sumOpaque(16), "the 17th field of each slot is its own");
        assertEquals(1, wide.sumOpaque(0));
        assertThrows(IllegalArgumentException.class, () -> new SlotLongs(1, 65));
        assertThrows(IllegalArgumentException.class, () -> new SlotLongs(1, 0));
    }

    @Test
    void slotTableHandsOutDistinctSlotsAndRefusesWhenFull() {
        CpuSlots slots = new CpuSlots(2);
        CpuSlot a = slots.acquire();
        CpuSlot b = slots.acquire();
        assertEquals(1, Math.abs(a.id() - b.id()));
        IllegalStateException e = assertThrows(IllegalStateException.class, slots::acquire);
        assertEquals(true, e.getMessage().contains("all 2 CPU slots"));
        slots.release(a);
        assertEquals(a.id(), slots.acquire().id());
    }
}
