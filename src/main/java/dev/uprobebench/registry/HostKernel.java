package dev.uprobebench.registry;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The host kernel's own uprobes as the rest of the harness sees them (DESIGN.md section 10): a
 * reference beside the model, implemented in {@code dev.uprobebench.host} with
 * {@code java.lang.foreign}. That package is compiled for Java 25 and everything else for 17 (the
 * model checks run on 17), so the two meet only here, through {@link ServiceLoader}: this side never
 * names a class of that one, and on a JVM older than 25 {@link #load()} returns a host that says
 * why it cannot be used instead of failing to link.
 */
public interface HostKernel {
    /**
     * What a trial on this host found.
     *
     * @param usable    real uprobes register, count exactly and unregister here
     * @param summary   one line: usable with the nop5 path, or why not
     * @param nop5Path  {@code optimised} (the uprobe trampoline was mapped after nop5 hits),
     *                  {@code trapped}, or {@code unknown}
     * @param trapCosts the measured cost of a hit per trap kind, when usable (else empty)
     */
    record Capability(boolean usable, String summary, String nop5Path, List<TrapCost> trapCosts) {
        public static Capability unusable(String why) {
            return new Capability(false, "real uprobes not usable: " + why, "unknown", List.of());
        }
    }

    /**
     * A hit's cost on the host: a probed call minus the same call unprobed, both made from a
     * native loop, in nanoseconds per hit over {@code repetitions} timed batches.
     *
     * @param trap       {@code int3} or {@code nop5}
     * @param medianNs   the median over the batches
     * @param minNs      the fastest batch
     * @param maxNs      the slowest batch
     * @param unprobedNs the median cost of the unprobed call itself
     */
    record TrapCost(String trap, double medianNs, double minNs, double maxNs, double unprobedNs, int repetitions,
            long hitsPerRepetition) {
        public String format() {
            return String.format(Locale.ROOT, "%s %.0f ns/hit (%.0f..%.0f over %d batches of %d; unprobed call %.1f ns)",
                    trap, medianNs, minNs, maxNs, repetitions, hitsPerRepetition, unprobedNs);
        }
    }

    /** Tries real uprobes here, with probe-target files in {@code scratch}; never throws. */
    Capability check(Path scratch);

    /** The host layer, or a stand-in that says why there is none on this JVM. */
    static HostKernel load() {
        int feature = Runtime.version().feature();
        if (feature < 25) {
            return scratch -> Capability.unusable("this JVM is Java " + feature
                    + "; the host layer needs Java 25 (java.lang.foreign): run through ./run-bench.sh, which finds one");
        }
        try {
            return ServiceLoader.load(HostKernel.class).findFirst().orElseGet(() -> scratch -> Capability.unusable(
                    "the host layer (dev.uprobebench.host) is not on the class path"));
        } catch (ServiceConfigurationError | LinkageError e) {
            return scratch -> Capability.unusable("the host layer failed to load: " + e.getMessage());
        }
    }
}
