package dev.uprobebench.mm;

import dev.uprobebench.registry.InvariantCounters;
import dev.uprobebench.registry.Violation;

/**
 * Preallocated {@link Vma}s ({@code vm_area_cachep}).
 *
 * <h2>Assumptions and guarantees</h2>
 * <ul>
 *   <li>{@link #tryAllocate} hands out the most recently freed VMA first (LIFO), so that an early
 *       free is recycled, and caught, soon; {@code null} when none is free (never the garbage
 *       collector).</li>
 *   <li>{@link #free} poisons the VMA; a second free is a {@link Violation#DOUBLE_FREE}, not
 *       applied.</li>
 *   <li>Blocking (a monitor): frees come from the RCU reclaimer, allocations from mm writers.</li>
 * </ul>
 */
final class VmaPool {
    private final Vma[] objects;
    private final int[] freeStack;
    private int freeTop;
    private final InvariantCounters invariants;

    VmaPool(int capacity, InvariantCounters invariants) {
        if (capacity < 1) {
            throw new IllegalArgumentException("VMA pool capacity must be at least 1, got " + capacity);
        }
        this.invariants = invariants;
        objects = new Vma[capacity];
        freeStack = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            objects[i] = new Vma(i);
            freeStack[i] = capacity - 1 - i;
        }
        freeTop = capacity;
    }

    synchronized Vma tryAllocate(long start, long end, long pgoff) {
        if (freeTop == 0) {
            return null;
        }
        Vma v = objects[freeStack[--freeTop]];
        v.initialize(start, end, pgoff);
        return v;
    }

    synchronized void free(Vma v) {
        if (objects[v.index()] != v) {
            throw new IllegalArgumentException(v + " does not belong to this pool");
        }
        if (!v.poison()) {
            invariants.countShared(Violation.DOUBLE_FREE, 1);
            return;
        }
        freeStack[freeTop++] = v.index();
    }

    synchronized int inUse() {
        return objects.length - freeTop;
    }

    int capacity() {
        return objects.length;
    }
}
