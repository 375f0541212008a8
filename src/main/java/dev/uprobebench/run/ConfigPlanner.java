package dev.uprobebench.run;

import dev.uprobebench.mm.VmaLookup;
import dev.uprobebench.pin.CpuTopology;
import dev.uprobebench.pin.PinPolicy;
import dev.uprobebench.pin.PinningPlan;
import dev.uprobebench.registry.Backend;
import dev.uprobebench.sync.RcuFlavour;
import java.util.ArrayList;
import java.util.List;

/**
 * Expands a profile into configurations for this machine's topology, and plans each one's
 * pinning up front, so that a profile that cannot run here fails before anything runs.
 */
public final class ConfigPlanner {
    /** The configurations and what was left out (with why). */
    public record Expansion(List<BenchConfig> configs, List<String> notes) {
    }

    private ConfigPlanner() {
    }

    public static Expansion expand(Profile p, CpuTopology topology) {
        ProfileSettings s = p.settings();
        List<BenchConfig> out = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Backend b : s.backends()) {
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
                    for (String mmChurn : vma == VmaLookup.NONE ? List.of("0") : s.mmChurn()) {
                        int mmWriters = mmChurn.equals("0") ? 0 : s.mmWriters();
                        for (String uret : s.uretprobes()) {
                            if (!uret.equals("none") && (b != Backend.SEQCOUNT_RCU || vma != VmaLookup.NONE)) {
                                String note = "uretprobe=" + uret + " runs on seqcount-rcu with vma=none only: skipped for "
                                        + b.cliName() + (vma == VmaLookup.NONE ? "" : " with vma=" + vma.label());
                                if (!notes.contains(note)) {
                                    notes.add(note);
                                }
                                continue;
                            }
                            for (String duration : uret.equals("none") ? List.of("0") : s.uretDurations()) {
                                for (String ri : uret.equals("none") ? List.of("pool") : s.riAllocs()) {
                                    expandReaders(out, b, flavours, churn, writers, vma, mmWriters, mmChurn,
                                            new String[] {uret, duration, ri}, s, topology);
                                }
                            }
                        }
                    }
                }
            }
        }
        if (out.isEmpty()) {
            throw new UsageException("profile '" + p.name() + "' expands to no configuration on this machine");
        }
        return new Expansion(out, notes);
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
                                    mmWriters, mmChurn, uret[0], uret[1], uret[2], plan));
                        }
                    }
                }
            }
        }
    }
}
