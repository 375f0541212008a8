package dev.uprobebench.uret;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReturnProbeConfigTest {
    @Test
    void aDurationIsHitsOrATime() {
        assertArrayEquals(new long[] {0, -1}, ReturnProbeConfig.parseDuration("0"));
        assertArrayEquals(new long[] {16, -1}, ReturnProbeConfig.parseDuration("16"));
        assertArrayEquals(new long[] {-1, 200_000}, ReturnProbeConfig.parseDuration("200us"));
        assertArrayEquals(new long[] {-1, 2_000_000}, ReturnProbeConfig.parseDuration("2ms"));
        assertArrayEquals(new long[] {-1, 500}, ReturnProbeConfig.parseDuration("500ns"));
        for (String bad : new String[] {"", "-1", "0ms", "2s", "x", null}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ReturnProbeConfig.parseDuration(bad));
            assertTrue(e.getMessage().contains("200us"), e.getMessage());
        }
    }

    @Test
    void theDefaultsAreTheKernelsAndTrigUretprobeNop() {
        ReturnProbeConfig c = ReturnProbeConfig.of(Lifetime.HPROBE);
        assertEquals(64, c.maxDepth());
        assertEquals(100_000_000L, c.timeoutNanos());
        assertEquals("0", c.durationLabel());
        assertTrue(c.riPool());
        assertTrue(c.isReturnProbe(0) && c.isReturnProbe(999) && c.isReturnProbe(123_456));
        assertEquals("200ms", c.withDuration("200ms").durationLabel());
        assertEquals("16", c.withDuration("16").durationLabel());
    }

    @Test
    void aShareMakesThatManyKeysInAThousandReturnProbes() {
        ReturnProbeConfig c = ReturnProbeConfig.of(Lifetime.REFCOUNT).withShare(0.25);
        int n = 0;
        for (long k = 0; k < 4000; k++) {
            n += c.isReturnProbe(k) ? 1 : 0;
        }
        assertEquals(1000, n);
        assertFalse(ReturnProbeConfig.of(Lifetime.REFCOUNT).withShare(0).isReturnProbe(0));
    }

    @Test
    void badValuesNameTheChoices() {
        ReturnProbeConfig c = ReturnProbeConfig.of(Lifetime.HPROBE);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> c.withShare(1.5)).getMessage().contains("[0, 1]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> c.withDepth(0)).getMessage().contains(">= 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> c.withTimeout("16")).getMessage()
                .contains("100ms"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> c.withRiAlloc("slab")).getMessage()
                .contains("pool, rcu-free, alloc"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Lifetime.byName("rcu")).getMessage()
                .contains("refcount, hprobe, srcu-updown"));
    }
}
