package dev.uprobebench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uprobebench.mm.VmaLookup;
import dev.uprobebench.pin.CpuTopology;
import dev.uprobebench.pin.LogicalCpu;
import dev.uprobebench.registry.Backend;
import dev.uprobebench.registry.HostKernel;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ConfigPlannerTest {
    static CpuTopology cores(int n) {
        List<LogicalCpu> cpus = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            cpus.add(new LogicalCpu(i, i, 0, List.of(i)));
        }
        return new CpuTopology(cpus);
    }

    private static ConfigPlanner.Expansion expand(String text, int cores) {
        return ConfigPlanner.expand(Profile.parse("t", text, List.of()), cores(cores));
    }

    /** The shipped {@code vma} profile. */
    private static Profile vmaProfile() {
        return Profile.load("vma", java.nio.file.Path.of("."), List.of());
    }

    /** The dry run's plan on a fake 64-core, 128-CPU sysfs: one thread per physical core, none on a sibling. */
    @Test
    void theVmaProfileOnSixtyFourCoresPlansEveryThreadOnItsOwnCore(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path sys) throws Exception {
        CpuTopology topology = CpuTopology.read(dev.uprobebench.pin.FakeSysfs.sixtyFourCoresSmt(sys));
        assertEquals(64, topology.physicalCores());
        assertEquals(128, topology.logicalCpus());
        ConfigPlanner.Expansion e = ConfigPlanner.expand(vmaProfile(), topology);
        int withMm = 0;
        for (BenchConfig c : e.configs()) {
            java.util.Set<String> cores = new java.util.HashSet<>();
            for (int[] role : new int[][] {c.pins().readerCpus(), c.pins().writerCpus(), c.pins().mmWriterCpus()}) {
                for (int cpu : role) {
                    LogicalCpu l = topology.cpu(cpu);
                    assertTrue(l.isPrimaryThread(), c.id() + " on the sibling thread " + cpu);
                    assertTrue(cores.add(l.pkg() + "/" + l.core()), c.id() + ": two threads on core " + l.core());
                }
            }
            assertEquals(c.threads(), cores.size(), c.id());
            if (c.mmWriters() > 0) {
                withMm++;
                assertEquals("1000", c.mmChurn());
                assertTrue(c.id().endsWith("_vma-" + c.vma().label() + "_m1-mmchurn-1000"), c.id());
            }
        }
        // 5 back-ends (the null baseline and 4 designs); readers 1,2,4,...,32,64 (7 counts) for none, mmap-lock,
        // speculative and speculative-typesafe (vma-free=rcu,typesafe) without mm churn, and 1,...,32,63 (7 counts)
        // for the three VMA lookups with the address-space writer.
        assertEquals(5 * 7 * 4 + 5 * 7 * 3, e.configs().size());
        assertEquals(5 * 7 * 3, withMm);
        assertTrue(e.configs().stream().anyMatch(c -> c.mmWriters() == 1 && c.readers() == 63));
        assertTrue(e.configs().stream().anyMatch(c -> c.mmWriters() == 0 && c.readers() == 64));
    }

    @Test
    void theVmaProfileOnTwoCoresScalesDownToOneReaderBesideTheAddressSpaceWriter() {
        ConfigPlanner.Expansion e = ConfigPlanner.expand(vmaProfile(), cores(2));
        List<String> got = e.configs().stream().filter(c -> c.backend() == Backend.SRCU)
                .map(c -> c.vma().label() + "/" + c.readers() + "/" + c.mmWriters()).collect(Collectors.toList());
        assertEquals(List.of("none/1/0", "none/2/0", "mmap-lock/1/0", "mmap-lock/2/0", "mmap-lock/1/1",
                "speculative/1/0", "speculative/2/0", "speculative/1/1", "speculative-typesafe/1/0",
                "speculative-typesafe/2/0", "speculative-typesafe/1/1"), got);
    }

    @Test
    void aBadVmaLookupOrAddressSpaceRateIsAUsageErrorNamingTheChoices() {
        UsageException x = assertThrows(UsageException.class, () -> expand("vma=maple\n", 2));
        assertTrue(x.getMessage().contains("vma") && x.getMessage().contains("none, mmap-lock, speculative"),
                x.getMessage());
        x = assertThrows(UsageException.class, () -> expand("vma=speculative\nmm-churn=-5\n", 2));
        assertTrue(x.getMessage().contains("mm-churn"), x.getMessage());
        x = assertThrows(UsageException.class, () -> expand("backends=srcu\nreaders=1\nchurn=max\nvma=speculative\n"
                + "mm-churn=1000\n", 2));
        assertTrue(x.getMessage().contains("address-space writer"), x.getMessage());
    }

    @Test
    void theUretprobeProfileRunsEachDesignOnMainlinesLookupAndScalesDownOnTwoCores() {
        ConfigPlanner.Expansion e = ConfigPlanner.expand(Profile.load("uretprobe", java.nio.file.Path.of("."), List.of()),
                cores(2));
        List<String> got = e.configs().stream().filter(c -> c.uret().equals("hprobe") && c.riAlloc().equals("pool")
                && c.vma() == VmaLookup.NONE)
                .map(c -> c.uretDuration() + "/" + c.readers() + "/" + c.writers()).collect(Collectors.toList());
        assertEquals(List.of("0/1/0", "0/2/0", "200ms/1/0", "200ms/2/0", "0/1/1", "200ms/1/1"), got);
        List<String> vmaRows = e.configs().stream().filter(c -> c.vma() != VmaLookup.NONE)
                .map(c -> c.uret() + "/" + c.vma().label() + "/" + c.uretDuration() + "/" + c.riAlloc() + "/"
                        + c.churn() + "/" + c.readers()).collect(Collectors.toList());
        assertEquals(List.of("refcount/speculative-typesafe/0/pool/0/1", "refcount/speculative-typesafe/0/pool/0/2",
                "hprobe/speculative-typesafe/0/pool/0/1", "hprobe/speculative-typesafe/0/pool/0/2",
                "srcu-updown/speculative-typesafe/0/pool/0/1", "srcu-updown/speculative-typesafe/0/pool/0/2"), vmaRows,
                "the whole hit path once per design, in the baseline scenario");
        assertEquals(3 * 6 * 2 + 3 * 2, e.configs().size(),
                "three designs, each with 6.14's pool and the pre-6.14 rcu-free, and once through the address space");
        assertTrue(e.notes().stream().anyMatch(n -> n.startsWith("vma-scope=baseline") && n.contains("churn=0")
                && n.contains("uret-duration=0") && n.contains("ri-alloc=pool")), e.notes().toString());
        assertTrue(e.configs().stream().anyMatch(c -> c.backendKey().endsWith("-uret-hprobe-rcu-free")),
                "rcu-free rows are told apart by id");
        BenchConfig c = e.configs().get(0);
        assertEquals(Backend.SEQCOUNT_RCU, c.backend());
        assertTrue(c.backendKey().startsWith("seqcount-rcu-qsbr-uret-"), c.backendKey());
        assertTrue(c.label().contains(" + "), c.label());
        assertTrue(c.configKey().endsWith("_uret-d" + c.uretDuration()), c.configKey());
    }

    @Test
    void vmaScopeBaselineCrossesTheLookupsWithTheFirstScenarioOnlyAndAllCrossesEveryOne() {
        String axes = "backends=seqcount-rcu\nreaders=1\nchurn=0,1000\nuretprobe=hprobe\nuret-duration=0,200ms\n"
                + "ri-alloc=pool,rcu-free\nvma=none,mmap-lock\n";
        ConfigPlanner.Expansion all = expand(axes, 2);
        assertEquals(2 * 2 * 2 * 2, all.configs().size(), "vma-scope=all (the default) crosses every axis");
        ConfigPlanner.Expansion base = expand(axes + "vma-scope=baseline\n", 2);
        assertEquals(2 * 2 * 2 + 1, base.configs().size(), "the mmap-lock lookup once, in the first scenario");
        BenchConfig only = base.configs().stream().filter(c -> c.vma() == VmaLookup.MMAP_LOCK).findFirst().orElseThrow();
        assertEquals("0/0/pool", only.churn() + "/" + only.uretDuration() + "/" + only.riAlloc());
        ConfigPlanner.Expansion noUret = expand("backends=srcu\nreaders=1\nchurn=1000,0\nvma=none,speculative\n"
                + "vma-scope=baseline\n", 2);
        assertEquals(List.of("none/1000", "speculative/1000", "none/0"), noUret.configs().stream()
                .map(c -> c.vma().label() + "/" + c.churn()).collect(Collectors.toList()),
                "the first churn rate as written, not the smallest");
        assertTrue(noUret.notes().contains("vma-scope=baseline: the VMA lookups other than none run with churn=1000 only"),
                noUret.notes().toString());
        UsageException x = assertThrows(UsageException.class, () -> expand("vma-scope=some\n", 2));
        assertTrue(x.getMessage().contains("vma-scope") && x.getMessage().contains("baseline"), x.getMessage());
    }

    @Test
    void returnProbesOnAnotherBackEndAreSkippedWithANoteAndBadDesignsNameTheChoices() {
        ConfigPlanner.Expansion e = expand("backends=rwlock,seqcount-rcu\nreaders=1\nchurn=0\nuretprobe=none,refcount\n", 2);
        List<String> got = e.configs().stream().map(BenchConfig::label).collect(Collectors.toList());
        assertEquals(List.of("rwlock", "seqcount-rcu (qsbr)", "seqcount-rcu (qsbr) + refcount"), got);
        assertTrue(e.notes().stream().anyMatch(n -> n.contains("uretprobe=refcount") && n.contains("rwlock")),
                e.notes().toString());
        assertEquals("rwlock_r1_w0_churn-0_s1024_uniform_h0", e.configs().get(0).id(),
                "configurations without return probes keep the ids older reports have");
        UsageException x = assertThrows(UsageException.class, () -> expand("uretprobe=lease\n", 2));
        assertTrue(x.getMessage().contains("uretprobe") && x.getMessage().contains("refcount, hprobe, srcu-updown"),
                x.getMessage());
        x = assertThrows(UsageException.class, () -> expand("uret-duration=2s\n", 2));
        assertTrue(x.getMessage().contains("uret-duration"), x.getMessage());
        x = assertThrows(UsageException.class, () -> expand("ri-alloc=slab\n", 2));
        assertTrue(x.getMessage().contains("pool"), x.getMessage());
    }

    @Test
    void quickOnTwoCoresRunsTwoReadersOnlyWithoutChurn() {
        ConfigPlanner.Expansion e = expand("backends=rwlock\nreaders=1..2\nchurn=0,max\n", 2);
        List<String> got = e.configs().stream().map(c -> c.readers() + "/" + c.writers() + "/" + c.churn())
                .collect(Collectors.toList());
        assertEquals(List.of("1/0/0", "2/0/0", "1/1/max"), got);
    }

    @Test
    void theCeilingIsRunWithoutChurnOnlyAndTheSummarySaysSo() {
        ConfigPlanner.Expansion e = expand("backends=unsync\nreaders=1\nchurn=0,max\n", 2);
        assertEquals(1, e.configs().size());
        assertEquals("0", e.configs().get(0).churn());
        assertTrue(e.notes().get(0).contains("unsync"), e.notes().toString());
    }

    @Test
    void rcuFlavoursMultiplyOnlyTheBackEndsThatUseRcu() {
        ConfigPlanner.Expansion e = expand("backends=rwlock,seqcount-rcu\nreaders=1\nchurn=0\nrcu-flavour=qsbr,memb\n", 2);
        List<String> got = e.configs().stream().map(BenchConfig::label).collect(Collectors.toList());
        assertEquals(List.of("rwlock", "seqcount-rcu (qsbr)", "seqcount-rcu (memb)"), got);
    }

    @Test
    void explicitReaderCountOverTheCoresIsAUsageErrorNamingTheLimit() {
        UsageException x = assertThrows(UsageException.class, () -> expand("backends=srcu\nreaders=2\nchurn=max\n", 2));
        assertTrue(x.getMessage().contains("at most 2"), x.getMessage());
    }

    @Test
    void unpinnedRunsAllowAnyThreadCount() {
        ConfigPlanner.Expansion e = expand("backends=srcu\nreaders=4\nchurn=max\npinning=none\n", 2);
        assertEquals(4, e.configs().get(0).readers());
        assertTrue(!e.configs().get(0).pins().pinned());
    }

    @Test
    void scalingOnASixtyFourCoreServer() {
        ConfigPlanner.Expansion e = expand("backends=" + Backend.SRCU.cliName() + "\nreaders=1..max\nchurn=0,max\n", 64);
        List<Integer> noChurn = e.configs().stream().filter(c -> c.churn().equals("0")).map(BenchConfig::readers)
                .collect(Collectors.toList());
        List<Integer> churn = e.configs().stream().filter(c -> !c.churn().equals("0")).map(BenchConfig::readers)
                .collect(Collectors.toList());
        assertEquals(List.of(1, 2, 4, 8, 16, 32, 64), noChurn);
        assertEquals(List.of(1, 2, 4, 8, 16, 32, 63), churn);
    }

    @Test
    void configurationIdsAreUnique() {
        ConfigPlanner.Expansion e = expand("backends=safe\nreaders=1..max\nchurn=0,max\nstable=16,1024\n"
                + "rcu-flavour=qsbr,memb\ndistribution=uniform,zipf\n", 8);
        long distinct = e.configs().stream().map(BenchConfig::id).distinct().count();
        assertEquals(e.configs().size(), distinct);
    }

    @Test
    void forksAllowJmhsUnsafeOnlyOnRuntimesThatKnowTheOption() {
        assertEquals(List.of(), RunPlan.forkRuntimeArgs(17));
        assertEquals(List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"),
                RunPlan.forkRuntimeArgs(25));
        assertEquals(List.of("--enable-native-access=ALL-UNNAMED"), RunPlan.forkRuntimeArgs(22));
    }

    private static final HostKernel.Capability USABLE = new HostKernel.Capability(true, "real uprobes usable",
            "optimised", List.of());

    /** The host kernel's rows: its traps and probes crossed with churn and readers, on its own stable size. */
    @Test
    void theKernelExpandsOverItsOwnAxesWhereRealUprobesWork() {
        Profile p = Profile.parse("t", "backends=kernel,srcu\nreaders=1..2\nchurn=0,max\nstable=1024\n"
                + "kernel-trap=int3,nop5\nkernel-probe=uprobe,uretprobe\nkernel-readers=1\nvma=none,speculative\n",
                List.of());
        ConfigPlanner.Expansion e = ConfigPlanner.expand(p, cores(4), () -> USABLE);
        List<BenchConfig> kernel = e.configs().stream().filter(BenchConfig::isKernel).toList();
        assertEquals(2 * 2 * 2, kernel.size(), "traps x probes x churn, one reader: " + kernel);
        assertTrue(kernel.stream().allMatch(c -> c.readers() == 1 && c.stable() == 1 && c.handlerWork() == 0
                && c.vma() == dev.uprobebench.mm.VmaLookup.NONE && c.rcuFlavour() == null));
        assertTrue(kernel.stream().anyMatch(c -> c.id().equals("kernel-int3-uretprobe_r1_w1_churn-max_s1_uniform_h0")),
                kernel.stream().map(BenchConfig::id).toList().toString());
        assertTrue(kernel.stream().anyMatch(c -> c.label().equals("kernel (nop5)")));
        assertTrue(e.skipped().isEmpty());
        assertTrue(e.notes().stream().anyMatch(n -> n.startsWith("kernel: the host's own VMA lookup")), e.notes()
                .toString());
        assertTrue(e.configs().stream().anyMatch(c -> c.backend() == Backend.SRCU && c.readers() == 2));
    }

    /** Where real uprobes cannot be used, every kernel row is planned, listed as skipped with the reason, and not run. */
    @Test
    void withoutRealUprobesTheKernelRowsAreSkippedWithTheReason() {
        Profile p = Profile.parse("t", "backends=kernel,srcu\nreaders=1\nchurn=0,max\n", List.of());
        ConfigPlanner.Expansion e = ConfigPlanner.expand(p, cores(2),
                () -> HostKernel.Capability.unusable("no uprobe PMU"));
        assertTrue(e.configs().stream().noneMatch(BenchConfig::isKernel));
        assertEquals(2, e.skipped().size());
        assertTrue(e.skipped().stream().allMatch(k -> k.reason().equals("real uprobes not usable: no uprobe PMU")));
        assertTrue(e.notes().stream().anyMatch(n -> n.contains("2 configuration(s) skipped: real uprobes not usable")));
        UsageException only = assertThrows(UsageException.class, () -> ConfigPlanner.expand(Profile.parse("t",
                "backends=kernel\n", List.of()), cores(2), () -> HostKernel.Capability.unusable("no uprobe PMU")));
        assertTrue(only.getMessage().contains("no uprobe PMU"), only.getMessage());
    }

    /** 'safe' means the safe models: the host kernel is named on purpose, and its keys are checked. */
    @Test
    void safeLeavesTheKernelOutAndItsKeysAreChecked() {
        Profile p = Profile.parse("t", "backends=safe\n", List.of());
        assertTrue(p.settings().backends().stream().noneMatch(b -> b == Backend.KERNEL));
        UsageException e = assertThrows(UsageException.class, () -> Profile.parse("t", "kernel-trap=int3,jmp\n",
                List.of()));
        assertTrue(e.getMessage().contains("kernel-trap") && e.getMessage().contains("int3 (the classic"), e.getMessage());
        e = assertThrows(UsageException.class, () -> Profile.parse("t", "kernel-stable=65\n", List.of()));
        assertTrue(e.getMessage().contains("65 > 64"), e.getMessage());
    }

    /** A kernel row's fork: KernelBenchmark's group, two thread groups, its own parameters, native access. */
    @Test
    void aKernelRowRunsKernelBenchmarkWithItsParameters() {
        Profile p = Profile.parse("t", "backends=kernel\nreaders=1\nchurn=500\nkernel-trap=int3\n", List.of());
        HostKernel.Capability measured = new HostKernel.Capability(true, "usable", "optimised", List.of(
                new HostKernel.TrapCost("int3", 4821.4, 4600, 5100, 2.0, 5, 20000)));
        RunPlan plan = RunPlan.of(ConfigPlanner.expand(p, cores(2), () -> USABLE), p, () -> measured);
        assertTrue(plan.notes().stream().anyMatch(n -> n.startsWith("host trap cost per hit") && n.contains(
                "int3 4821 ns/hit")), plan.notes().toString());
        BenchConfig c = plan.configs().get(0);
        assertEquals(java.util.Map.of("trap", "int3", "probe", "uprobe", "attach", "thread", "stable", "1",
                "churnRate", "500"), plan.params(c));
        assertEquals(List.of(1, 1), java.util.Arrays.stream(RunPlan.threadGroups(c)).boxed().toList());
        assertTrue(plan.jvmArgs(c, java.nio.file.Path.of("raw")).contains("--enable-native-access=ALL-UNNAMED"));
        assertEquals(List.of("hits", "registryWrites"), List.of(RunPlan.scoreLabels(c)));
        String options = plan.options(c, "latency", java.nio.file.Path.of("raw")).build().getIncludes().toString();
        assertTrue(options.contains("KernelBenchmark\\.latency"), options);
    }

    /** trap-cost=host-...: the model's trap work is this host's measured hit, or the synthetic one, said so. */
    @Test
    void aHostTrapCostIsMeasuredHereOrFallsBackSayingWhy() {
        Profile p = Profile.parse("t", "backends=srcu\nreaders=1\nchurn=0\ntrap-cost=host-int3\n", List.of());
        ConfigPlanner.Expansion e = ConfigPlanner.expand(p, cores(2), () -> USABLE);
        HostKernel.Capability measured = new HostKernel.Capability(true, "usable", "optimised", List.of(
                new HostKernel.TrapCost("int3", 4821.4, 4600, 5100, 2.0, 5, 20000),
                new HostKernel.TrapCost("nop5", 1190.0, 1150, 1250, 2.0, 5, 20000)));
        RunPlan plan = RunPlan.of(e, p, () -> measured);
        assertEquals(4821, plan.trapNanos());
        assertEquals("4821", plan.params(plan.configs().get(0)).get("trapNanos"));
        assertTrue(plan.notes().stream().anyMatch(n -> n.startsWith("trap-cost=host-int3: 4821 ns per hit")),
                plan.notes().toString());
        RunPlan fallback = RunPlan.of(e, p, () -> HostKernel.Capability.unusable("not root"));
        assertEquals(dev.uprobebench.bench.TrapCost.parse("int3"), fallback.trapNanos());
        assertTrue(fallback.notes().stream().anyMatch(n -> n.contains("not root") && n.contains("fell back to the "
                + "synthetic int3")), fallback.notes().toString());
        assertThrows(UsageException.class, () -> Profile.parse("t", "trap-cost=host-jmp\n", List.of()));
    }
}
