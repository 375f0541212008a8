package dev.uprobebench.pin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuTopologyTest {
    @TempDir
    Path tmp;

    private static List<Integer> ids(List<LogicalCpu> cpus) {
        return cpus.stream().map(LogicalCpu::id).collect(Collectors.toList());
    }

    @Test
    void cpuListsWithRangesAndSinglesParse() {
        assertEquals(List.of(0, 1, 2, 3, 8, 10, 11), CpuTopology.parseList("0-3,8,10-11"));
        assertEquals(List.of(), CpuTopology.parseList(""));
    }

    @Test
    void twoSocketSmtMachineHasOnePrimaryPerCoreOrderedBySocket() throws IOException {
        CpuTopology t = CpuTopology.read(FakeSysfs.twoSocketSmt(tmp));
        assertEquals(16, t.logicalCpus());
        assertEquals(8, t.physicalCores());
        assertEquals(2, t.packages());
        assertTrue(t.smt());
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), ids(t.primaries()));
        assertEquals(List.of(8, 9, 10, 11, 12, 13, 14, 15), ids(t.secondaries()));
        assertEquals(1, t.cpu(13).pkg());
        assertEquals(1, t.cpu(13).core());
    }

    @Test
    void twoCoreMachineWithoutSmt() throws IOException {
        CpuTopology t = CpuTopology.read(FakeSysfs.twoCores(tmp));
        assertEquals(2, t.physicalCores());
        assertFalse(t.smt());
        assertEquals(List.of(), t.secondaries());
    }

    @Test
    void offlineSiblingsAreIgnored() throws IOException {
        FakeSysfs.twoSocketSmt(tmp);
        java.nio.file.Files.writeString(tmp.resolve("online"), "0-7\n"); // SMT switched off
        CpuTopology t = CpuTopology.read(tmp);
        assertEquals(8, t.physicalCores());
        assertFalse(t.smt());
    }

    @Test
    void missingTreeIsAClearError() {
        Exception e = assertThrows(RuntimeException.class, () -> CpuTopology.read(tmp.resolve("nope")));
        assertTrue(e.getMessage().contains("cannot read the CPU topology"), e.getMessage());
    }
}
