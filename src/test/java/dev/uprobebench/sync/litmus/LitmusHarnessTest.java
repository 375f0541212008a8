package dev.uprobebench.sync.litmus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The harness itself: it counts what it is told to, and every batch starts from cleared variables. */
class LitmusHarnessTest {
    @Test
    void countsEveryIterationWhoseOutcomeIsForbidden() {
        Litmus.Result r = Litmus.run(3, 100, (x, y, at) -> 1, (x, y, at) -> at / Litmus.STRIDE % 2,
                (left, right) -> left == 1 && right == 1);
        assertEquals(300, r.iterations());
        assertEquals(150, r.forbidden(), "odd iterations only");
    }

    @Test
    void everyBatchStartsFromClearedVariables() {
        // Each side reads its variable before setting it: a value left over from the previous
        // batch would show as a 1.
        Litmus.Result r = Litmus.run(50, 64, (x, y, at) -> {
            long old = (long) Litmus.AA.getOpaque(x, at);
            Litmus.AA.setOpaque(x, at, 1L);
            return old;
        }, (x, y, at) -> {
            long old = (long) Litmus.AA.getOpaque(y, at);
            Litmus.AA.setOpaque(y, at, 1L);
            return old;
        }, (left, right) -> left != 0 || right != 0);
        assertEquals(0, r.forbidden(), r.toString());
    }

    @Test
    void theSidesSeeEachOthersStoresOfTheSameBatch() {
        // The right side spins until the left side's store of its iteration is visible: the
        // harness must run them concurrently within a batch, or this would never finish.
        Litmus.Result r = Litmus.run(20, 16, (x, y, at) -> {
            Litmus.AA.setRelease(x, at, 7L);
            return 0;
        }, (x, y, at) -> {
            long v;
            while ((v = (long) Litmus.AA.getAcquire(x, at)) == 0) {
                Thread.onSpinWait();
            }
            return v;
        }, (left, right) -> right != 7);
        assertEquals(0, r.forbidden());
    }
}
