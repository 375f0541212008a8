package dev.uprobebench.run;

import java.nio.file.Path;
import org.openjdk.jmh.runner.RunnerException;

/**
 * Runs one forked JVM of one configuration: the round loop's only contact with JMH, so that the
 * loop (order, salvage, failure marking) can be tested without forking.
 */
@FunctionalInterface
public interface ForkRunner {
    /**
     * One fork of {@code mode} ({@code throughput} or {@code latency}); its JMH JSON and log go to
     * {@code jmh/<id>-<mode>-r<round>.json|.log} under {@code reportDir}.
     *
     * @param profiled attach async-profiler
     * @return the fork's scores (for {@code latency}, only its hits/s is meaningful)
     */
    ForkScore run(Path reportDir, BenchConfig c, String mode, int round, boolean profiled) throws RunnerException;

    /**
     * What one throughput fork measured: JMH's score of the fork (the mean of its iterations) for
     * hits/s over all readers and writer operations/s, JMH's own error of the hits, and the
     * secondary counters where the benchmark reported them (null otherwise).
     */
    record ForkScore(double hitsPerSec, double writerOpsPerSec, double hitsJmhError, Double missesPerIteration,
            Double retriesPerIteration, Double allocBytesPerOp) {
    }
}
