package dev.uprobebench.pin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PinningPlanTest {
    @TempDir
    Path tmp;

    @Test
    void physicalPolicyPlacesReadersThenWritersOnDistinctCores() throws IOException {
        CpuTopology t = CpuTopology.read(FakeSysfs.twoSocketSmt(tmp));
        PinningPlan p = PinningPlan.plan(t, PinPolicy.PHYSICAL, 6, 2);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, p.readerCpus());
        assertArrayEquals(new int[] {6, 7}, p.writerCpus());
        assertEquals(7, p.cpuFor("writer", 1));
    }

    @Test
    void physicalPolicyRefusesMoreThreadsThanCoresAndNamesTheLimit() throws IOException {
        CpuTopology t = CpuTopology.read(FakeSysfs.twoSocketSmt(tmp));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PinningPlan.plan(t, PinPolicy.PHYSICAL, 8, 1));
        assertTrue(e.getMessage().contains("at most 8"), e.getMessage());
        assertTrue(e.getMessage().contains("pinning=smt"), e.getMessage());
    }

    @Test
    void smtPolicyUsesSiblingsAfterEveryCore() throws IOException {
        CpuTopology t = CpuTopology.read(FakeSysfs.twoSocketSmt(tmp));
        PinningPlan p = PinningPlan.plan(t, PinPolicy.SMT, 9, 1);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8}, p.readerCpus());
        assertArrayEquals(new int[] {9}, p.writerCpus());
        assertThrows(IllegalArgumentException.class, () -> PinningPlan.plan(t, PinPolicy.SMT, 16, 1));
    }

    @Test
    void twoCoreMachineFitsOneReaderAndOneWriterButNotThreeThreads() throws IOException {
        CpuTopology t = CpuTopology.read(FakeSysfs.twoCores(tmp));
        PinningPlan p = PinningPlan.plan(t, PinPolicy.PHYSICAL, 1, 1);
        assertArrayEquals(new int[] {0}, p.readerCpus());
        assertArrayEquals(new int[] {1}, p.writerCpus());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PinningPlan.plan(t, PinPolicy.PHYSICAL, 2, 1));
        assertTrue(e.getMessage().contains("3 threads"), e.getMessage());
    }

    @Test
    void noPinningAllowsOversubscriptionAndPinsNothing() throws IOException {
        CpuTopology t = CpuTopology.read(FakeSysfs.twoCores(tmp));
        PinningPlan p = PinningPlan.plan(t, PinPolicy.NONE, 4, 2);
        assertFalse(p.pinned());
        assertEquals(-1, p.cpuFor("reader", 0));
    }

    @Test
    void planSurvivesItsSystemPropertyForm() throws IOException {
        CpuTopology t = CpuTopology.read(FakeSysfs.twoSocketSmt(tmp));
        PinningPlan p = PinningPlan.plan(t, PinPolicy.PHYSICAL, 3, 1);
        assertEquals(p, PinningPlan.decode(p.encode()));
        assertThrows(IllegalArgumentException.class, () -> PinningPlan.decode("physical;0,1"));
    }

    @Test
    void unknownPolicyNamesTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PinPolicy.byName("cores"));
        assertTrue(e.getMessage().contains("physical, smt, none"), e.getMessage());
    }
}
