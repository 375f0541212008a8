package dev.uprobebench.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * The writers' schedule, on a clock that advances one nanosecond at each read, so that every wait
 * is a count of reads and nothing depends on real time.
 */
class PacerTest {
    static final long INTERVAL = 100;

    /** A clock that moves one tick per read; {@link #set} jumps it. */
    static final class TickingClock implements LongSupplier {
        long now;

        @Override
        public long getAsLong() {
            return now++;
        }

        void set(long t) {
            now = t;
        }
    }

    /** The clock's reads during one wait: 1 when the slot was due already. */
    static long readsDuring(Pacer p, TickingClock c) {
        long before = c.now;
        p.await();
        return c.now - before;
    }

    @Test
    void slotsComeOneIntervalApart() {
        TickingClock c = new TickingClock();
        Pacer p = new Pacer(INTERVAL, c);
        p.restart(); // deadline 1
        assertEquals(1, readsDuring(p, c), "the first slot is the restart itself");
        p.await();
        assertEquals(1 + INTERVAL + 1, c.now, "the second slot is one interval after the first");
        p.await();
        assertEquals(1 + 2 * INTERVAL + 1, c.now);
        assertEquals(INTERVAL, p.interval());
    }

    @Test
    void aWriterTenIntervalsBehindCatchesUpByTwoOperationsNotTen() {
        TickingClock c = new TickingClock();
        Pacer p = new Pacer(INTERVAL, c);
        p.restart();
        c.set(10 * INTERVAL);
        assertEquals(1, readsDuring(p, c), "the overdue slot");
        assertEquals(1, readsDuring(p, c), "one interval back: due");
        assertEquals(1, readsDuring(p, c), "due at the jump");
        long reads = readsDuring(p, c);
        assertTrue(reads > INTERVAL / 2, "then the schedule again, not a burst: " + reads + " reads");
    }

    @Test
    void noScheduleNeverReadsTheClockAndANegativeIntervalIsRefused() {
        TickingClock c = new TickingClock();
        Pacer p = new Pacer(0, c);
        long start = c.now;
        for (int i = 0; i < 1000; i++) {
            p.await();
        }
        assertEquals(start, c.now);
        assertThrows(IllegalArgumentException.class, () -> new Pacer(-1, c));
    }
}
