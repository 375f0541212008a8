package dev.uprobebench.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uprobebench.host.ProbeTargets.Function;
import dev.uprobebench.host.ProbeTargets.Trap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The FFM layer against the real kernel: registration, exact counts, errors, released resources. */
class UprobeEventTest {
    static final int N = 2_000;
    static UprobePmu pmu;

    @BeforeAll
    static void realUprobes() {
        pmu = RealUprobes.require();
    }

    static ProbeTargets targets(Trap... traps) throws IOException {
        return ProbeTargets.create(RealUprobes.scratch(), List.of(traps));
    }

    static UprobeEvent probe(Function f, boolean retprobe) {
        UprobeEvent e = UprobeEvent.forThisThread(pmu, f.file(), f.offset(), retprobe);
        e.enable();
        return e;
    }

    @ParameterizedTest
    @EnumSource(Trap.class)
    void aRegisteredProbeCountsEveryHitExactlyOnce(Trap trap) throws IOException {
        try (ProbeTargets t = targets(trap); UprobeEvent e = probe(t.function(0), false)) {
            t.function(0).callMany(N);
            for (int i = 0; i < 10; i++) {
                t.function(0).call();
            }
            assertEquals(N + 10, e.count());
        }
    }

    @ParameterizedTest
    @EnumSource(Trap.class)
    void aDisabledProbeCountsNoMoreAndAnUnregisteredOneLeavesNothingBehind(Trap trap) throws IOException {
        try (ProbeTargets t = targets(trap)) {
            Function f = t.function(0);
            try (UprobeEvent e = probe(f, false)) {
                f.callMany(N);
                e.disable();
                f.callMany(N);
                assertEquals(N, e.count(), "hits after PERF_EVENT_IOC_DISABLE");
            }
            f.callMany(N); // unregistered: the kernel has no consumer here any more
            try (UprobeEvent again = probe(f, false)) {
                assertEquals(0, again.count(), "a new registration starts from nothing");
                f.callMany(7);
                assertEquals(7, again.count());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Trap.class)
    void aReturnProbeCountsReturns(Trap trap) throws IOException {
        try (ProbeTargets t = targets(trap); UprobeEvent ret = probe(t.function(0), true)) {
            t.function(0).callMany(N);
            t.function(0).call();
            assertEquals(N + 1, ret.count());
        }
    }

    @Test
    void twoProbesOnTwoFunctionsCountSeparately() throws IOException {
        try (ProbeTargets t = targets(Trap.NOP5, Trap.INT3);
                UprobeEvent a = probe(t.function(0), false);
                UprobeEvent b = probe(t.function(1), false)) {
            t.function(0).callMany(N);
            t.function(1).callMany(3);
            assertEquals(N, a.count());
            assertEquals(3, b.count());
        }
    }

    @Test
    void aThreadsEventCountsOnlyThatThreadsHits() throws Exception {
        try (ProbeTargets t = targets(Trap.NOP5); UprobeEvent mine = probe(t.function(0), false)) {
            Thread other = Thread.ofPlatform().start(() -> t.function(0).callMany(N));
            other.join();
            t.function(0).callMany(5);
            assertEquals(5, mine.count());
        }
    }

    @Test
    void aPathThatDoesNotExistIsANamedError() {
        Path missing = RealUprobes.scratch().resolve("no-such-target.bin");
        HostCallException e = assertThrows(HostCallException.class,
                () -> UprobeEvent.forThisThread(pmu, missing, 32, false));
        assertTrue(e.getMessage().startsWith("perf_event_open(uprobe"), e.getMessage());
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("No such file"), e.getMessage());
    }

    @Test
    void anOffsetPastTheFileIsANamedError() throws IOException {
        try (ProbeTargets t = targets(Trap.NOP5)) {
            long past = Files.size(t.file()) + 4096;
            HostCallException e = assertThrows(HostCallException.class,
                    () -> UprobeEvent.forThisThread(pmu, t.file(), past, false));
            assertTrue(e.getMessage().contains("offset=" + past), e.getMessage());
            assertEquals(22, e.errno(), e.getMessage()); // EINVAL
        }
    }

    @Test
    void descriptorsAndMappingsAreReleased() throws IOException {
        long fds = openDescriptors();
        Path file;
        try (ProbeTargets t = targets(Trap.NOP5, Trap.INT3);
                UprobeEvent a = probe(t.function(0), false);
                UprobeEvent r = probe(t.function(1), true)) {
            file = t.file();
            t.function(0).callMany(10);
            assertEquals(fds + 2, openDescriptors(), "two events, and no descriptor left by the mapping");
            assertTrue(mapped(file));
        }
        assertEquals(fds, openDescriptors());
        assertFalse(mapped(file), "the probe targets are unmapped on close");
        assertFalse(Files.exists(file), "the probe-target file is removed on close");
    }

    @Test
    void aClosedEventCannotBeRead() throws IOException {
        try (ProbeTargets t = targets(Trap.INT3)) {
            UprobeEvent e = probe(t.function(0), false);
            e.close();
            e.close();
            assertThrows(IllegalStateException.class, e::count);
        }
    }

    static long openDescriptors() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    static boolean mapped(Path file) throws IOException {
        return Files.readString(Path.of("/proc/self/maps")).contains(file.getFileName().toString());
    }
}
