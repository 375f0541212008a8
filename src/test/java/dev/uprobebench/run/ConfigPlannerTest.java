package dev.uprobebench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uprobebench.pin.CpuTopology;
import dev.uprobebench.pin.LogicalCpu;
import dev.uprobebench.registry.Backend;
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
}
