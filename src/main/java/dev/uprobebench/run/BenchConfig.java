package dev.uprobebench.run;

import dev.uprobebench.mm.VmaLookup;
import dev.uprobebench.pin.PinningPlan;
import dev.uprobebench.registry.Backend;
import dev.uprobebench.sync.RcuFlavour;
import java.util.Locale;

/**
 * One configuration of a profile: a back-end under one workload with given reader and writer
 * counts, and where its threads go.
 *
 * @param rcuFlavour the RCU read side, or null for back-ends where it is not an axis
 * @param vma how a hit finds its VMA ({@link VmaLookup#NONE}: the registry alone)
 * @param mmWriters address-space writer threads (0 without an address space or mm churn)
 * @param mmChurn their per-thread mmap+munmap rate: {@code 0}, a number per second, or {@code max}
 * @param uret the return-probe lifetime ({@code none}, or a {@code Lifetime} label): part of the
 *     series, as the back-end is, since the designs are what a return-probe profile compares
 * @param uretDuration the function duration, as written ({@code 0} without return probes)
 * @param riAlloc where return instances come from: {@code pool}, {@code rcu-free} or {@code alloc}
 * @param kernel the host kernel's axes for a {@link Backend#KERNEL} row, null for a model's
 */
public record BenchConfig(Backend backend, int readers, int writers, String churn, int stable, String distribution,
        long handlerWork, RcuFlavour rcuFlavour, VmaLookup vma, int mmWriters, String mmChurn, String uret,
        String uretDuration, String riAlloc, PinningPlan pins, KernelAxes kernel) {

    /**
     * A kernel row's own axes.
     *
     * @param trap   {@code int3} or {@code nop5}
     * @param probe  {@code uprobe}, {@code uretprobe}, or {@code none} (the unprobed null baseline)
     * @param attach {@code thread} or {@code shared}
     */
    public record KernelAxes(String trap, String probe, String attach) {
        /** File-name safe: {@code nop5}, {@code int3-uretprobe-shared}. */
        String key() {
            return trap + (probe.equals("uprobe") ? "" : "-" + probe) + (attach.equals("thread") ? "" : "-" + attach);
        }

        /** As a label shows it: {@code nop5}, {@code int3, uretprobe, shared}, {@code nop5, unprobed}. */
        String label() {
            return key().replace("-none", "-unprobed").replace("-", ", ");
        }
    }

    public BenchConfig {
        if ((backend == Backend.KERNEL) != (kernel != null)) {
            throw new IllegalArgumentException("kernel axes belong to the kernel back-end only: " + backend);
        }
    }

    /** A model configuration without return probes. */
    public BenchConfig(Backend backend, int readers, int writers, String churn, int stable, String distribution,
            long handlerWork, RcuFlavour rcuFlavour, VmaLookup vma, int mmWriters, String mmChurn, PinningPlan pins) {
        this(backend, readers, writers, churn, stable, distribution, handlerWork, rcuFlavour, vma, mmWriters, mmChurn,
                "none", "0", "pool", pins, null);
    }

    /** True for the host kernel's rows, which KernelBenchmark runs. */
    public boolean isKernel() {
        return kernel != null;
    }

    public boolean hasUretprobes() {
        return !"none".equals(uret);
    }

    /** Every thread the configuration pins. */
    public int threads() {
        return readers + writers + mmWriters;
    }

    /** A file-name-safe identifier, unique within a profile: {@code backendKey_configKey}. */
    public String id() {
        return backendKey() + "_" + configKey();
    }

    /** The back-end and its RCU flavour, file-name safe: {@code seqcount-rcu-qsbr}. */
    public String backendKey() {
        if (kernel != null) {
            return backend.cliName() + "-" + kernel.key();
        }
        String b = rcuFlavour == null ? backend.cliName() : backend.cliName() + "-" + rcuFlavour.cliName();
        return hasUretprobes() ? b + "-uret-" + uret + ("pool".equals(riAlloc) ? "" : "-" + riAlloc) : b;
    }

    /**
     * Everything but the back-end, file-name safe: {@code r1_w1_churn-max_s1024_uniform_h0}, then
     * {@code _vma-speculative_m1-mmchurn-1000} when there is an address space (so registry-only
     * configurations keep the ids older reports have).
     */
    public String configKey() {
        return "r" + readers + "_w" + writers + "_churn-" + churn + "_s" + stable + "_" + distribution + "_h"
                + handlerWork + vmaKey() + (hasUretprobes() ? "_uret-d" + uretDuration : "");
    }

    private String vmaKey() {
        return vma == VmaLookup.NONE ? "" : "_vma-" + vma.label() + "_m" + mmWriters + "-mmchurn-" + mmChurn;
    }

    /** The row label in tables: back-end, with its RCU flavour where it has one. */
    public String label() {
        if (kernel != null) {
            return backend.cliName() + " (" + kernel.label() + ")";
        }
        String b = rcuFlavour == null ? backend.cliName() : backend.cliName() + " (" + rcuFlavour.cliName() + ")";
        return hasUretprobes() ? b + " + " + uret + ("pool".equals(riAlloc) ? "" : " (" + riAlloc + ")") : b;
    }

    /** Everything but back-end and readers: the question a table answers. */
    public String scenario() {
        String c = churn.equals("0") ? "no churn" : "churn " + (churn.equals("max") ? "max" : churn + "/s") + " x "
                + writers + " writer" + (writers == 1 ? "" : "s");
        return String.format(Locale.ROOT, "%s, %d stable uprobes, %s keys, handler work %d", c, stable, distribution,
                handlerWork) + vmaScenario() + (hasUretprobes() ? ", return probes, functions of " + uretDuration
                        + (uretDuration.matches("\\d+") ? " hits" : "") : "");
    }

    private String vmaScenario() {
        if (vma == VmaLookup.NONE) {
            return "";
        }
        String m = mmWriters == 0 ? "no mm churn" : "mm churn " + (mmChurn.equals("max") ? "max" : mmChurn + "/s") + " x "
                + mmWriters + " mm writer" + (mmWriters == 1 ? "" : "s");
        return ", VMA lookup " + vma.label() + ", " + m;
    }

    public String describe() {
        return String.format(Locale.ROOT, "%s r=%d w=%d churn=%s stable=%d %s handler=%d", label(), readers, writers,
                churn, stable, distribution, handlerWork)
                + (vma == VmaLookup.NONE ? "" : " vma=" + vma.label() + " m=" + mmWriters + " mm-churn=" + mmChurn)
                + (hasUretprobes() ? " uretprobe=" + uret + " duration=" + uretDuration + " ri=" + riAlloc : "");
    }
}
