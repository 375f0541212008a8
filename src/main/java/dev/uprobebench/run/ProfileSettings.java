package dev.uprobebench.run;

import dev.uprobebench.mm.KeyLayout;
import dev.uprobebench.mm.VmaLookup;
import dev.uprobebench.pin.PinPolicy;
import dev.uprobebench.registry.Backend;
import dev.uprobebench.sync.RcuFlavour;
import java.util.List;

/**
 * A profile's settings as typed values, parsed and checked once when the profile is loaded
 * ({@link Profile#settings()}); everything after the command line works from these.
 *
 * @param churn         per-writer rates: {@code 0}, a number per second, or {@code max}
 * @param stable        stable-set sizes (each fits the slab's int index)
 * @param warmupMillis  JMH warm-up iteration time
 * @param latencyRounds the first rounds that also run the latency benchmark (0 when latency is off)
 * @param seed          the shuffle seed (drawn once when the profile says {@code random})
 * @param vmaLookups    how hits find their VMA: an axis, as back-ends are
 * @param vmaBaselineOnly {@code vma-scope=baseline}: lookups other than none only in the first churn rate,
 *                      function duration and return-instance source
 * @param mmWriters     address-space writer threads where there is an address space and mm churn
 * @param mmChurn       per-address-space-writer rates: {@code 0}, a number per second, or {@code max}
 * @param trapNanos     fixed per-hit work outside the registry standing for the kernel's trap (0: none)
 * @param uretprobes    return-probe lifetimes, {@code none} or a {@code Lifetime} label: an axis
 * @param uretDurations function durations (hits or a time): an axis where there are return probes
 * @param uretShare     share of uprobes that are return probes
 * @param uretDepth     pending returns per thread
 * @param uretTimeout   the lease timer, as written (e.g. {@code 100ms})
 * @param riAllocs      return-instance sources ({@code pool}, {@code alloc}): an axis
 * @param keyLayout     where the churn keys sit against the stable ones ({@code separate}, {@code interleaved})
 * @param kernel        the axes of the host kernel's back-end ({@code kernel}), used where a profile names it
 * @param hostTrap      {@code int3} or {@code nop5} when {@code trap-cost=host-...} asks for the trap this host
 *                      measures (the plan measures it and sets the model's trap work to it); else null
 * @param precision     precision-driven rounds ({@code precision}, {@code max-rounds}, {@code max-time})
 */
public record ProfileSettings(List<Backend> backends, Profile.ReaderSpec readers, int writers, List<String> churn,
        int churnKeys, double churnReadFraction, int syncEvery, List<Integer> stable, List<String> distributions,
        double zipfExponent, List<Long> handlerWork, List<RcuFlavour> rcuFlavours, List<VmaLookup> vmaLookups,
        boolean vmaBaselineOnly, int mmWriters, List<String> mmChurn, long trapNanos, List<String> uretprobes, List<String> uretDurations,
        double uretShare, int uretDepth, String uretTimeout, List<String> riAllocs, KeyLayout keyLayout, PinPolicy pinning,
        int warmupIterations, long warmupMillis, int measurementIterations, long measurementMillis, int rounds,
        int latencyRounds, long seed, boolean gcProfiler, boolean profiling, String profilerEvent,
        List<String> jvmArgs, Kernel kernel, String hostTrap, Precision precision) {

    /**
     * Precision-driven rounds: after {@code rounds}, more rounds for the configurations whose
     * interval is still wider than {@code target}, up to {@code maxRounds} or {@code maxTimeMillis}.
     *
     * @param target        the half-width of the 95% interval asked for, as a fraction of the estimate; 0: off
     * @param maxRounds     the cap on rounds (at least {@code rounds})
     * @param maxTimeMillis wall time after which no round starts; 0: none
     */
    public record Precision(double target, int maxRounds, long maxTimeMillis) {
        public boolean on() {
            return target > 0;
        }
    }

    /**
     * The {@code kernel} back-end's own axes (it has no model parameters: no RCU flavour, handler
     * work or key distribution).
     *
     * @param traps   trap kinds of the probed functions ({@code int3}, {@code nop5}): an axis
     * @param probes  probe kinds ({@code uprobe}, {@code uretprobe}): an axis
     * @param attach  {@code thread} (a perf event per reader) or {@code shared} (one consumer)
     * @param stable  probed functions the readers hit in turn
     * @param readers its reader counts, or null for the profile's own
     */
    public record Kernel(List<String> traps, List<String> probes, String attach, int stable,
            Profile.ReaderSpec readers) {
    }
}
