package dev.uprobebench.workload;

import dev.uprobebench.mm.AddressSpace;
import dev.uprobebench.mm.Layout;
import dev.uprobebench.mm.VmaWalker;
import dev.uprobebench.registry.UprobeRegistry;
import dev.uprobebench.sync.CpuSlot;
import dev.uprobebench.uret.ReturnProbes;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One reader's breakpoint hits, on the thread that made it: a per-CPU slot, the keys of a
 * {@link KeySequence} (stable keys, and churn keys for a fraction), through the address space
 * when there is one, as return probes when there are, with the trap's fixed work before each hit,
 * and a quiescent state every {@value #QUIESCENT_EVERY} hits. Online between
 * {@link #online()} and {@link #offline()}; {@link #close()} at the end.
 */
public final class HitReader {
    /** Hits between two quiescent-state announcements (QSBR back-ends). */
    public static final int QUIESCENT_EVERY = 64;

    private final UprobeRegistry registry;
    /** The reader's way through the address space, or null for the registry-only hit. */
    private final VmaWalker walker;
    /** Return-probe entries through the address space: the walker ends in the task's hit. */
    private final VmaWalker.Lookup taskLookup;
    private final AddressSpace mm;
    private final long stableBase;
    private final long churnBase;
    /**
     * The key layout as arithmetic on the hit path: stable key k at (stableInode, k * stableStride),
     * churn key k at (churnInode, k * churnStride + churnShift).
     */
    private final long stableInode;
    private final long churnInode;
    private final int stableStride;
    private final int churnStride;
    private final int churnShift;
    private final CpuSlot slot;
    private final long trapTokens;
    /** This reader's return stack, or null without return probes. */
    private final ReturnProbes.Task task;
    private final KeySequence keys;
    private int untilQuiescent = QUIESCENT_EVERY;
    private long retryBase;
    private long retries;
    private long hits;
    private long misses;

    /** The return path's latency (ns), when return probes are timed; else null. */
    private final Histogram returnLatency;

    /**
     * @param trapTokens {@code Blackhole.consumeCPU} tokens before each hit, standing for the trap (0: none)
     * @param timeReturns time every return (timed runs only: a clock read per return would cost throughput)
     */
    public HitReader(Scene scene, KeySequence keys, long trapTokens, boolean timeReturns) {
        this.registry = scene.registry;
        this.keys = keys;
        this.trapTokens = trapTokens;
        this.slot = registry.slots().acquire();
        this.mm = scene.mm;
        this.stableInode = scene.layout.stableInode();
        this.churnInode = scene.layout.churnInode();
        this.stableStride = (int) scene.layout.stableOffset(1);
        this.churnStride = (int) (scene.layout.churnOffset(1) - scene.layout.churnOffset(0));
        this.churnShift = (int) scene.layout.churnOffset(0);
        if (mm != null) {
            walker = mm.newWalker(); // on this thread: its fields are written on every hit
            stableBase = Layout.probedBase(stableInode);
            churnBase = Layout.probedBase(churnInode);
        } else {
            walker = null;
            stableBase = 0;
            churnBase = 0;
        }
        if (scene.uret != null) {
            task = scene.uret.newTask(slot);
            ReturnProbes.Task t = task;
            taskLookup = walker == null ? null : (s, inode, offset, check) -> t.hit(inode, offset, check);
            returnLatency = timeReturns ? Timing.histogram() : null;
            if (returnLatency != null) {
                task.recordReturnLatency(returnLatency);
            }
        } else {
            task = null;
            taskLookup = null;
            returnLatency = null;
        }
    }

    /** The reader starts using its slot (and the address space's). */
    public void online() {
        registry.readerOnline(slot);
        if (mm != null) {
            mm.online(slot);
        }
        retryBase = registry.invariants().retries(slot);
        retries = 0;
    }

    /**
     * Offline, so that a grace period never waits on a parked thread; every pending return first
     * returns while this reader is still online (a reference or lease held past here is a leak).
     */
    public void offline() {
        if (task != null) {
            task.drain();
        }
        registry.readerOffline(slot);
        if (mm != null) {
            mm.offline(slot);
        }
    }

    /** One breakpoint hit on the next key: the uprobe's value, or {@link UprobeRegistry#MISS}. */
    public long hit() {
        long r = lookup(keys.next());
        afterHit(r);
        return r;
    }

    /** As {@link #hit()}, the hit timed into {@code latency} (ns). */
    public long hitTimed(org.HdrHistogram.SingleWriterRecorder latency) {
        int k = keys.next();
        long t0 = System.nanoTime();
        long r = lookup(k);
        latency.recordValue(Timing.clamp(System.nanoTime() - t0));
        afterHit(r);
        return r;
    }

    /** A key code of {@link KeySequence} (stable key, or churn key): from the key, or from its address. */
    private long lookup(int k) {
        if (trapTokens > 0) {
            Blackhole.consumeCPU(trapTokens); // the trap and single-step around the hit
        }
        if (walker != null) {
            long vaddr = k >= 0 ? stableBase + stableOffset(k) : churnBase + churnOffset(-1 - k);
            return taskLookup != null ? walker.hit(slot, vaddr, taskLookup) : walker.hit(slot, vaddr, registry);
        }
        if (task != null) {
            return k >= 0 ? task.hit(stableInode, stableOffset(k)) : task.hit(churnInode, churnOffset(-1 - k));
        }
        return k >= 0 ? registry.hit(slot, stableInode, stableOffset(k))
                : registry.hit(slot, churnInode, churnOffset(-1 - k));
    }

    private long stableOffset(int k) {
        return (long) k * stableStride;
    }

    private long churnOffset(int k) {
        return (long) k * churnStride + churnShift;
    }

    private void afterHit(long r) {
        hits++;
        if (r == UprobeRegistry.MISS) {
            misses++;
        }
        if (--untilQuiescent == 0) {
            untilQuiescent = QUIESCENT_EVERY;
            registry.readerQuiescent(slot);
            if (mm != null) {
                mm.quiescent(slot);
            }
            retries = registry.invariants().retries(slot) - retryBase;
        }
    }

    /** The return path's latency histogram, or null when returns were not timed. */
    public Histogram returnLatency() {
        return returnLatency;
    }

    public long hits() {
        return hits;
    }

    public long misses() {
        return misses;
    }

    /** Lockless lookups retried since {@link #online()}, as of the last quiescent state. */
    public long retries() {
        return retries;
    }

    /** Speculative VMA lookups tried, and those that fell back to the lock (0 without an address space). */
    public long speculations() {
        return walker == null ? 0 : walker.speculations();
    }

    public long fallbacks() {
        return walker == null ? 0 : walker.fallbacks();
    }

    /** Of those, the ones that gave up at the tree's step bound. */
    public long stepBoundFallbacks() {
        return walker == null ? 0 : walker.stepBoundFallbacks();
    }

    public long revalidationFallbacks() {
        return walker == null ? 0 : walker.revalidationFallbacks();
    }

    public long translationsUnchecked() {
        return walker == null ? 0 : walker.translationsUnchecked();
    }

    /** Drains what is pending (online, as returns run in read sections) and gives the slot back. */
    public void close() {
        if (task != null) {
            registry.readerOnline(slot);
            task.drain();
            registry.readerOffline(slot);
        }
        registry.slots().release(slot);
    }
}
