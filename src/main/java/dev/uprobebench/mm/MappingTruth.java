package dev.uprobebench.mm;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The address-space writer's own record of what it mapped, for the translation check
 * ({@link dev.uprobebench.registry.Violation#WRONG_TRANSLATION}): independent of the tree the
 * readers walk and of the VMA objects, so that a wrong walk, a torn read of a VMA or a reused VMA
 * shows as a translation that is not what was mapped.
 *
 * <h2>Assumptions and guarantees</h2>
 * <ul>
 *   <li>{@link #record} and {@link #forget} are called by the writer under the mm's write lock,
 *       inside the odd window of the sequence; {@link #publish} then stores an immutable snapshot
 *       for the even sequence the window will end at, with release, into a ring of the last
 *       {@value #VERSIONS} versions.</li>
 *   <li>{@link #at} returns the snapshot of a given even sequence if it is still in the ring, or
 *       null (the reader validated against a sequence older than that: the check is skipped and
 *       counted by the caller, never guessed).</li>
 * </ul>
 */
final class MappingTruth {
    static final int VERSIONS = 16;

    /** The mappings at one sequence, sorted by start. */
    record Snapshot(long sequence, long[] starts, long[] ends, long[] inodes, long[] pgoffs) {
        /** True when {@code vaddr} maps {@code (inode, offset)} in this snapshot. */
        boolean maps(long vaddr, long inode, long offset) {
            int lo = 0;
            int hi = starts.length - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (starts[mid] <= vaddr) {
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return hi >= 0 && vaddr < ends[hi] && inodes[hi] == inode && pgoffs[hi] + (vaddr - starts[hi]) == offset;
        }
    }

    /** start -> {end, inode, pgoff}; the writer's, under the write lock. */
    private final TreeMap<Long, long[]> mapped = new TreeMap<>();
    private final AtomicReferenceArray<Snapshot> ring = new AtomicReferenceArray<>(VERSIONS);

    MappingTruth() {
        publish(0); // the empty address space, before any write
    }

    void record(long start, long end, long inode, long pgoff) {
        mapped.put(start, new long[] {end, inode, pgoff});
    }

    void forget(long start) {
        mapped.remove(start);
    }

    /** The mappings as they will be at even sequence {@code sequence}. */
    void publish(long sequence) {
        int n = mapped.size();
        long[] s = new long[n];
        long[] e = new long[n];
        long[] i = new long[n];
        long[] p = new long[n];
        int k = 0;
        for (Map.Entry<Long, long[]> m : mapped.entrySet()) {
            s[k] = m.getKey();
            e[k] = m.getValue()[0];
            i[k] = m.getValue()[1];
            p[k] = m.getValue()[2];
            k++;
        }
        ring.setRelease(slot(sequence), new Snapshot(sequence, s, e, i, p));
    }

    /** The snapshot of even sequence {@code sequence}, or null when it has left the ring. */
    Snapshot at(long sequence) {
        Snapshot s = ring.getAcquire(slot(sequence));
        return s != null && s.sequence() == sequence ? s : null;
    }

    private static int slot(long sequence) {
        return (int) ((sequence >>> 1) % VERSIONS);
    }
}
