package dev.uprobebench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uprobebench.registry.Backend;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The command line's exit codes and one-line errors. */
class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void tortureOfTheNegativeControlExitsThree() {
        assertEquals(Main.VIOLATIONS, run("torture", "seqcount-rcu-rfc", "--seconds", "3", "--readers", "1",
                "--writers", "1"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("INVALID"));
    }

    @Test
    void tortureOfASafeBackEndExitsZero() {
        assertEquals(Main.OK, run("torture", "srcu", "--seconds", "1", "--readers", "1"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("clean"));
    }

    @Test
    void tortureWithInterleavedKeysExitsZeroAndSaysSo() {
        assertEquals(Main.OK, run("torture", "percpu-ref", "--seconds", "1", "--readers", "1", "--key-layout",
                "interleaved"));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("1 s, interleaved keys") && text.contains("clean"), text);
        assertEquals(Main.USAGE, run("torture", "srcu", "--key-layout", "mixed"));
        assertTrue(err().contains("--key-layout") && err().contains("separate, interleaved"), err());
    }

    @Test
    void tortureThroughTheSpeculativeVmaLookupExitsZeroAndReportsFallbacks() {
        assertEquals(Main.OK, run("torture", "seqcount-rcu", "--seconds", "1", "--readers", "1", "--vma", "speculative"));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("VMA lookup speculative, 1 address-space writer") && text.contains("fallbacks")
                && text.contains("stale-vma       0") && text.contains("clean"), text);
        assertEquals(Main.USAGE, run("torture", "srcu", "--vma", "maple"));
        assertTrue(err().contains("none, mmap-lock, speculative"), err());
        assertEquals(Main.USAGE, run("torture", "srcu", "--mm-writers", "1"));
        assertTrue(err().contains("--vma mmap-lock"), err());
    }

    @Test
    void usageErrorsExitTwoWithOneLineNamingTheChoices() {
        assertEquals(Main.USAGE, run("torture", "mutex"));
        assertTrue(err().contains(Backend.names()), err());
        assertEquals(Main.USAGE, run("torture", "unsync", "--writers", "1"));
        assertEquals(Main.USAGE, run("torture", "srcu", "--seconds", "soon"));
        assertEquals(Main.USAGE, run("nosuchprofile"));
        assertEquals(Main.USAGE, run("quick", "--set", "readers=100000"));
        assertEquals(Main.USAGE, run("quick", "--bogus"));
        for (String line : err().trim().split("\n")) {
            assertTrue(line.startsWith("error: "), line);
        }
    }

    @Test
    void dryRunListsTheConfigurationsWithoutRunningThem() {
        assertEquals(Main.OK, run("quick", "--dry-run", "--set", "backends=rwlock,srcu"));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("6 configurations x 5 rounds (+ latency in 1), 36 forks, about"), text);
        assertTrue(text.contains("rwlock_r1_w0_churn-0_s1024_uniform_h0: -tg 1,0,0 -p backend=rwlock")
                && text.contains("srcu_r1_w1_churn-max_s1024_uniform_h0: -tg 1,1,0 -p backend=srcu"), text);
        assertTrue(text.contains("\nround 1 (with latency): [") && text.contains("\nround 5: ["), text);
        assertTrue(text.contains("every fork: -wi 2 -w 200ms -i 3 -r 200ms -f 1"), text);
    }

    @Test
    void listShowsEveryBackEndAndWhetherItIsSafe() {
        assertEquals(Main.OK, run("list"));
        String text = out.toString(StandardCharsets.UTF_8);
        for (Backend b : Backend.values()) {
            assertTrue(text.contains(b.cliName()), b.cliName());
        }
        assertTrue(text.contains("UNSAFE"));
        assertTrue(text.contains("percpu-rwsem       safe   [proposed (2024), not merged]"), text);
        assertTrue(text.contains("quick") && text.contains("[default]"));
        // the host kernel, as a reference, with the host's version and whether it can run here
        assertTrue(text.contains("  kernel ") && text.contains("Linux " + System.getProperty("os.version"))
                && text.contains("real uprobes "), text);
    }
}
