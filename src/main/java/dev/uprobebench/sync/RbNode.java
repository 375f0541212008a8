package dev.uprobebench.sync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * 128 bytes ahead of every tree node's fields. Nodes are slab objects allocated back to back, so
 * without this the fields one node's writers change (a uprobe's refcount, its consumers) would
 * share a cache line with the next node's tree links and key, which every lookup that passes it
 * reads. The kernel gets the same separation from {@code kmalloc-256}, the cache
 * {@code struct uprobe} comes from. Superclass fields are laid out first, so the padding stays in
 * front (see {@link PaddedCell}).
 */
abstract class RbNodePad {
    byte n000, n001, n002, n003, n004, n005, n006, n007, n008, n009, n010, n011, n012, n013, n014, n015;
    byte n016, n017, n018, n019, n020, n021, n022, n023, n024, n025, n026, n027, n028, n029, n030, n031;
    byte n032, n033, n034, n035, n036, n037, n038, n039, n040, n041, n042, n043, n044, n045, n046, n047;
    byte n048, n049, n050, n051, n052, n053, n054, n055, n056, n057, n058, n059, n060, n061, n062, n063;
    byte n064, n065, n066, n067, n068, n069, n070, n071, n072, n073, n074, n075, n076, n077, n078, n079;
    byte n080, n081, n082, n083, n084, n085, n086, n087, n088, n089, n090, n091, n092, n093, n094, n095;
    byte n096, n097, n098, n099, n100, n101, n102, n103, n104, n105, n106, n107, n108, n109, n110, n111;
    byte n112, n113, n114, n115, n116, n117, n118, n119, n120, n121, n122, n123, n124, n125, n126, n127;
}

/**
 * A red-black tree node embedded in the object it indexes, as {@code struct rb_node} is embedded
 * in {@code struct uprobe}. Subclasses carry the key and compare it.
 *
 * <p>Child links are the only fields lockless readers follow: they are stored with release
 * ({@code WRITE_ONCE} + publication) and loaded with acquire ({@code rcu_dereference}). Parent and
 * colour are touched only by the writer, under the tree's write lock.
 *
 * <p>Every node starts with 128 bytes of padding ({@link RbNodePad}), so that no field of one node
 * shares a cache line (or an adjacent-line prefetch pair) with a field of the node allocated
 * before it.
 */
public abstract class RbNode extends RbNodePad {
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

    final void setLeftRelease(RbNode n) {
        LEFT.setRelease(this, n);
    }

    final void setRightRelease(RbNode n) {
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
