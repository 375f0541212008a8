package dev.uprobebench.workload;

import dev.uprobebench.mm.AddressSpace;
import dev.uprobebench.mm.KeyLayout;
import dev.uprobebench.mm.Layout;
import dev.uprobebench.mm.VmaLookup;
import dev.uprobebench.registry.Backend;
import dev.uprobebench.registry.RegistryConfig;
import dev.uprobebench.registry.UprobeConsumer;
import dev.uprobebench.registry.UprobeRegistry;
import dev.uprobebench.sync.RcuFlavour;
import dev.uprobebench.uret.Lifetime;
import dev.uprobebench.uret.ReturnProbeConfig;
import dev.uprobebench.uret.ReturnProbes;

/**
 * What one run's readers and writers share: the registry with its stable set registered (never
 * removed, hit by readers), the key layout, the address space hits go through (or none), the
 * return probes (or none). Made once per run by the benchmark or the torture driver; its
 * {@link #teardown()} unregisters everything and runs the leak checks.
 */
public final class Scene implements AutoCloseable {
    /** The address-space regions that hold no uprobe, mapped at setup, toggled by the mm writers. */
    public static final int MM_REGIONS = 64;

    final UprobeRegistry registry;
    final KeyLayout layout;
    final int stable;
    final int churnKeys;
    final long handlerWork;
    final int syncEvery;
    /** The address space, or null for the registry-only hit. */
    final AddressSpace mm;
    final int mmRegions;
    /** Return probes, or null without them. */
    final ReturnProbes uret;
    private final UprobeConsumer stableConsumer;

    /**
     * Registers the stable set and builds what the hits go through.
     *
     * @param mmOptions the address space's options (tests: its hooks, its grace periods)
     * @param uret      return probes, or null for none (they need {@code lookup} {@link VmaLookup#NONE})
     */
    public Scene(UprobeRegistry registry, KeyLayout layout, int stable, int churnKeys, long handlerWork, int syncEvery,
            VmaLookup lookup, int mmRegions, AddressSpace.Options mmOptions, ReturnProbeConfig uret) {
        this.registry = registry;
        this.layout = layout;
        this.stable = stable;
        this.churnKeys = churnKeys;
        this.handlerWork = handlerWork;
        this.syncEvery = syncEvery;
        this.mmRegions = mmRegions;
        if (lookup != VmaLookup.NONE) {
            // QSBR: readers announce quiescent states for the address space as for the registry.
            mm = new AddressSpace(lookup, registry.slots().capacity(), vmaCapacity(mmRegions), RcuFlavour.QSBR,
                    RegistryConfig.DEFAULT_STEP_BOUND, registry.invariants(), mmOptions);
            layout.mapProbed(mm, stable, churnKeys);
            for (int j = 0; j < mmRegions; j++) {
                Layout.mapRegion(mm, j);
            }
        } else {
            mm = null;
        }
        stableConsumer = new UprobeConsumer(handlerWork);
        for (int k = 0; k < stable; k++) {
            registry.register(layout.stableInode(), layout.stableOffset(k), stableConsumer);
        }
        layout.declareStable(registry.invariants(), stable);
        this.uret = uret == null ? null : new ReturnProbes(registry, uret);
    }

    /**
     * The registry configuration a run of {@code threads} benchmark threads needs: a slab for the
     * stable set and every writer's churn keys, a slot per thread plus the harness's (and the return
     * probes' per-task timers), the RCU flavour, and SRCU-fast-updown for the {@code srcu-updown} lifetime.
     */
    public static RegistryConfig registryConfig(int stable, int churnKeys, int writers, int threads,
            RcuFlavour flavour, ReturnProbeConfig uret) {
        int slab = Math.toIntExact(slabCapacity(stable, churnKeys, writers));
        // with return probes: a timer per thread that may hit (each its own slot), and one driven by hand
        RegistryConfig rc = RegistryConfig.of(slab, threads + 1 + (uret == null ? 0 : threads + 1))
                .withRcuFlavour(flavour);
        return uret != null && uret.lifetime() == Lifetime.SRCU_UPDOWN ? rc.withFastUretprobeSrcu() : rc;
    }

    /**
     * Return probes run on the mainline lookup ({@code seqcount-rcu}), with or without an address
     * space (an entry resolves its address through the VMA lookup as any hit does); else refused.
     */
    public static void checkReturnProbes(Backend backend, VmaLookup lookup, String lifetime) {
        if (backend != Backend.SEQCOUNT_RCU) {
            throw new IllegalArgumentException("uretprobe=" + lifetime + " runs on the mainline lookup; back-end '"
                    + backend.cliName() + "' has none; valid: seqcount-rcu");
        }
    }

    /** VMAs: the probed files', the regions, and room for those waiting out a grace period. */
    public static int vmaCapacity(int regions) {
        return 2 + regions + 65_536;
    }

    /** The slab a run allocates: the stable set, every writer's churn keys and the harness's, and room for the dying. */
    public static long slabCapacity(long stable, long churnKeys, long writers) {
        return stable + churnKeys * (writers + 1) + 65_536;
    }

    public UprobeRegistry registry() {
        return registry;
    }

    /** The address space, or null. */
    public AddressSpace addressSpace() {
        return mm;
    }

    /** The return probes, or null. */
    public ReturnProbes returnProbes() {
        return uret;
    }

    /**
     * After every reader and writer has stopped (each writer released what it holds): stops the
     * return probes, unregisters the stable set, waits for a grace period, and runs the registry's
     * and the address space's leak checks.
     */
    public void teardown() {
        if (uret != null) {
            uret.close(); // every reader drained its returns: the timer has nothing left to expire
        }
        for (int k = 0; k < stable; k++) {
            registry.unregister(layout.stableInode(), layout.stableOffset(k), stableConsumer);
        }
        registry.synchronize();
        registry.checkLeaks();
        if (mm != null) {
            mm.unmapAll();
            mm.checkLeaks();
        }
    }

    /** Releases the return probes and the address space (the registry is its owner's to close). */
    @Override
    public void close() {
        if (uret != null) {
            uret.close();
        }
        if (mm != null) {
            mm.close();
        }
    }
}
