package dev.uprobebench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The fork's own words, from JMH's output as JMH 1.37 writes it. */
class ForkLogTest {
    @Test
    void aJvmThatCannotStartIsNamed() {
        // java -jar benchmarks.jar ... -jvmArgs -Xmx1k, JMH 1.37, verbatim
        List<String> log = List.of("# Fork: 1 of 1", "Error occurred during initialization of VM",
                "Too small maximum heap", "<forked VM failed with exit code 1>", "<stdout last='20 lines'>",
                "Error occurred during initialization of VM", "Too small maximum heap", "</stdout>",
                "<stderr last='20 lines'>", "</stderr>", "", "# Run complete. Total time: 00:00:00");
        assertEquals("forked JVM exited with code 1: Too small maximum heap (the JVM did not start)",
                ForkLog.failure(log));
    }

    @Test
    void anExceptionInTheBenchmarkIsNamedByItsDeepestCause() {
        List<String> log = List.of("# Warmup Iteration   1: <failure>", "", "<failure>", "",
                "java.lang.IllegalStateException: setup failed", "\tat dev.uprobebench.bench.X.setup(X.java:1)",
                "Caused by: java.lang.OutOfMemoryError: Java heap space", "\tat dev.uprobebench.registry.Slab.<init>",
                "</failure>");
        assertEquals("java.lang.OutOfMemoryError: Java heap space", ForkLog.failure(log));
    }

    @Test
    void aLogWithNothingMoreThanJmhSaidGivesNothing() {
        assertNull(ForkLog.failure(List.of("# Run progress: 0.00% complete", "# Fork: 1 of 1", "Iteration 1: 5 ops/s")));
    }
}
