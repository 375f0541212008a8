package dev.uprobebench.sync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A red-black tree node embedded in the object it indexes, as {@code struct rb_node} is embedded
 * in {@code struct uprobe}. Subclasses carry the key and compare it.
 *
 * <p>Child links are the only fields lockless readers follow: they are stored with release
 * ({@code WRITE_ONCE} + publication) and loaded with acquire ({@code rcu_dereference}). Parent and
 * colour are touched only by the writer, under the tree's write lock.
 *
 * <p>Every node starts with 128 bytes of padding ({@link LinePadding}). Nodes are slab objects
 * allocated back to back, so without it the fields one node's writers change (a uprobe's
 * refcount, its consumers) would share a cache line with the next node's tree links and key, which
 * every lookup that passes it reads. The kernel gets the same separation from
 * {@code kmalloc-256}, the cache {@code struct uprobe} comes from.
 */
public abstract class RbNode extends LinePadding {
    static final VarHandle LEFT;
    static final VarHandle RIGHT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            LEFT = l.findVarHandle(RbNode.class, "left", RbNode.class);
            RIGHT = l.findVarHandle(RbNode.class, "right", RbNode.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through LEFT
    private RbNode left;
    @SuppressWarnings("unused") // accessed through RIGHT
    private RbNode right;
    RbNode parent;
    boolean red;

    /**
     * Compares the key {@code (hi, lo)} with this node's key: negative when the key sorts before
     * this node, zero when equal, positive after.
     */
    public abstract int compareKey(long hi, long lo);

    /** This node's key, high part (for the tree's own checks). */
    public abstract long keyHi();

    /** This node's key, low part. */
    public abstract long keyLo();

    final RbNode leftAcquire() {
        return (RbNode) LEFT.getAcquire(this);
    }

    final RbNode rightAcquire() {
        return (RbNode) RIGHT.getAcquire(this);
    }

    final RbNode leftPlain() {
        return (RbNode) LEFT.get(this);
    }

    final RbNode rightPlain() {
        return (RbNode) RIGHT.get(this);
    }

    /**
     * The link stores every insert, erase and rotation makes. Package-private and overridable by
     * the ablation tests' nodes only (docs/ablation.md: each state a lockless reader can see
     * between two stores, and the double that swaps two of them); nothing in main overrides them,
     * and subclasses outside this package cannot, so the calls stay direct.
     */
    void setLeftRelease(RbNode n) {
        LEFT.setRelease(this, n);
    }

    void setRightRelease(RbNode n) {
        RIGHT.setRelease(this, n);
    }

    /** Resets the links before the node is linked again (the node must be unreachable). */
    protected final void clearLinks() {
        LEFT.set(this, (RbNode) null);
        RIGHT.set(this, (RbNode) null);
        parent = null;
        red = false;
    }
}
