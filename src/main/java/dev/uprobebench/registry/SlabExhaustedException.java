package dev.uprobebench.registry;

/** The slab has no free uprobe left: the configured capacity is too small for the workload. */
public final class SlabExhaustedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SlabExhaustedException(int capacity) {
        super("uprobe slab exhausted: all " + capacity
                + " objects are in use or waiting for a grace period; raise the slab capacity (profile key 'slab')");
    }
}
