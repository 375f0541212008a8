package dev.uprobebench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A kernel row's flame graph says how much of it is the kernel's uprobe path, or why none is. */
class KernelFramesTest {
    private static final List<String> WITH = List.of(
            "java;KernelReader.hitBatch;loop;asm_exc_int3;exc_int3;uprobe_notify_resume;handle_swbp;find_active_uprobe 30",
            "java;KernelReader.hitBatch;loop 60",
            "java;Thread.run;__x64_sys_uprobe;uprobe_dispatcher 10",
            "malformed line");

    @Test
    void theSamplesThroughTheUprobePathAreCountedAndNamed() {
        assertEquals("kernel (int3): the kernel's uprobe path is in 40 of 100 samples of its flame graph "
                + "(__x64_sys_uprobe, asm_exc_int3, find_active_uprobe, handle_swbp, uprobe_dispatcher, "
                + "uprobe_notify_resume)", FlameGraphs.kernelFrames("kernel (int3)", WITH, "cpu", "0", true));
    }

    @Test
    void withoutThemTheReasonsAreGiven() {
        assertEquals("kernel (nop5): no frame of the kernel's uprobe path in its flame graph (60 samples): the "
                + "sampling event is itimer, not cpu (perf events); not root; kernel.kptr_restrict=1 hides kernel "
                + "symbols", FlameGraphs.kernelFrames("kernel (nop5)", List.of("java;loop 60"), "itimer", "1", false));
    }
}
