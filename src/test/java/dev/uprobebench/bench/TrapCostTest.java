package dev.uprobebench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The trap-cost key's values, and the calibration's arithmetic (not its speed: that is the machine's). */
class TrapCostTest {
    @Test
    void namedAndNumericCostsParseAndBadOnesAreRefused() {
        assertEquals(0, TrapCost.parse("none"));
        assertEquals(300, TrapCost.parse("int3"));
        assertEquals(140, TrapCost.parse("nop5"));
        assertEquals(250, TrapCost.parse("250ns"));
        assertEquals(-1, TrapCost.parse("250"));
        assertEquals(-1, TrapCost.parse("-5ns"));
        assertEquals(-1, TrapCost.parse("2000000ns"));
        assertEquals(-1, TrapCost.parse("slow"));
    }

    @Test
    void tokensScaleWithTheAskedCostAndNeverRoundAPositiveCostToNothing() {
        assertEquals(0, TrapCost.tokensFor(0, 0.5));
        assertEquals(600, TrapCost.tokensFor(300, 0.5));
        assertEquals(1, TrapCost.tokensFor(1, 50));
        double perToken = TrapCost.nanosPerToken();
        assertTrue(perToken > 0 && Double.isFinite(perToken), "ns per token: " + perToken);
        assertTrue(TrapCost.measure(TrapCost.tokensFor(300, perToken)) > 0);
    }
}
