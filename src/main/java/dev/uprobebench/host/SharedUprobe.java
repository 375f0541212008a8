package dev.uprobebench.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One uprobe shared by every reader: defined once in tracefs and counted by one perf event per
 * CPU ({@code pid = -1, cpu = N}), so the kernel runs a single consumer on each hit, and a reader
 * pinned to CPU N reads its own exact count from event N (DESIGN.md section 10). The other attach
 * shape, one {@link UprobeEvent} per reader thread, puts one consumer per reader on the uprobe.
 *
 * <p>Counting every task on a CPU needs root or CAP_PERFMON. Thread-safe; closes its events, then
 * removes its definition.
 */
public final class SharedUprobe implements AutoCloseable {
    private static final AtomicLong NEXT = new AtomicLong();
    private static final int PERF_TYPE_TRACEPOINT = 2;

    private final Tracefs tracefs;
    private final String group;
    private final String event;
    private final UprobeEvent[] perCpu;

    private SharedUprobe(Tracefs tracefs, String group, String event, UprobeEvent[] perCpu) {
        this.tracefs = tracefs;
        this.group = group;
        this.event = event;
        this.perCpu = perCpu;
    }

    /** Defines the probe on {@code f} and opens a counting event on each of {@code cpus} CPUs. */
    public static SharedUprobe open(Tracefs tracefs, ProbeTargets.Function f, boolean retprobe, int cpus)
            throws IOException {
        String group = "uprobe_bench_" + ProcessHandle.current().pid();
        String event = "f" + f.index() + "_" + NEXT.getAndIncrement();
        int id = tracefs.define(group, event, f.file(), f.offset(), retprobe);
        UprobeEvent[] events = new UprobeEvent[cpus];
        try {
            for (int cpu = 0; cpu < cpus; cpu++) {
                events[cpu] = UprobeEvent.tracepointOnCpu(PERF_TYPE_TRACEPOINT, id, group + "/" + event, cpu);
                events[cpu].enable();
            }
        } catch (RuntimeException e) {
            for (UprobeEvent x : events) {
                if (x != null) {
                    x.close();
                }
            }
            tracefs.remove(group, event);
            throw e;
        }
        return new SharedUprobe(tracefs, group, event, events);
    }

    /** The hits counted on {@code cpu}. */
    public long count(int cpu) {
        return perCpu[cpu].count();
    }

    /** The hits counted on every CPU. */
    public long[] counts() {
        return Arrays.stream(perCpu).mapToLong(UprobeEvent::count).toArray();
    }

    /** Stops counting on every CPU; the counts stay readable. */
    public void disable() {
        for (UprobeEvent e : perCpu) {
            e.disable();
        }
    }

    /** {@code group/event} in tracefs. */
    public String name() {
        return group + "/" + event;
    }

    @Override
    public void close() {
        for (UprobeEvent e : perCpu) {
            e.close();
        }
        try {
            tracefs.remove(group, event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
