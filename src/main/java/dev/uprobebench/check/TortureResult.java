package dev.uprobebench.check;

import dev.uprobebench.uret.ReturnProbes;
import dev.uprobebench.mm.VmaLookup;

import dev.uprobebench.registry.Violation;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a torture run did and found.
 *
 * @param backend back-end name
 * @param config the run's shape
 * @param elapsedMillis time readers and writers actually ran
 * @param hits reader lookups that found a uprobe
 * @param misses reader lookups that found none
 * @param retries seqcount retries on the read side
 * @param writerOps register plus unregister calls
 * @param violations every invariant count, leaks included
 * @param speculations speculative VMA lookups tried ({@code speculative} mode)
 * @param fallbacks of those, the ones that failed and went through {@code mmap_read_lock}
 * @param mmOps address-space writer operations (mmap plus munmap)
 * @param uretprobes what return probes did, or null when the run had none
 * @param readerAge the age oracle's histogram: uses of unlinked uprobes 0, 1, 2+ grace periods after the unlink
 */
public record TortureResult(String backend, TortureConfig config, long elapsedMillis, long hits, long misses,
        long retries, long writerOps, Map<Violation, Long> violations, long speculations, long fallbacks,
        long mmOps, ReturnProbes.Counts uretprobes, long[] readerAge) {

    public long totalViolations() {
        return violations.values().stream().mapToLong(Long::longValue).sum();
    }

    public long count(Violation v) {
        return violations.getOrDefault(v, 0L);
    }

    public boolean clean() {
        return totalViolations() == 0;
    }

    /** Human-readable lines, one per count. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("back-end %s: %d readers, %d writers, %d ms%n", backend, config.readers(),
                config.writers(), elapsedMillis));
        sb.append(String.format("  lookups     %,d (hits %,d, misses %,d, seqcount retries %,d)%n", hits + misses, hits,
                misses, retries));
        sb.append(String.format("  writer ops  %,d%n", writerOps));
        if (config.vmaLookup() != VmaLookup.NONE) {
            sb.append(String.format("  VMA lookup  %s: speculations %,d, fallbacks %,d; mm writer ops %,d%n",
                    config.vmaLookup().label(), speculations, fallbacks, mmOps));
        }
        if (readerAge != null && readerAge[0] + readerAge[1] + readerAge[2] > 0) {
            sb.append(String.format("  age oracle  uses of unlinked uprobes, by grace periods since the unlink: 0: %,d, "
                    + "1: %,d, 2+: %,d%n", readerAge[0], readerAge[1], readerAge[2]));
        }
        if (uretprobes != null) {
            sb.append(String.format("  uretprobes  %s: %s%n", config.uretprobes().lifetime().label(), uretprobes));
        }
        sb.append(violations.entrySet().stream()
                .map(e -> String.format("  %-15s %d", e.getKey().label(), e.getValue()))
                .collect(Collectors.joining(System.lineSeparator())));
        sb.append(System.lineSeparator());
        sb.append(clean() ? "  verdict     clean" : "  verdict     INVALID: " + totalViolations() + " violations");
        return sb.toString();
    }
}
