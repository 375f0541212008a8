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

    /**
     * A {@code kernel} workload: {@code stable} probe targets the readers hit and {@code spare}
     * ones the churn writer registers and unregisters, all of one trap kind.
     *
     * @param trap   {@code int3} (an ordinary first instruction) or {@code nop5} (the 5-byte nop
     *               Linux 6.18+ optimises into a call to the uprobe trampoline)
     * @param probe  {@code uprobe}, {@code uretprobe} (the same PMU with the retprobe bit: counts
     *               returns), or {@code none}: the same calls unprobed, the null baseline
     * @param attach {@code thread}: one perf event per reader thread on each stable probe (N
     *               readers, N consumers on each uprobe; each count a reader's own), or
     *               {@code shared}: one tracefs-defined probe per stable target, counted by one
     *               event per CPU (one consumer, as the kernel's own bench attaches one BPF link)
     * @param stable probe targets the readers hit, each probed for the whole run
     * @param spare  probe targets for the churn writer
     */
    record WorkloadSpec(String trap, String probe, String attach, int stable, int spare) {
        public static final List<String> TRAPS = List.of("int3", "nop5");
        public static final List<String> PROBES = List.of("uprobe", "uretprobe", "none");
        public static final List<String> ATTACH = List.of("thread", "shared");

        public WorkloadSpec {
            if (!TRAPS.contains(trap)) {
                throw new IllegalArgumentException("unknown trap '" + trap + "'; valid: " + String.join(", ", TRAPS));
            }
            if (!PROBES.contains(probe)) {
                throw new IllegalArgumentException("unknown probe '" + probe + "'; valid: " + String.join(", ", PROBES));
            }
            if (!ATTACH.contains(attach)) {
                throw new IllegalArgumentException("unknown attach '" + attach + "'; valid: " + String.join(", ", ATTACH));
            }
            if (stable < 1 || spare < 0) {
                throw new IllegalArgumentException("stable must be >= 1 and spare >= 0, got " + stable + ", " + spare);
            }
        }

        public boolean probed() {
            return !probe.equals("none");
        }

        public boolean retprobe() {
            return probe.equals("uretprobe");
        }

        /** One shared probe per target, counted per CPU, rather than events per reader thread. */
        public boolean shared() {
            return attach.equals("shared");
        }
    }

    /** The probe targets of one run, and the readers and writer that use them. */
    interface Workload extends AutoCloseable {
        /**
         * A reader for the calling thread: with {@code attach=thread}, one perf event of its own
         * on each stable target, counting this thread's hits only; with {@code shared} (or
         * unprobed), none: the shared probes count every reader's hits.
         */
        Reader reader();

        /**
         * Invariant 11 for the shared probes, once every reader has stopped: per target, every
         * reader's calls ({@code callsPerTarget}, one array per reader) against the counts of all
         * CPUs. {@link LostHitCheck#NONE} with per-thread events (each reader checks its own) and
         * unprobed.
         */
        LostHitCheck finishShared(List<long[]> callsPerTarget);

        /** A churn writer on the spare targets; there must be some. */
        Writer writer();

        /** Unmaps the targets and removes their file; close readers first. */
        @Override
        void close();
    }

    /** A reader: hit = one call of a probed function. Confined to the thread that opened it. */
    interface Reader extends AutoCloseable {
        /** How many stable targets it hits. */
        int targets();

        /** One call of target {@code i}, one downcall (latency rounds time each). */
        void hit(int i);

        /** {@code n} calls of target {@code i} from the native loop, one downcall. */
        void hitBatch(int i, long n);

        /**
         * Stops counting and checks invariant 11 on this reader's own events; once. Without events
         * of its own (shared probes, checked by {@link Workload#finishShared}, or unprobed):
         * {@link LostHitCheck#NONE}.
         */
        LostHitCheck finish();

        /** The calls made on each target, in target order. */
        long[] callsPerTarget();

        /** Unregisters this reader's probes. */
        @Override
        void close();
    }

    /** The churn writer: each operation registers a probe, calls it once, and unregisters it. */
    interface Writer {
        void churnOnce();

        /** Registrations plus unregistrations so far. */
        long operations();

        /** The churned probes' counts against the calls made while they were registered. */
        LostHitCheck check();
    }

    /**
     * Tries real uprobes here, with probe-target files in {@code scratch}, and measures each trap's
     * cost when {@code measureTrapCosts} (about a third of a second); never throws.
     */
    Capability check(Path scratch, boolean measureTrapCosts);

    /**
     * Writes and maps the probe targets of {@code spec} in {@code scratch}.
     *
     * @throws UnsupportedOperationException where real uprobes cannot be used, saying why
     */
    Workload open(WorkloadSpec spec, Path scratch) throws java.io.IOException;

    /** The host layer, or a stand-in that says why there is none on this JVM. */
    static HostKernel load() {
        int feature = Runtime.version().feature();
        if (feature < 25) {
            return new Absent("this JVM is Java " + feature
                    + "; the host layer needs Java 25 (java.lang.foreign): run through ./run-bench.sh, which finds one");
        }
        try {
            return ServiceLoader.load(HostKernel.class).findFirst().orElseGet(() -> new Absent(
                    "the host layer (dev.uprobebench.host) is not on the class path"));
        } catch (ServiceConfigurationError | LinkageError e) {
            return new Absent("the host layer failed to load: " + e.getMessage());
        }
    }

    /** No host layer on this JVM: every call says why. */
    record Absent(String why) implements HostKernel {
        @Override
        public Capability check(Path scratch, boolean measureTrapCosts) {
            return Capability.unusable(why);
        }

        @Override
        public Workload open(WorkloadSpec spec, Path scratch) {
            throw new UnsupportedOperationException("real uprobes not usable: " + why);
        }
    }
}
