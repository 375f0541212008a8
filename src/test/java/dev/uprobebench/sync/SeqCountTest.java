package dev.uprobebench.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SeqCountTest {
    @Test
    void readWithNoWriterNeedsNoRetry() {
        SeqCount s = new SeqCount();
        long seq = s.begin();
        assertFalse(s.retry(seq));
    }

    @Test
    void writerSectionDuringTheReadForcesARetry() {
        SeqCount s = new SeqCount();
        long seq = s.begin();
        s.writeBegin();
        s.writeEnd();
        assertTrue(s.retry(seq));
        assertFalse(s.retry(s.begin()));
    }

    @Test
    void rawBeginInsideAWriterSectionAlwaysRetries() {
        SeqCount s = new SeqCount();
        s.writeBegin();
        long seq = s.beginRaw();
        assertEquals(0, seq & 1);
        assertTrue(s.retry(seq));
        s.writeEnd();
        assertTrue(s.retry(seq), "the writer ran during the read");
    }

    @Test
    void eachWriterSectionAddsTwoAndTheCountIsOddInside() {
        SeqCount s = new SeqCount();
        for (int i = 1; i <= 3; i++) {
            s.writeBegin();
            assertEquals(2L * i - 1, s.valueOpaque(), "odd while the writer is inside");
            s.writeEnd();
            assertEquals(2L * i, s.valueOpaque());
        }
        assertEquals(6, s.begin());
        assertEquals(6, s.beginRaw(), "raw begin outside a section is the count itself");
        assertFalse(s.retry(s.beginRaw()));
    }

    @Test
    void beginWaitsForTheWriterToLeave() throws InterruptedException {
        SeqCount s = new SeqCount();
        s.writeBegin();
        long[] seen = {-1};
        Thread reader = new Thread(() -> seen[0] = s.begin());
        reader.start();
        reader.join(50); // bounded: the reader must still be waiting while the count is odd
        assertTrue(reader.isAlive(), "begin() returned inside a writer section");
        s.writeEnd();
        reader.join(10_000);
        assertFalse(reader.isAlive());
        assertEquals(2, seen[0]);
    }
}
