package dev.uprobebench.sync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** The root, read first by every lookup. */
abstract class RcuRbTreeRoot extends LinePadding {
    @SuppressWarnings("unused") // accessed through RcuRbTree's VarHandle
    RbNode root;
}

/** Padding after the root (a class of its own, so that no later field fills the gap next to it). */
abstract class RcuRbTreePadAfter extends RcuRbTreeRoot {
    byte q000, q001, q002, q003, q004, q005, q006, q007, q008, q009, q010, q011, q012, q013, q014, q015;
    byte q016, q017, q018, q019, q020, q021, q022, q023, q024, q025, q026, q027, q028, q029, q030, q031;
    byte q032, q033, q034, q035, q036, q037, q038, q039, q040, q041, q042, q043, q044, q045, q046, q047;
    byte q048, q049, q050, q051, q052, q053, q054, q055, q056, q057, q058, q059, q060, q061, q062, q063;
    byte q064, q065, q066, q067, q068, q069, q070, q071, q072, q073, q074, q075, q076, q077, q078, q079;
    byte q080, q081, q082, q083, q084, q085, q086, q087, q088, q089, q090, q091, q092, q093, q094, q095;
    byte q096, q097, q098, q099, q100, q101, q102, q103, q104, q105, q106, q107, q108, q109, q110, q111;
    byte q112, q113, q114, q115, q116, q117, q118, q119, q120, q121, q122, q123, q124, q125, q126, q127;
}

/**
 * A red-black tree of embedded {@link RbNode}s that lockless readers may search while one writer
 * at a time changes it.
 *
 * <h2>Assumptions and guarantees</h2>
 * <ul>
 *   <li>Writers ({@link #insertOrFind}, {@link #erase}) are serialized by the caller's lock.</li>
 *   <li>Under that lock, {@link #find} is exact.</li>
 *   <li>Without it (a lockless reader racing a writer), {@link #find} may miss a node that is in
 *       the tree (a false negative, which a seqcount turns into a retry), never returns a node
 *       whose key differs from the one asked for, and always terminates: no rotation makes a
 *       node reachable from its own subtree. {@link #findBounded} additionally gives up after a
 *       number of steps and returns {@link #LOST}, which the caller counts as a lost lookup.</li>
 *   <li>An erased node's links stay as they were, so a reader standing on it can walk on; the
 *       caller must not reuse the node until every such reader is gone (a grace period).</li>
 *   <li>Readers are wait-free (bounded by the height, or by the step bound); writers are
 *       blocking only through the caller's lock.</li>
 * </ul>
 *
 * <h2>Implementation notes</h2>
 * A line-by-line port of {@code lib/rbtree.c} ({@code __rb_insert}, {@code __rb_erase_augmented},
 * {@code ____rb_erase_color}) without augmentation. The kernel writes every child pointer with
 * {@code WRITE_ONCE} in an order chosen for lockless lookups (see the "lockless lookups" comment
 * at the top of {@code lib/rbtree.c}, and {@code rb_find_rcu()} in {@code include/linux/rbtree.h}):
 * in a rotation the subtree that moves is first unlinked, then relinked under its new parent, and
 * only then is the new subtree root published, so a reader sees each node at most once along any
 * path. Here every child store is a release store and every reader load an acquire load.
 *
 * <p>The root sits on lines of its own (128 bytes of padding on each side, in a class chain as in
 * {@link PaddedCell}); the node count, which writers change on every operation, after it.
 */
public final class RcuRbTree extends RcuRbTreePadAfter {
    private static final VarHandle ROOT;

    /** Returned by {@link #findBounded} when the step bound was exceeded. */
    public static final RbNode LOST = new LostMarker();

