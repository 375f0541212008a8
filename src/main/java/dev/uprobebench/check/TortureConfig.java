package dev.uprobebench.check;

import dev.uprobebench.mm.KeyLayout;
import dev.uprobebench.mm.VmaLookup;
import dev.uprobebench.uret.ReturnProbeConfig;

/**
 * One torture run's shape.
 *
 * @param readers reader threads, hitting the stable set and, for {@code churnReadFraction} of
 *     their hits, the churn keys
 * @param writers writer threads registering and unregistering churn keys as fast as they can
 * @param millis how long readers and writers run
 * @param stableSize keys registered before the run and never removed
 * @param churnKeys keys the writers register and unregister (shared by all writers, so that
 *     registrations at one key are shared too)
 * @param churnReadFraction fraction of hits aimed at churn keys, in [0, 1]
 * @param handlerWork consumer handler work per hit ({@code Blackhole.consumeCPU} tokens)
 * @param syncEvery writers call {@code synchronize()} after this many unregistrations (0: never)
 * @param seed seed of every thread's key choice
 * @param interleaved churn keys sit between stable keys (stable at even offsets, churn at odd ones,
 *     one inode), so that the writers' rotations move the nodes the readers look for; otherwise
 *     they have an inode of their own, which sorts after every stable key
 * @param vmaLookup how readers get from an address to (inode, offset); with anything but
 *     {@code none} the run has an address space ({@link dev.uprobebench.mm.AddressSpace}) that maps
 *     the probed files, and readers hit addresses
 * @param mmWriters address-space writer threads: they map and unmap regions that hold no uprobe
 *     and, when the churn keys have a file of their own, now and then remap that file's mapping
 *     (so a reader's translation goes stale under it); 0 unless {@code vmaLookup} is set
 * @param uretprobes return probes and their lifetime design, or null for none
 */
