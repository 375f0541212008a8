package dev.uprobebench.host;

import dev.uprobebench.registry.HostKernel;
import dev.uprobebench.registry.LostHitCheck;
import java.util.List;

/**
 * One reader of the {@code kernel} back-end: its own perf event on each probe target it hits,
 * opened for its own thread (so each count is this reader's alone, and the kernel runs one
 * consumer per reader on each uprobe: the "per-thread events" attach shape of DESIGN.md section
 * 10), and its own record of the calls it made. Hit = one call of a probed function.
 *
 * <p>Confined to the thread that {@link #open opened} it, except {@link #finish()}, which may run
 * on another thread once this one has stopped hitting. {@link #unprobed} is the same reader with no
 * events: the null baseline, whose calls nothing counts.
 */
public final class KernelReader implements HostKernel.Reader {
    private final List<ProbeTargets.Function> targets;
    private final UprobeEvent[] events;
    private final long[] calls;
    private LostHitCheck finished;

    private KernelReader(List<ProbeTargets.Function> targets, UprobeEvent[] events) {
        this.targets = targets;
        this.events = events;
        this.calls = new long[targets.size()];
        // null: unprobed
    }

    /**
     * Registers a (return) probe on each target for the calling thread and enables it. On a
     * failure the events already opened are closed and the failure names the call.
     */
    public static KernelReader open(UprobePmu pmu, List<ProbeTargets.Function> targets, boolean retprobe) {
        UprobeEvent[] events = new UprobeEvent[targets.size()];
        try {
            for (int i = 0; i < events.length; i++) {
                ProbeTargets.Function f = targets.get(i);
                events[i] = UprobeEvent.forThisThread(pmu, f.file(), f.offset(), retprobe);
                events[i].enable();
            }
        } catch (RuntimeException e) {
            closeAll(events);
            throw e;
        }
        return new KernelReader(List.copyOf(targets), events);
    }

    /**
     * The same calls with no events of this reader's own: the {@code kernel} back-end's null
     * baseline, or a reader whose hits shared probes count.
     */
    public static KernelReader unprobed(List<ProbeTargets.Function> targets) {
        return new KernelReader(List.copyOf(targets), null);
    }

    /** The number of probe targets this reader hits. */
    @Override
    public int targets() {
        return calls.length;
    }

    /** One hit on target {@code i}, one downcall: what a latency round times. */
    @Override
    public void hit(int i) {
        targets.get(i).call();
        calls[i]++;
    }

    /** {@code n} hits on target {@code i} from the native loop: what a throughput round runs. */
    @Override
    public void hitBatch(int i, long n) {
        targets.get(i).callMany(n);
        calls[i] += n;
    }

    @Override
    public long[] callsPerTarget() {
        return calls.clone();
    }

    /** The calls recorded so far, over all targets. */
    public long calls() {
        long c = 0;
        for (long x : calls) {
            c += x;
        }
        return c;
    }

    /** Disables the events and checks their counts against the calls; once. */
    @Override
    public synchronized LostHitCheck finish() {
        if (finished == null && events == null) {
            finished = LostHitCheck.NONE; // nothing of its own to check: see finishShared
        }
        if (finished == null) {
            long[] counts = new long[events.length];
            for (int i = 0; i < events.length; i++) {
                events[i].disable();
                counts[i] = events[i].count();
            }
            finished = LostHitCheck.of(calls.clone(), counts);
        }
        return finished;
    }

    /** Unregisters every probe of this reader. */
    @Override
    public void close() {
        closeAll(events);
    }

    private static void closeAll(UprobeEvent[] events) {
        if (events == null) {
            return;
        }
        RuntimeException first = null;
        for (UprobeEvent e : events) {
            if (e == null) {
                continue;
            }
            try {
                e.close();
            } catch (RuntimeException x) {
                if (first == null) {
                    first = x;
                } else {
                    first.addSuppressed(x);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
