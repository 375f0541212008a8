package dev.uprobebench.registry;

import org.openjdk.jmh.infra.Blackhole;

/**
 * A uprobe consumer: the handler a breakpoint hit runs (a BPF program or a perf event in the
 * kernel). Its cost is {@code work} tokens of {@link Blackhole#consumeCPU(long)}, the same knob as
 * refscale's read-side delay; zero by default.
 *
 * <p>Handlers must not allocate: they run on the measured hit path.
 */
public class UprobeConsumer {
    private final long work;

    public UprobeConsumer() {
        this(0);
    }

    public UprobeConsumer(long work) {
        if (work < 0) {
            throw new IllegalArgumentException("handler work must be >= 0, got " + work);
        }
        this.work = work;
    }

    public long work() {
        return work;
    }

    /**
     * Runs the handler for a hit on {@code uprobe}. The default burns {@code work} tokens and
     * returns the uprobe's offset, so that the result depends on the object the lookup found.
     */
    public long handle(Uprobe uprobe) {
        if (work > 0) {
            Blackhole.consumeCPU(work);
        }
        return uprobe.offset();
    }
}
