package dev.uprobebench.bench;

import dev.uprobebench.mm.VmaLookup;
import dev.uprobebench.pin.PinningPlan;
import dev.uprobebench.registry.Backend;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The thread groups of the benchmarks' asymmetric groups ({@code -tg R,W,M}): which group method
 * plays which role, how many threads it has, and a writer's pace.
 */
final class Groups {
    private Groups() {
    }

    /** Threads of the group method that plays {@code role}. */
    static int threadsOf(BenchmarkParams params, String role) {
        int[] counts = params.getThreadGroups();
        String[] labels = params.getThreadGroupLabels().toArray(new String[0]);
        for (int i = 0; i < labels.length && i < counts.length; i++) {
            if (roleOf(labels[i]).equals(role)) {
                return counts[i];
            }
        }
        return 0;
    }

    /** The role of a group method: {@code hit*} read, {@code write*Mm} change the address space, {@code write*} churn. */
    static String roleOf(String method) {
        if (method.startsWith("hit")) {
            return PinningPlan.READER;
        }
        return method.endsWith("Mm") ? PinningPlan.MM_WRITER : PinningPlan.WRITER;
    }

    /** Operations a second: {@code max} is 0 (as fast as it can), else a number >= 0. */
    static long parseRate(String rate) {
        if ("max".equals(rate)) {
            return 0;
        }
        try {
            long r = Long.parseLong(rate);
            if (r >= 0) {
                return r;
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new IllegalArgumentException("churnRate must be 0, a positive number of operations per second "
                + "per writer, or max; got '" + rate + "'");
    }

    /** The pace of {@code rate} operations a second: ns between operations, 0 for {@code max} or 0. */
    static long intervalNanos(String rate) {
        long r = parseRate(rate);
        return r == 0 ? 0 : TimeUnit.SECONDS.toNanos(1) / r;
    }

    /** Refuses thread groups the parameters cannot run, saying which {@code -tg} or {@code -p} would. */
    static void check(Backend b, int readers, int writers, int mmWriters, VmaLookup lookup, String churnRate,
            String mmChurnRate) {
        if (mmWriters > 0 && lookup == VmaLookup.NONE) {
            throw new IllegalArgumentException("vmaLookup=none has no address space for " + mmWriters
                    + " address-space writer(s); use -p vmaLookup=mmap-lock or speculative, or -tg " + readers + ","
                    + writers + ",0");
        }
        if (mmWriters > 0 && "0".equals(mmChurnRate)) {
            throw new IllegalArgumentException("mmChurnRate=0 with " + mmWriters + " address-space writer(s); use -tg "
                    + readers + "," + writers + ",0");
        }
        if (writers > 0 && !b.allowsChurn()) {
            throw new IllegalArgumentException("back-end '" + b.cliName()
                    + "' does not allow writers while readers run (it is the unsynchronized ceiling); use -tg "
                    + readers + ",0");
        }
        if (writers > 0 && "0".equals(churnRate)) {
            throw new IllegalArgumentException("churnRate=0 with " + writers + " writer(s); use -tg " + readers + ",0");
        }
    }
}
