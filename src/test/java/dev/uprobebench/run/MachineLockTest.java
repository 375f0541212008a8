package dev.uprobebench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two runs at once on one machine: the second learns who the first is (its report says so), and nothing blocks. */
class MachineLockTest {
    @Test
    void aSecondRunLearnsWhoHoldsTheMachineAndTheLockIsFreeAfterwards(@TempDir Path dir) {
        Path file = dir.resolve("uprobe-bench.lock");
        try (MachineLock first = MachineLock.take(file, "pid 1, profile quick, started 20261206-090000")) {
            assertNull(first.otherRun());
            try (MachineLock second = MachineLock.take(file, "pid 2, profile vma, started 20261206-090100")) {
                assertEquals("pid 1, profile quick, started 20261206-090000", second.otherRun());
            }
        }
        try (MachineLock again = MachineLock.take(file, "pid 3, profile quick, started 20261206-090200")) {
            assertNull(again.otherRun(), "released when the first run ended");
        }
    }

    /** A lock that cannot be taken at all (no such directory) is no lock: the run goes on, unlabelled. */
    @Test
    void aLockThatCannotBeTakenStopsNothing(@TempDir Path dir) {
        try (MachineLock none = MachineLock.take(dir.resolve("missing").resolve("x.lock"), "pid 4")) {
            assertNull(none.otherRun());
        }
    }
}
