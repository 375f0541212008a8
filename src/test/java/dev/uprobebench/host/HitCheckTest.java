package dev.uprobebench.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HitCheckTest {
    @Test
    void lostAndExtraAreTakenProbeByProbeNotFromTheTotals() {
        // 3 calls lost on one probe and 3 extra on the other: the totals agree, the check does not
        HitCheck c = HitCheck.of(new long[] {10, 5}, new long[] {7, 8});
        assertEquals(new HitCheck(15, 15, 3, 3), c);
        assertTrue(!c.exact());
    }

    @Test
    void exactCountsAndSums() {
        HitCheck a = HitCheck.of(new long[] {4}, new long[] {4});
        assertTrue(a.exact());
        assertEquals(new HitCheck(5, 4, 1, 0), a.plus(HitCheck.of(new long[] {1}, new long[] {0})));
        assertThrows(IllegalArgumentException.class, () -> HitCheck.of(new long[1], new long[2]));
    }
}
