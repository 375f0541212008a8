package dev.uprobebench.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.uprobebench.host.ProbeTargets.Trap;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The probe-target file: its layout, and its functions called unprobed. */
class ProbeTargetsTest {
    @Test
    void eachTargetStartsWithItsTrapsInstructionAtItsSlot() {
        byte[] code = ProbeTargets.code(List.of(Trap.NOP5, Trap.INT3, Trap.NOP5));
        assertEquals(4096, code.length, "page-rounded");
        assertArrayEquals(new byte[] {0x0f, 0x1f, 0x44, 0x00, 0x00, (byte) 0xc3},
                Arrays.copyOfRange(code, ProbeTargets.FIRST, ProbeTargets.FIRST + 6));
        assertArrayEquals(new byte[] {0x55, 0x5d, (byte) 0xc3},
                Arrays.copyOfRange(code, ProbeTargets.FIRST + ProbeTargets.SLOT, ProbeTargets.FIRST + ProbeTargets.SLOT + 3));
        assertEquals((byte) 0xcc, code[ProbeTargets.FIRST + 6], "padding traps");
        assertEquals(0x55, code[0], "the loop at offset 0 saves %rbp first");
    }

    @Test
    void manyTargetsSpanPages() {
        assertEquals(8192, ProbeTargets.code(java.util.Collections.nCopies(300, Trap.INT3)).length);
    }

    @Test
    void unprobedFunctionsRunAndAClosedMappingRefusesCalls() throws IOException {
        Assumptions.assumeTrue(Syscalls.isX86_64(), "x86-64 machine code");
        ProbeTargets t = ProbeTargets.create(RealUprobes.scratch(), List.of(Trap.INT3, Trap.NOP5));
        t.function(0).call();
        t.function(1).callMany(1_000);
        t.function(1).callMany(0);
        assertEquals(ProbeTargets.FIRST + ProbeTargets.SLOT, t.function(1).offset());
        t.close();
        assertThrows(IllegalStateException.class, () -> t.function(0).call());
        assertThrows(IllegalStateException.class, () -> t.function(1).callMany(1));
    }

    @Test
    void noTargetsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ProbeTargets.create(RealUprobes.scratch(), List.of()));
    }
}
