package dev.uprobebench.workload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uprobebench.workload.KeySequence.Distribution;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class KeySequenceTest {
    private static final int N = 1 << 16;

    private static int[] counts(int[] keys, int stable) {
        int[] c = new int[stable];
        for (int k : keys) {
            if (k >= 0) {
                c[k]++;
            }
        }
        return c;
    }

    @Test
    void uniformKeysStayInTheStableSetAndCoverIt() {
        int[] keys = KeySequence.draw(N, 1024, 0, 0, Distribution.UNIFORM, 0.99, 1).keys();
        assertTrue(Arrays.stream(keys).allMatch(k -> k >= 0 && k < 1024));
        int[] c = counts(keys, 1024);
        assertTrue(Arrays.stream(c).allMatch(x -> x > 20 && x < 110), "about 64 draws per key");
    }

    @Test
    void churnFractionAimsThatShareOfReadsAtChurnKeys() {
        int[] keys = KeySequence.draw(N, 1024, 8, 0.25, Distribution.UNIFORM, 0.99, 2).keys();
        long churn = Arrays.stream(keys).filter(k -> k < 0).count();
        assertEquals(0.25, churn / (double) N, 0.01);
        assertTrue(Arrays.stream(keys).filter(k -> k < 0).allMatch(k -> -1 - k < 8));
    }

    @Test
    void zipfConcentratesHitsOnAFewScatteredKeys() {
        int[] c = counts(KeySequence.draw(N, 1024, 0, 0, Distribution.ZIPF, 0.99, 3).keys(), 1024);
        int[] sorted = Arrays.stream(c).sorted().toArray();
        int top = sorted[sorted.length - 1];
        assertTrue(top > 20 * (N / 1024), "the hottest key gets far more than a uniform share: " + top);
        int hottest = 0;
        for (int i = 0; i < c.length; i++) {
            if (c[i] == top) {
                hottest = i;
            }
        }
        assertTrue(hottest != 0, "ranks are permuted, not the leftmost keys");
    }

    @Test
    void theSameSeedDrawsTheSameSequence() {
        assertArrayEquals(KeySequence.draw(1024, 100, 4, 0.1, Distribution.ZIPF, 0.99, 7).keys(),
                KeySequence.draw(1024, 100, 4, 0.1, Distribution.ZIPF, 0.99, 7).keys());
    }

    @Test
    void lengthMustBeAPowerOfTwoAndTheNextKeyCycles() {
        assertThrows(IllegalArgumentException.class,
                () -> KeySequence.draw(1000, 10, 0, 0, Distribution.UNIFORM, 1, 1));
        KeySequence s = KeySequence.draw(4, 10, 0, 0, Distribution.UNIFORM, 1, 0);
        int[] first = {s.next(), s.next(), s.next(), s.next()};
        assertArrayEquals(first, new int[] {s.next(), s.next(), s.next(), s.next()});
        assertEquals(1 << 22, KeySequence.lengthFor(1 << 24));
        assertEquals(1 << 18, KeySequence.lengthFor(1 << 16));
    }
}
