package dev.uprobebench.report;

/**
 * What one finished throughput fork scored (JMH's score of the fork: the mean of its
 * iterations). The counts the fork's checker kept are on disk as trial records and reach the
 * result as {@link TrialTotals}.
 *
 * @param round the round the fork ran in
 * @param hitsPerSec reader hits per second over all readers
 * @param writerOpsPerSec writer operations per second (0 without writers)
 * @param jmhError JMH's own per-iteration error (99.9% half-width): a diagnostic only
 * @param missesPerIteration lookups that found nothing, per iteration, when counted (else null)
 * @param retriesPerIteration lockless lookups retried, per iteration, when counted (else null)
 * @param allocBytesPerOp gc.alloc.rate.norm, when the gc profiler ran (else null)
 * @param profiled a profiler (async-profiler, for the flame graphs) ran in this fork: its score is
 *     reported apart and never enters the estimates, the ratios or the comparisons
 */
public record ForkRecord(int round, double hitsPerSec, double writerOpsPerSec, double jmhError,
        Double missesPerIteration, Double retriesPerIteration, Double allocBytesPerOp, boolean profiled) {

    /** A fork without a profiler. */
    public ForkRecord(int round, double hitsPerSec, double writerOpsPerSec, double jmhError, Double missesPerIteration,
            Double retriesPerIteration, Double allocBytesPerOp) {
        this(round, hitsPerSec, writerOpsPerSec, jmhError, missesPerIteration, retriesPerIteration, allocBytesPerOp,
                false);
    }
}
