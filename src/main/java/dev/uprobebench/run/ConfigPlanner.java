package dev.uprobebench.run;

import dev.uprobebench.mm.VmaLookup;
import dev.uprobebench.pin.CpuTopology;
import dev.uprobebench.pin.PinPolicy;
import dev.uprobebench.pin.PinningPlan;
import dev.uprobebench.registry.Backend;
import dev.uprobebench.registry.HostKernel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import dev.uprobebench.sync.RcuFlavour;
import java.util.ArrayList;
import java.util.List;

/**
 * Expands a profile into configurations for this machine's topology, and plans each one's
 * pinning up front, so that a profile that cannot run here fails before anything runs.
 */
public final class ConfigPlanner {
    /**
     * The configurations and what was left out (with why).
     *
     * @param skipped configurations planned but not run on this machine, each with the reason
     *     (the kernel's rows where real uprobes cannot be used): reports list them, never drop them
     */
    public record Expansion(List<BenchConfig> configs, List<String> notes, List<Skipped> skipped) {
    }

    /** A planned configuration this machine cannot run, and why. */
    public record Skipped(BenchConfig config, String reason) {
    }

    /**
     * Whether this host can run real uprobes, with each trap kind's measured cost: asked once per
     * JVM, and only when a plan needs it (a profile naming {@code kernel}, or {@code trap-cost=host-...});
     * the planner and the plan's trap-cost note share the one trial.
     */
    static final Supplier<HostKernel.Capability> HOST = new Supplier<>() {
        private HostKernel.Capability found;

        @Override
        public synchronized HostKernel.Capability get() {
            if (found == null) {
                try {
                    Path scratch = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"),
                            "uprobe-bench-host"));
                    found = HostKernel.load().check(scratch, true);
                } catch (IOException | RuntimeException e) {
                    found = HostKernel.Capability.unusable("the capability trial failed: " + e.getMessage());
                }
            }
            return found;
        }
    };

    private ConfigPlanner() {
    }

    public static Expansion expand(Profile p, CpuTopology topology) {
        return expand(p, topology, HOST);
    }

    /** As {@link #expand(Profile, CpuTopology)}, asking {@code host} whether real uprobes can be used. */
    public static Expansion expand(Profile p, CpuTopology topology, Supplier<HostKernel.Capability> host) {
        ProfileSettings s = p.settings();
        List<BenchConfig> out = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (Backend b : s.backends()) {
            if (b == Backend.KERNEL) {
                List<BenchConfig> kernel = new ArrayList<>();
                expandKernel(kernel, notes, s, topology);
                HostKernel.Capability c = host.get();
                if (c.usable()) {
                    out.addAll(kernel);
                } else {
                    kernel.forEach(k -> skipped.add(new Skipped(k, c.summary())));
                    notes.add("kernel: " + kernel.size() + " configuration(s) skipped: " + c.summary());
                }
                continue;
            }
            List<RcuFlavour> flavours = new ArrayList<>();
            if (b.usesRcuFlavour()) {
                flavours.addAll(s.rcuFlavours());
            } else {
                flavours.add(null); // not an axis of this back-end
            }
            for (String churn : s.churn()) {
                if (!churn.equals("0") && !b.allowsChurn()) {
                    notes.add(b.cliName() + " runs without churn only (it is the unsynchronized ceiling): churn="
                            + churn + " skipped");
                    continue;
                }
                int writers = churn.equals("0") ? 0 : s.writers();
                for (VmaLookup vma : s.vmaLookups()) {
                    boolean baselineOnly = s.vmaBaselineOnly() && vma != VmaLookup.NONE;
                    if (baselineOnly && !churn.equals(s.churn().get(0))) {
                        continue;
                    }
                    for (String mmChurn : vma == VmaLookup.NONE ? List.of("0") : s.mmChurn()) {
                        int mmWriters = mmChurn.equals("0") ? 0 : s.mmWriters();
                        for (String uret : s.uretprobes()) {
                            if (!uret.equals("none") && b != Backend.SEQCOUNT_RCU) {
                                String note = "uretprobe=" + uret + " runs on seqcount-rcu (the mainline lookup) only: "
                                        + "skipped for " + b.cliName();
                                if (!notes.contains(note)) {
                                    notes.add(note);
                                }
                                continue;
                            }
                            for (String duration : uret.equals("none") ? List.of("0")
                                    : baselineOnly ? s.uretDurations().subList(0, 1) : s.uretDurations()) {
                                for (String ri : uret.equals("none") ? List.of("pool")
                                        : baselineOnly ? s.riAllocs().subList(0, 1) : s.riAllocs()) {
                                    expandReaders(out, b, flavours, churn, writers, vma, mmWriters, mmChurn,
                                            new String[] {uret, duration, ri}, s, topology);
                                }
                            }
                        }
                    }
                }
            }
        }
        if (s.vmaBaselineOnly() && s.vmaLookups().stream().anyMatch(v -> v != VmaLookup.NONE)) {
            notes.add("vma-scope=baseline: the VMA lookups other than none run with churn=" + s.churn().get(0)
                    + (s.uretprobes().stream().allMatch(u -> u.equals("none")) ? ""
                            : ", uret-duration=" + s.uretDurations().get(0) + " and ri-alloc=" + s.riAllocs().get(0))
                    + " only");
        }
        if (out.isEmpty()) {
            throw new UsageException("profile '" + p.name() + "' expands to no configuration that can run on this "
                    + "machine" + (skipped.isEmpty() ? "" : " (" + skipped.get(0).reason() + ")"));
        }
        return new Expansion(out, notes, skipped);
    }

    /**
     * The host kernel's rows: its traps and probe kinds by the profile's churn and reader counts,
     * on {@code kernel-stable} probed functions; it has no RCU flavour, key distribution, handler
     * work, model address space or model return probes, so those axes are not crossed with it.
     */
    private static void expandKernel(List<BenchConfig> out, List<String> notes, ProfileSettings s,
            CpuTopology topology) {
        ProfileSettings.Kernel k = s.kernel();
        if (s.vmaLookups().stream().anyMatch(v -> v != VmaLookup.NONE)) {
            notes.add("kernel: the host's own VMA lookup is part of every kernel hit; its rows run once, in the "
                    + "vma=none scenario");
        }
        if (s.handlerWork().stream().anyMatch(w -> w != 0) || s.distributions().stream()
                .anyMatch(d -> !d.equals("uniform"))) {
            notes.add("kernel: its readers hit " + k.stable() + " probed function(s) in turn with the perf counter "
                    + "as handler; it runs with handler work 0 and the uniform scenario only");
        }
        for (String churn : s.churn()) {
            int writers = churn.equals("0") ? 0 : s.writers();
            PinPolicy policy = s.pinning();
            int available = policy.capacity(topology) - writers;
            if (available < 1) {
                notes.add("kernel: churn=" + churn + " with " + writers + " writer(s) leaves no core for a reader: "
                        + "skipped");
                continue;
            }
            Profile.ReaderSpec readers = k.readers() != null ? k.readers() : s.readers();
            for (int r : readers.expand(available)) {
                PinningPlan plan;
                try {
                    plan = PinningPlan.plan(topology, policy, r, writers, 0);
                } catch (IllegalArgumentException e) {
                    throw new UsageException(e.getMessage());
                }
                for (String trap : k.traps()) {
                    for (String probe : k.probes()) {
                        out.add(new BenchConfig(Backend.KERNEL, r, writers, churn, k.stable(), "uniform", 0, null,
                                VmaLookup.NONE, 0, "0", "none", "0", "pool", plan,
                                new BenchConfig.KernelAxes(trap, probe, k.attach())));
                    }
                }
            }
        }
    }

    /** Every reader count (and stable size, distribution, handler work, flavour) for one thread mix. */
    private static void expandReaders(List<BenchConfig> out, Backend b, List<RcuFlavour> flavours, String churn,
            int writers, VmaLookup vma, int mmWriters, String mmChurn, String[] uret, ProfileSettings s,
            CpuTopology topology) {
        PinPolicy policy = s.pinning();
        int capacity = policy.capacity(topology);
        int available = capacity - writers - mmWriters;
        if (available < 1) {
            throw new UsageException(String.format("%d writer(s)%s leave no core for a reader: pinning=%s "
                    + "allows %d threads on this machine (%s); lower writers%s or use pinning=none",
                    writers, mmWriters == 0 ? "" : " and " + mmWriters + " address-space writer(s)",
                    policy.cliName(), capacity, topology.describe(), mmWriters == 0 ? "" : ", mm-writers"));
        }
        for (int readers : s.readers().expand(available)) {
            PinningPlan plan;
            try {
                plan = PinningPlan.plan(topology, policy, readers, writers, mmWriters);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            for (int stable : s.stable()) {
                for (String dist : s.distributions()) {
                    for (long work : s.handlerWork()) {
                        for (RcuFlavour flavour : flavours) {
                            out.add(new BenchConfig(b, readers, writers, churn, stable, dist, work, flavour, vma,
                                    mmWriters, mmChurn, uret[0], uret[1], uret[2], plan, null));
                        }
                    }
                }
            }
        }
    }
}
