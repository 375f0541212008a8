package dev.uprobebench.registry;

import dev.uprobebench.registry.backend.PercpuRefRegistry;
import dev.uprobebench.registry.backend.PercpuRwsemRegistry;
import dev.uprobebench.registry.backend.RwlockRegistry;
import dev.uprobebench.registry.backend.SeqcountRcuRegistry;
import dev.uprobebench.registry.backend.SeqcountRcuRfcRegistry;
import dev.uprobebench.registry.backend.SrcuRegistry;
import dev.uprobebench.registry.backend.UnsyncRegistry;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The table of back-ends (refscale's {@code ref_scale_ops}, Caffeine's {@code CacheType}): each
 * constant has its command-line name, whether it is safe (a correct design) or a deliberate
 * negative control, whether it allows writers while readers run, a one-line description, and a
 * factory. Benchmarks take the name as a parameter, the command line lists the table, and the
 * correctness tests iterate over it.
 */
public enum Backend {
    UNSYNC("unsync", true, false,
            "no synchronization at all: the cost of tree search and handlers alone (the ceiling; no churn)",
            UnsyncRegistry::new),
    RWLOCK("rwlock", true, true,
            "v6.10 uprobes_treelock: queued reader-writer spinlock around the search, refcount on every hit",
            RwlockRegistry::new),
    PERCPU_RWSEM("percpu-rwsem", true, true,
            "Nakryiko v2: per-CPU RW semaphore (rcu_sync) around the search, refcount on every hit; writers pay a grace period",
            PercpuRwsemRegistry::new),
    PERCPU_REF("percpu-ref", true, true,
            "lockless seqcount-checked search under RCU, then a per-CPU percpu_ref held through the handlers",
            PercpuRefRegistry::new),
    SRCU("srcu", true, true,
            "Nakryiko v3: SRCU read section around a seqcount-checked lockless search, no refcount, call_srcu free",
            SrcuRegistry::new),
    SEQCOUNT_RCU("seqcount-rcu", true, true,
            "mainline since 6.12: find_uprobe_rcu() under RCU with seqcount retry, no refcount, call_rcu free",
            SeqcountRcuRegistry::new),
    SEQCOUNT_RCU_RFC("seqcount-rcu-rfc", false, true,
            "NEGATIVE CONTROL: Zijlstra's RFC as posted, unconditional get_uprobe() resurrects dying uprobes",
            SeqcountRcuRfcRegistry::new);

    private final String cliName;
    private final boolean safe;
    private final boolean allowsChurn;
    private final String description;
    private final Function<RegistryConfig, UprobeRegistry> factory;

    Backend(String cliName, boolean safe, boolean allowsChurn, String description,
            Function<RegistryConfig, UprobeRegistry> factory) {
        this.cliName = cliName;
        this.safe = safe;
        this.allowsChurn = allowsChurn;
        this.description = description;
        this.factory = factory;
    }

    public String cliName() {
        return cliName;
    }

    /** False for the negative control, which must never appear in a default profile. */
    public boolean safe() {
        return safe;
    }

    /** True when the back-end runs on {@code Rcu}, so that the RCU flavour changes what it measures. */
    public boolean usesRcuFlavour() {
        return this == PERCPU_RWSEM || this == PERCPU_REF || this == SEQCOUNT_RCU || this == SEQCOUNT_RCU_RFC;
    }

    /** False when writers must not run while readers do (the unsynchronized ceiling). */
    public boolean allowsChurn() {
        return allowsChurn;
    }

    public String description() {
        return description;
    }

    public UprobeRegistry create(RegistryConfig config) {
        return factory.apply(config);
    }

    /** The back-end with this command-line name; the error names every valid one. */
    public static Backend byName(String name) {
        for (Backend b : values()) {
            if (b.cliName.equals(name)) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown back-end '" + name + "'; valid: " + names());
    }

    /** Every command-line name, comma-separated, in table order. */
    public static String names() {
        return Arrays.stream(values()).map(Backend::cliName).collect(Collectors.joining(", "));
    }

    /** The safe back-ends, in table order. */
    public static List<Backend> safeOnes() {
        return Arrays.stream(values()).filter(Backend::safe).collect(Collectors.toList());
    }

    @Override
    public String toString() {
        return cliName;
    }
}
