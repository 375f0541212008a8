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
}