    static {
        try {
            ROOT = MethodHandles.lookup().findVarHandle(RcuRbTreeRoot.class, "root", RbNode.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Changed on every insert and erase: after the padding, off the root's lines. */
    private int size;

    /** Number of nodes (writer side; exact under the writer's lock). */
    public int size() {
        return size;
    }

    /** The root as a lockless reader sees it (for tests). */
    public RbNode rootAcquire() {
        return (RbNode) ROOT.getAcquire(this);
    }

    /** Lockless or locked search ({@code rb_find_rcu}); unbounded. */
    public RbNode find(long hi, long lo) {
        RbNode n = (RbNode) ROOT.getAcquire(this);
        while (n != null) {
            int c = n.compareKey(hi, lo);
            if (c < 0) {
                n = n.leftAcquire();
            } else if (c > 0) {
                n = n.rightAcquire();
            } else {
                return n;
            }
        }
        return null;
    }

    /**
     * Search that gives up after {@code maxSteps} nodes and returns {@link #LOST}; otherwise the
     * node with this key, or {@code null}.
     */
    public RbNode findBounded(long hi, long lo, int maxSteps) {
        RbNode n = (RbNode) ROOT.getAcquire(this);
        int steps = 0;
        while (n != null) {
            if (++steps > maxSteps) {
                return LOST;
            }
            int c = n.compareKey(hi, lo);
            if (c < 0) {
                n = n.leftAcquire();
            } else if (c > 0) {
                n = n.rightAcquire();
            } else {
                return n;
            }
        }
        return null;
    }

    /**
     * The node with the greatest key not above {@code (hi, lo)} ({@code find_vma}'s walk: the
     * candidate that may contain an address), {@code null} when every key is above it, or
     * {@link #LOST} after {@code maxSteps} nodes. Exact under the writer's lock; a lockless reader
     * racing a writer may get a node that is not the greatest (never one above the key), which a
     * sequence count must then reject.
     */
    public RbNode findFloorBounded(long hi, long lo, int maxSteps) {
        RbNode n = (RbNode) ROOT.getAcquire(this);
        RbNode best = null;
        int steps = 0;
        while (n != null) {
            if (++steps > maxSteps) {
                return LOST;
            }
            int c = n.compareKey(hi, lo);
            if (c < 0) {
                n = n.leftAcquire();
            } else if (c > 0) {
                best = n;
                n = n.rightAcquire();
            } else {
                return n;
            }
        }
        return best;
    }

    /**
     * Links {@code node} (whose key is {@code (hi, lo)}) into the tree and rebalances, unless a
     * node with that key is already there: then the tree is unchanged and that node is returned
     * ({@code rb_find_add_rcu}). Writer only.
     */
    public RbNode insertOrFind(RbNode node, long hi, long lo) {
        RbNode parent = null;
        RbNode cur = (RbNode) ROOT.get(this);
        boolean leftLink = false;
        while (cur != null) {
            int c = cur.compareKey(hi, lo);
            if (c == 0) {
                return cur;
            }
            parent = cur;
            leftLink = c < 0;
            cur = leftLink ? cur.leftPlain() : cur.rightPlain();
        }
        node.clearLinks();
        node.parent = parent;
        node.red = true;
        // rb_link_node_rcu: the node is complete before this release store publishes it.
        if (parent == null) {
            ROOT.setRelease(this, node);
        } else if (leftLink) {
            parent.setLeftRelease(node);
        } else {
            parent.setRightRelease(node);
        }
        insertColor(node);
        size++;
        return null;
    }

    private void changeChild(RbNode old, RbNode replacement, RbNode parent) {
        if (parent != null) {
            if (parent.leftPlain() == old) {
                parent.setLeftRelease(replacement);
            } else {
                parent.setRightRelease(replacement);
            }
        } else {
            ROOT.setRelease(this, replacement);
        }
    }

    /** {@code __rb_rotate_set_parents}: {@code replacement} takes {@code old}'s place and colour. */
    private void rotateSetParents(RbNode old, RbNode replacement, boolean oldRed) {
        RbNode parent = old.parent;
        replacement.parent = parent;
        replacement.red = old.red;
        old.parent = replacement;
        old.red = oldRed;
        changeChild(old, replacement, parent);
    }

    private static void setParentColor(RbNode n, RbNode parent, boolean red) {
        n.parent = parent;
        n.red = red;
    }

    /** {@code __rb_insert}. */
    private void insertColor(RbNode node) {
        RbNode parent = node.parent;
        RbNode gparent;
        RbNode tmp;
        while (true) {
            if (parent == null) {
                setParentColor(node, null, false);
                break;
            }
            if (!parent.red) {
                break;
            }
            gparent = parent.parent;
            tmp = gparent.rightPlain();
            if (parent != tmp) { // parent == gparent.left
                if (tmp != null && tmp.red) {
                    // Case 1: uncle red, colour flips.
                    setParentColor(tmp, gparent, false);
                    setParentColor(parent, gparent, false);
                    node = gparent;
                    parent = node.parent;
                    setParentColor(node, parent, true);
                    continue;
                }
                tmp = parent.rightPlain();
                if (node == tmp) {
                    // Case 2: left rotate at parent.
                    tmp = node.leftPlain();
                    parent.setRightRelease(tmp);
                    node.setLeftRelease(parent);
                    if (tmp != null) {
                        setParentColor(tmp, parent, false);
                    }
                    setParentColor(parent, node, true);
                    parent = node;
                    tmp = node.rightPlain();
                }
                // Case 3: right rotate at gparent.
                gparent.setLeftRelease(tmp);
                parent.setRightRelease(gparent);
                if (tmp != null) {
                    setParentColor(tmp, gparent, false);
                }
                rotateSetParents(gparent, parent, true);
                break;
            } else {
                tmp = gparent.leftPlain();
                if (tmp != null && tmp.red) {
                    setParentColor(tmp, gparent, false);
                    setParentColor(parent, gparent, false);
                    node = gparent;
                    parent = node.parent;
                    setParentColor(node, parent, true);
                    continue;
                }
                tmp = parent.leftPlain();
                if (node == tmp) {
                    // Case 2: right rotate at parent.
                    tmp = node.rightPlain();
                    parent.setLeftRelease(tmp);
                    node.setRightRelease(parent);
                    if (tmp != null) {
                        setParentColor(tmp, parent, false);
                    }
                    setParentColor(parent, node, true);
                    parent = node;
                    tmp = node.leftPlain();
                }
                // Case 3: left rotate at gparent.
                gparent.setRightRelease(tmp);
                parent.setLeftRelease(gparent);
                if (tmp != null) {
                    setParentColor(tmp, gparent, false);
                }
                rotateSetParents(gparent, parent, true);
                break;
            }
        }
    }

    /** Unlinks {@code node} and rebalances ({@code rb_erase}). Writer only; node must be linked. */
    public void erase(RbNode node) {
        RbNode child = node.rightPlain();
        RbNode tmp = node.leftPlain();
        RbNode parent;
        RbNode rebalance;
        if (tmp == null) {
            // Case 1: at most one child (the right one).
            parent = node.parent;
            changeChild(node, child, parent);
            if (child != null) {
                setParentColor(child, parent, node.red);
                rebalance = null;
            } else {
                rebalance = node.red ? null : parent;
            }
        } else if (child == null) {
            // Still case 1, the child is the left one.
            parent = node.parent;
            setParentColor(tmp, parent, node.red);
            changeChild(node, tmp, parent);
            rebalance = null;
        } else {
            RbNode successor = child;
            RbNode child2;
            tmp = child.leftPlain();
            if (tmp == null) {
                // Case 2: the successor is the right child.
                parent = successor;
                child2 = successor.rightPlain();
            } else {
                // Case 3: the successor is the leftmost node of the right subtree.
                do {
                    parent = successor;
                    successor = tmp;
                    tmp = tmp.leftPlain();
                } while (tmp != null);
                child2 = successor.rightPlain();
                parent.setLeftRelease(child2);
                successor.setRightRelease(child);
                child.parent = successor;
            }
            tmp = node.leftPlain();
            successor.setLeftRelease(tmp);
            tmp.parent = successor;
            RbNode nodeParent = node.parent;
            boolean nodeRed = node.red;
            changeChild(node, successor, nodeParent);
            if (child2 != null) {
                setParentColor(child2, parent, false);
                rebalance = null;
            } else {
                rebalance = successor.red ? null : parent;
            }
            setParentColor(successor, nodeParent, nodeRed);
        }
        size--;
        if (rebalance != null) {
            eraseColor(rebalance);
        }
    }

    /** {@code ____rb_erase_color}. */
    private void eraseColor(RbNode parent) {
        RbNode node = null;
        RbNode sibling;
        RbNode tmp1;
        RbNode tmp2;
        while (true) {
            sibling = parent.rightPlain();
            if (node != sibling) { // node == parent.left
                if (sibling.red) {
                    // Case 1: left rotate at parent.
                    tmp1 = sibling.leftPlain();
                    parent.setRightRelease(tmp1);
                    sibling.setLeftRelease(parent);
                    setParentColor(tmp1, parent, false);
                    rotateSetParents(parent, sibling, true);
                    sibling = tmp1;
                }
                tmp1 = sibling.rightPlain();
                if (tmp1 == null || !tmp1.red) {
                    tmp2 = sibling.leftPlain();
                    if (tmp2 == null || !tmp2.red) {
                        // Case 2: sibling colour flip.
                        setParentColor(sibling, parent, true);
                        if (parent.red) {
                            parent.red = false;
                        } else {
                            node = parent;
                            parent = node.parent;
                            if (parent != null) {
                                continue;
                            }
                        }
                        break;
                    }
                    // Case 3: right rotate at sibling.
                    tmp1 = tmp2.rightPlain();
                    sibling.setLeftRelease(tmp1);
                    tmp2.setRightRelease(sibling);
                    parent.setRightRelease(tmp2);
                    if (tmp1 != null) {
                        setParentColor(tmp1, sibling, false);
                    }
                    tmp1 = sibling;
                    sibling = tmp2;
                }
                // Case 4: left rotate at parent, colour flips.
                tmp2 = sibling.leftPlain();
                parent.setRightRelease(tmp2);
                sibling.setLeftRelease(parent);
                setParentColor(tmp1, sibling, false);
                if (tmp2 != null) {
                    tmp2.parent = parent;
                }
                rotateSetParents(parent, sibling, false);
                break;
            } else {
                sibling = parent.leftPlain();
                if (sibling.red) {
                    // Case 1: right rotate at parent.
                    tmp1 = sibling.rightPlain();
                    parent.setLeftRelease(tmp1);
                    sibling.setRightRelease(parent);
                    setParentColor(tmp1, parent, false);
                    rotateSetParents(parent, sibling, true);
                    sibling = tmp1;
                }
                tmp1 = sibling.leftPlain();
                if (tmp1 == null || !tmp1.red) {
                    tmp2 = sibling.rightPlain();
                    if (tmp2 == null || !tmp2.red) {
                        // Case 2: sibling colour flip.
                        setParentColor(sibling, parent, true);
                        if (parent.red) {
                            parent.red = false;
                        } else {
                            node = parent;
                            parent = node.parent;
                            if (parent != null) {
                                continue;
                            }
                        }
                        break;
                    }
                    // Case 3: left rotate at sibling.
                    tmp1 = tmp2.leftPlain();
                    sibling.setRightRelease(tmp1);
                    tmp2.setLeftRelease(sibling);
                    parent.setLeftRelease(tmp2);
                    if (tmp1 != null) {
                        setParentColor(tmp1, sibling, false);
                    }
                    tmp1 = sibling;
                    sibling = tmp2;
                }
                // Case 4: right rotate at parent, colour flips.
                tmp2 = sibling.rightPlain();
                parent.setLeftRelease(tmp2);
                sibling.setRightRelease(parent);
                setParentColor(tmp1, sibling, false);
                if (tmp2 != null) {
                    tmp2.parent = parent;
                }
                rotateSetParents(parent, sibling, false);
                break;
            }
        }
    }

    /**
     * Checks every red-black and search-tree property (writer side, for tests): root black, no
     * red node with a red child, the same number of black nodes on every path, parent links
     * consistent, keys strictly increasing in order, and {@link #size()} right.
     *
     * @return the black height
     * @throws IllegalStateException naming the first property that fails
     */
    public int verify() {
        RbNode r = (RbNode) ROOT.get(this);
        if (r != null && r.red) {
            throw new IllegalStateException("root is red");
        }
        if (r != null && r.parent != null) {
            throw new IllegalStateException("root has a parent");
        }
        long[] count = new long[1];
        int bh = verify(r, null, null, count);
        if (count[0] != size) {
            throw new IllegalStateException("size " + size + " but " + count[0] + " nodes reachable");
        }
        return bh;
    }

    private static int verify(RbNode n, RbNode lowBound, RbNode highBound, long[] count) {
        if (n == null) {
            return 1;
        }
        count[0]++;
        if (lowBound != null && n.compareKey(lowBound.keyHi(), lowBound.keyLo()) >= 0) {
            throw new IllegalStateException("order broken at " + n.keyHi() + ":" + n.keyLo());
        }
        if (highBound != null && n.compareKey(highBound.keyHi(), highBound.keyLo()) <= 0) {
            throw new IllegalStateException("order broken at " + n.keyHi() + ":" + n.keyLo());
        }
        RbNode l = n.leftPlain();
        RbNode r = n.rightPlain();
        for (RbNode c : new RbNode[] {l, r}) {
            if (c != null && c.parent != n) {
                throw new IllegalStateException("parent link broken below " + n.keyHi() + ":" + n.keyLo());
            }
            if (c != null && n.red && c.red) {
                throw new IllegalStateException("red node with red child at " + n.keyHi() + ":" + n.keyLo());
            }
        }
        int lh = verify(l, lowBound, n, count);
        int rh = verify(r, n, highBound, count);
        if (lh != rh) {
            throw new IllegalStateException("black heights differ (" + lh + " vs " + rh + ") at "
                    + n.keyHi() + ":" + n.keyLo());
        }
        return lh + (n.red ? 0 : 1);
    }

    /** Calls {@code visitor} on every node in key order (writer side). */
    public void forEach(java.util.function.Consumer<RbNode> visitor) {
        forEach((RbNode) ROOT.get(this), visitor);
    }

    private static void forEach(RbNode n, java.util.function.Consumer<RbNode> visitor) {
        if (n == null) {
            return;
        }
        forEach(n.leftPlain(), visitor);
        visitor.accept(n);
        forEach(n.rightPlain(), visitor);
    }

    private static final class LostMarker extends RbNode {
        @Override
        public int compareKey(long hi, long lo) {
            throw new UnsupportedOperationException("marker");
        }

        @Override
        public long keyHi() {
            return Long.MIN_VALUE;
        }

        @Override
        public long keyLo() {
            return Long.MIN_VALUE;
        }
    }
}
