package dev.uprobebench.mm;

import dev.uprobebench.registry.InvariantCounters;
import dev.uprobebench.registry.Violation;
import java.util.ArrayDeque;

/**
 * The pool {@link MappedFile}s come from ({@code filp_cachep}, {@code SLAB_TYPESAFE_BY_RCU}).
 *
 * <h2>Assumptions and guarantees</h2>
 * <ul>
 *   <li>{@link #open} reuses the most recently closed file first (LIFO), so that a reader holding
 *       a stale pointer soon finds it reused for another inode; it grows on demand (files are
 *       few and never cross a grace period).</li>
 *   <li>A file closed twice is a {@link Violation#DOUBLE_FREE}, not applied.</li>
 *   <li>Called only under the mm's write lock; not thread-safe by itself.</li>
 * </ul>
 */
final class FilePool {
    private final ArrayDeque<MappedFile> free = new ArrayDeque<>();
    private final InvariantCounters invariants;
    private int created;
    private int open;

    FilePool(InvariantCounters invariants) {
        this.invariants = invariants;
    }

    MappedFile open(long inode) {
        MappedFile f = free.pollFirst();
        if (f == null) {
            f = new MappedFile(created++);
        }
        f.open(inode);
        open++;
        return f;
    }

    void close(MappedFile f) {
        if (f.isFree()) {
            invariants.countShared(Violation.DOUBLE_FREE, 1);
            return;
        }
        f.close();
        open--;
        free.addFirst(f);
    }

    /** Files handed out and not closed. */
    int open() {
        return open;
    }
}