public record TortureConfig(int readers, int writers, long millis, int stableSize, int churnKeys,
        double churnReadFraction, long handlerWork, int syncEvery, long seed, boolean interleaved,
        VmaLookup vmaLookup, int mmWriters, ReturnProbeConfig uretprobes) {

    public TortureConfig {
        if (readers < 0 || writers < 0 || readers + writers == 0) {
            throw new IllegalArgumentException("need at least one reader or writer, got readers=" + readers
                    + " writers=" + writers);
        }
        if (millis < 1) {
            throw new IllegalArgumentException("duration must be at least 1 ms, got " + millis);
        }
        if (stableSize < 1 || churnKeys < 1) {
            throw new IllegalArgumentException("stable set and churn set need at least one key each");
        }
        if (!(churnReadFraction >= 0 && churnReadFraction <= 1)) {
            throw new IllegalArgumentException("churn read fraction must be in [0, 1], got " + churnReadFraction);
        }
        if (vmaLookup == null) {
            throw new IllegalArgumentException("a VMA lookup is required; valid: " + VmaLookup.names());
        }
        if (mmWriters < 0 || (mmWriters > 0 && vmaLookup == VmaLookup.NONE)) {
            throw new IllegalArgumentException("address-space writers need a VMA lookup (mmap-lock or speculative) and "
                    + "must be >= 0, got " + mmWriters + " with '" + vmaLookup.label() + "'");
        }
        if (syncEvery < 0) {
            throw new IllegalArgumentException("syncEvery must be >= 0, got " + syncEvery);
        }
    }

    /** A few seconds of 2 readers and 1 writer over 1k stable and 64 churn keys. */
    public static TortureConfig defaults() {
        return new TortureConfig(2, 1, 2000, 1024, 64, 0.2, 0, 64, 42, false, VmaLookup.NONE, 0, null);
    }

    public TortureConfig withThreads(int r, int w) {
        return new TortureConfig(r, w, millis, stableSize, churnKeys, churnReadFraction, handlerWork, syncEvery, seed,
                interleaved, vmaLookup, mmWriters, uretprobes);
    }

    public TortureConfig withMillis(long ms) {
        return new TortureConfig(readers, writers, ms, stableSize, churnKeys, churnReadFraction, handlerWork,
                syncEvery, seed, interleaved, vmaLookup, mmWriters, uretprobes);
    }

    public TortureConfig withChurn(int keys, double readFraction) {
        return new TortureConfig(readers, writers, millis, stableSize, keys, readFraction, handlerWork, syncEvery,
                seed, interleaved, vmaLookup, mmWriters, uretprobes);
    }

    public TortureConfig withStable(int keys) {
        return new TortureConfig(readers, writers, millis, keys, churnKeys, churnReadFraction, handlerWork, syncEvery,
                seed, interleaved, vmaLookup, mmWriters, uretprobes);
    }

    public TortureConfig withSyncEvery(int n) {
        return new TortureConfig(readers, writers, millis, stableSize, churnKeys, churnReadFraction, handlerWork, n,
                seed, interleaved, vmaLookup, mmWriters, uretprobes);
    }

    public TortureConfig withHandlerWork(long work) {
        return new TortureConfig(readers, writers, millis, stableSize, churnKeys, churnReadFraction, work, syncEvery,
                seed, interleaved, vmaLookup, mmWriters, uretprobes);
    }

    public TortureConfig withSeed(long s) {
        return new TortureConfig(readers, writers, millis, stableSize, churnKeys, churnReadFraction, handlerWork,
                syncEvery, s, interleaved, vmaLookup, mmWriters, uretprobes);
    }

    /** The same shape with churn keys between the stable ones ({@code interleaved}). */
    public TortureConfig withInterleavedKeys() {
        KeyLayout.INTERLEAVED.check(stableSize, churnKeys);
        return new TortureConfig(readers, writers, millis, stableSize, churnKeys, churnReadFraction, handlerWork,
                syncEvery, seed, true, vmaLookup, mmWriters, uretprobes);
    }

    /** The same shape with an address space looked up as {@code lookup}, changed by {@code writers} threads. */
    public TortureConfig withVma(VmaLookup lookup, int writers) {
        return new TortureConfig(readers, this.writers, millis, stableSize, churnKeys, churnReadFraction, handlerWork,
                syncEvery, seed, interleaved, lookup, writers, uretprobes);
    }

    /** Return probes on the keys {@code uret} names, with its lifetime design. */
    public TortureConfig withUretprobes(ReturnProbeConfig uret) {
        return new TortureConfig(readers, writers, millis, stableSize, churnKeys, churnReadFraction, handlerWork,
                syncEvery, seed, interleaved, vmaLookup, mmWriters, uret);
    }

    /** Where the stable and churn keys sit. */
    public KeyLayout keyLayout() {
        return interleaved ? KeyLayout.INTERLEAVED : KeyLayout.SEPARATE;
    }

    public long stableInode() {
        return keyLayout().stableInode();
    }

    /** The offset of stable key {@code k}: {@code k}, or {@code 2k} when interleaved. */
    public long stableOffset(int k) {
        return keyLayout().stableOffset(k);
    }

    /** The inode of the churn keys: their own, or the stable one when interleaved. */
    public long churnInode() {
        return keyLayout().churnInode();
    }

    /** The offset of churn key {@code k}: {@code k}, or {@code 2k + 1} (between two stable keys) when interleaved. */
    public long churnOffset(int k) {
        return keyLayout().churnOffset(k);
    }

    /** Slab capacity for this shape: every key live at once, plus room for deferred frees. */
    public int slabCapacity() {
        return stableSize + 4 * churnKeys + 65_536;
    }

    /** Slots: one per thread plus one for the driver itself. */
    public int slots() {
        // + the harness's; with return probes, a timer per reader (each its own slot) and one driven by hand
        return readers + writers + mmWriters + 1 + (uretprobes != null ? readers + 1 : 0);
    }
}
