package dev.uprobebench.sync;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sections' own invariants, asserted in the primitives under {@code -ea} (tests run with it;
 * benchmark forks do not, so the checks cost nothing there): an unlock with no lock before it, a
 * write section begun twice or ended without a beginning, an SRCU index that no lock returned.
 */
class ReadSideAssertionsTest {
    @BeforeAll
    static void assertionsAreOn() {
        boolean on = false;
        assert on = true;
        assertTrue(on, "these tests need -ea (surefire's default)");
    }

    @Test
    void anRcuReadUnlockOutsideAnySectionIsCaught() {
        Rcu rcu = Rcu.create(RcuFlavour.MEMB, 2);
        rcu.readLock(0);
        rcu.readLock(0);
        rcu.readUnlock(0);
        assertDoesNotThrow(() -> rcu.readUnlock(0), "nested sections balance");
        AssertionError e = assertThrows(AssertionError.class, () -> rcu.readUnlock(0));
        assertTrue(e.getMessage().contains("outside any read section"), e.getMessage());
        rcu.close();
    }

    @Test
    void aSeqcountWriteSectionMustBeginOnceAndEndOnce() {
        SeqCount s = new SeqCount();
        assertThrows(AssertionError.class, s::writeEnd, "an end with no beginning");
        s.writeBegin();
        assertThrows(AssertionError.class, s::writeBegin, "a beginning inside a section");
        assertDoesNotThrow(s::writeEnd);
    }

    @Test
    void anSrcuUnlockWithAnIndexNoLockReturnedIsCaught() {
        Srcu srcu = new Srcu(2);
        int idx = srcu.readLock(0);
        assertThrows(AssertionError.class, () -> srcu.readUnlock(0, 2));
        assertDoesNotThrow(() -> srcu.readUnlock(0, idx));
        srcu.close();
    }

    @Test
    void anRwlockReadUnlockWithNoReaderIsCaught() {
        RwSpinLock lock = new RwSpinLock();
        lock.readLock();
        assertDoesNotThrow(lock::readUnlock);
        assertThrows(AssertionError.class, lock::readUnlock);
    }

    /** The fast up/down read side belongs to a fast domain only: on a fenced one no grace period covers it. */
    @Test
    void theFastReadSideOnAFencedDomainIsCaught() {
        Srcu fenced = new Srcu(2);
        AssertionError e = assertThrows(AssertionError.class, () -> fenced.readLockFast(0));
        assertTrue(e.getMessage().contains("on a fenced domain"), e.getMessage());
        assertThrows(AssertionError.class, () -> fenced.readUnlockFast(0, 0));
        Srcu fast = Srcu.fastUpDown(2, () -> { });
        int idx = fast.readLockFast(0);
        assertDoesNotThrow(() -> fast.readUnlockFast(1, idx), "unlocked on another slot, as a migrated task does");
        fenced.close();
        fast.close();
    }
}
