package dev.uprobebench.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LostHitCheckTest {
    @Test
    void lostAndExtraAreTakenProbeByProbeNotFromTheTotals() {
        // 3 calls lost on one probe and 3 extra on the other: the totals agree, the check does not
        LostHitCheck c = LostHitCheck.of(new long[] {10, 5}, new long[] {7, 8});
        assertEquals(new LostHitCheck(15, 15, 3, 3), c);
        assertTrue(!c.exact());
    }

    @Test
    void exactCountsAndSums() {
        LostHitCheck a = LostHitCheck.of(new long[] {4}, new long[] {4});
        assertTrue(a.exact());
        assertEquals(new LostHitCheck(5, 4, 1, 0), a.plus(LostHitCheck.of(new long[] {1}, new long[] {0})));
        assertThrows(IllegalArgumentException.class, () -> LostHitCheck.of(new long[1], new long[2]));
    }
}
