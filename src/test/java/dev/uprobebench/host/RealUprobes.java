package dev.uprobebench.host;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The host's capability, checked once per test JVM. Tests that need real uprobes skip with the
 * reason where the host lacks them, and fail where it claims everything needed (x86-64, the
 * uprobe PMU, root or CAP_PERFMON) and still cannot: on such a host a skip would hide a defect.
 */
final class RealUprobes {
    private static HostCapability capability;

    private RealUprobes() {
    }

    static synchronized HostCapability capability() {
        if (capability == null) {
            capability = HostCapability.check(scratch());
        }
        return capability;
    }

    /** The PMU, when real uprobes work here; otherwise the test skips or fails as above. */
    static UprobePmu require() {
        HostCapability c = capability();
        if (!c.usable()) {
            if (c.shouldBeUsable()) {
                fail("this host has the uprobe PMU, x86-64 and privilege, yet " + c.summary());
            }
            Assumptions.abort(c.summary());
        }
        try {
            return UprobePmu.ofThisHost();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A directory for probe-target files, inside the build's output. */
    static Path scratch() {
        try {
            return Files.createDirectories(Path.of("target", "host-scratch"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
