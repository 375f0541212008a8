package dev.uprobebench.registry;

/**
 * A pool of preallocated {@link Uprobe}s (a {@code kmem_cache} in the kernel's terms).
 *
 * <h2>Assumptions and guarantees</h2>
 * <ul>
 *   <li>{@link #allocate} hands out a free object with a new generation, the given key, state
 *       {@link Uprobe.State#LIVE} and refcount 1; when none is free it throws
 *       {@link SlabExhaustedException} ({@link #tryAllocate} returns null), never falls back to
 *       the garbage collector.</li>
 *   <li>{@link #free} poisons the object (state FREED, key {@link Uprobe#POISON}) and makes it the
 *       next one handed out (LIFO), so that an early free is recycled, and caught, soon. A double
 *       free is refused, reported to the caller and counted as a {@link Violation#DOUBLE_FREE}
 *       (a result with one is invalid, like any other violation).</li>
 *   <li>Blocking (a monitor); never called on the hit path except by a deliberately broken
 *       back-end.</li>
 * </ul>
 */
public final class Slab {
    private final Uprobe[] objects;
    private final int[] freeStack;
    private int freeTop;
    private long allocations;
    private final InvariantCounters invariants;

    /** A slab whose double frees are counted in {@code invariants}. */
    public Slab(int capacity, InvariantCounters invariants) {
        this.invariants = invariants;
        if (capacity < 1) {
            throw new IllegalArgumentException("slab capacity must be at least 1, got " + capacity);
        }
        objects = new Uprobe[capacity];
        freeStack = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            objects[i] = new Uprobe(i);
            freeStack[i] = capacity - 1 - i;
        }
        freeTop = capacity;
    }

    public int capacity() {
        return objects.length;
    }

    public Uprobe allocate(long inode, long offset) {
        Uprobe u = tryAllocate(inode, offset);
        if (u == null) {
            throw new SlabExhaustedException(objects.length);
        }
        return u;
    }

    public synchronized Uprobe tryAllocate(long inode, long offset) {
        if (freeTop == 0) {
            return null;
        }
        Uprobe u = objects[freeStack[--freeTop]];
        u.initialize(inode, offset);
        allocations++;
        return u;
    }

    /** Returns the object to the slab; false if it was already free (double free, not applied). */
    public synchronized boolean free(Uprobe u) {
        if (objects[u.slabIndex()] != u) {
            throw new IllegalArgumentException(u + " does not belong to this slab");
        }
        if (!u.poison()) {
            invariants.countShared(Violation.DOUBLE_FREE, 1);
            return false;
        }
        freeStack[freeTop++] = u.slabIndex();
        return true;
    }

    /** Objects currently allocated (not in the slab). */
    public synchronized int inUse() {
        return objects.length - freeTop;
    }

    public synchronized long allocations() {
        return allocations;
    }

    /** Object by slab index (tests and diagnostics). */
    public Uprobe object(int slabIndex) {
        return objects[slabIndex];
    }
}
