package dev.uprobebench.report;

import dev.uprobebench.sync.RcuFlavour;

/**
 * What a configuration of a run is, as the report names it: everything the plan fixed before a
 * fork ran. File-name safe keys, the shape of the workload and where its threads were to be placed.
 *
 * @param backendKey the back-end and RCU flavour, file-name safe ({@code seqcount-rcu-qsbr})
 * @param configKey everything but the back-end, file-name safe ({@code r1_w1_churn-max_s1024_uniform_h0})
 * @param rcuFlavour the RCU read side ({@code qsbr}, {@code memb}), or null where it is not an axis
 * @param vmaLookup how hits found their VMA: {@code none}, {@code mmap-lock}, {@code speculative}; null in older reports
 * @param uretprobe the return-probe lifetime, or null without return probes (and so its two settings)
 * @param oversubscribed more benchmark threads than logical CPUs (possible only with pinning=none)
 * @param negativeControl the back-end is unsafe by design: never ranked, always labelled
 */
public record ConfigSpec(String id, String backendKey, String configKey, String label, String scenario,
        String backend, String rcuFlavour, int readers, int writers, String churn, int stable, String distribution,
        long handlerWork, String vmaLookup, int mmWriters, String mmChurn, String uretprobe, String uretDuration,
        String riAlloc, String pinPolicy, boolean oversubscribed, boolean negativeControl) {

    /** True for a back-end without an RCU axis, or for the default read side (what the published figures model). */
    public boolean defaultRcuFlavour() {
        return rcuFlavour == null || "-".equals(rcuFlavour) || RcuFlavour.QSBR.cliName().equals(rcuFlavour);
    }

    /** True when the hits ran return probes (an entry, then its return). */
    public boolean hasUretprobes() {
        return uretprobe != null;
    }

    /** True when hits went through an address space (a VMA lookup before the registry). */
    public boolean hasAddressSpace() {
        return vmaLookup != null && !"none".equals(vmaLookup);
    }
}
