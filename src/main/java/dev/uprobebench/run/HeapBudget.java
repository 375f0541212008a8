package dev.uprobebench.run;

import dev.uprobebench.workload.Scene;
import dev.uprobebench.mm.VmaLookup;
import dev.uprobebench.registry.Backend;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;

/**
 * Whether each configuration's registry fits in the forked JVM's heap, checked before anything
 * runs: a slab of a billion uprobes would otherwise fail minutes later in the fork, or thrash.
 *
 * <p>Estimate: {@link #UPROBE_BYTES} per slab object (the {@code Uprobe}, about 190 bytes with
 * compressed references, 128 of them padding that keeps neighbours off each other's lines, as
 * {@code kmalloc-256} does in the kernel, measured with JOL in {@code HeapBudgetTest}; its slot in
 * the slab array; its consumer array), plus for {@code percpu-ref} one per-CPU counter per slot
 * and one atomic counter and flag per object, plus, with an address space, {@link #VMA_BYTES} per
 * VMA of the pool, plus {@link #FIXED_BYTES} for JMH, the histograms and the rest.
 * The heap is the last {@code -Xmx} or {@code -XX:MaxHeapSize=} of the profile's {@code jvm-args},
 * or the JVM's default, a quarter of physical memory.
 */
final class HeapBudget {
    static final long UPROBE_BYTES = 240;
    /** A {@code Vma} with its padding, tree links, fields and header, and its pool slot, rounded up. */
    static final long VMA_BYTES = 224;
    static final long FIXED_BYTES = 128L << 20;
    /** The share of the heap the estimate may take. */
    static final double HEADROOM = 0.75;

    private HeapBudget() {
    }

    /** Bytes a trial of {@code c} needs, by the estimate above. */
    static long needed(BenchConfig c, int churnKeys) {
        long slab = Scene.slabCapacity(c.stable(), churnKeys, c.writers());
        long slots = c.threads() + 1L;
        long bytes = FIXED_BYTES + slab * UPROBE_BYTES;
        if (c.vma() != VmaLookup.NONE) {
            bytes += Scene.vmaCapacity(Scene.MM_REGIONS) * VMA_BYTES;
        }
        if (c.backend() == Backend.PERCPU_REF) {
            bytes += slab * (8L * slots + 8 + 4);
        }
        return bytes;
    }

    /** The forked JVM's maximum heap in bytes: the last -Xmx or -XX:MaxHeapSize= in {@code jvmArgs}. */
    static long maxHeap(List<String> jvmArgs, long physicalBytes) {
        long heap = physicalBytes / 4;
        for (String a : jvmArgs) {
            if (a.startsWith("-Xmx")) {
                heap = size(a.substring(4), a);
            } else if (a.startsWith("-XX:MaxHeapSize=")) {
                heap = size(a.substring("-XX:MaxHeapSize=".length()), a);
            }
        }
        return heap;
    }

    private static long size(String v, String arg) {
        if (v.isEmpty()) {
            throw new UsageException("bad JVM argument '" + arg + "' in jvm-args; valid: a size such as 2g, 512m");
        }
        char unit = Character.toLowerCase(v.charAt(v.length() - 1));
        long mult = switch (unit) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            case 't' -> 1L << 40;
            default -> 1;
        };
        String digits = Character.isDigit(unit) ? v : v.substring(0, v.length() - 1);
        try {
            return Math.multiplyExact(Long.parseLong(digits), mult);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new UsageException("bad JVM argument '" + arg + "' in jvm-args; valid: a size such as 2g, 512m");
        }
    }

    static long physicalMemory() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getTotalMemorySize();
        }
        return Runtime.getRuntime().maxMemory() * 4;
    }

    /** Refuses the first configuration whose estimate exceeds the heap's usable share. */
    static void check(List<BenchConfig> configs, ProfileSettings s, long physicalBytes) {
        long heap = maxHeap(s.jvmArgs(), physicalBytes);
        for (BenchConfig c : configs) {
            long need = needed(c, s.churnKeys());
            if (need > HEADROOM * heap) {
                throw new UsageException(String.format(Locale.ROOT,
                        "configuration %s needs about %,d MiB of heap for its %,d-uprobe slab, more than %.0f%% of the "
                                + "forked JVM's %,d MiB; valid: raise -Xmx in jvm-args (at least -Xmx%dm) or lower stable",
                        c.id(), need >> 20, Scene.slabCapacity(c.stable(), s.churnKeys(), c.writers()),
                        HEADROOM * 100, heap >> 20, (long) Math.ceil(need / HEADROOM / (1 << 20))));
            }
        }
    }
}
