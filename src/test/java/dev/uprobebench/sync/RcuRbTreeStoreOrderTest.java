package dev.uprobebench.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The order of the tree's link stores (docs/ablation.md, the RCU red-black tree): a lockless
 * lookup may run between any two of a writer's stores, so every state the writer exposes, store by
 * store, must let a lookup end (no cycle: {@link RcuRbTree#LOST} is the step bound tripping) on
 * the right node or on a miss that the seqcount retry covers. The writer here is inserts that
 * rotate on the way up and erases that transplant successors and rebalance, every link store
 * watched through the nodes' store seam; at each, a lookup and a floor lookup of every key run on
 * the state as it stands. The double swaps two consecutive link stores of one operation, one pair
 * at a time, and must make some lookup loop, in an insert's rotation and in an erase: so the
 * check is known to see the order, and the code's order is known to be the one that passes it.
 */
class RcuRbTreeStoreOrderTest {
    static final int KEYS = 48;
    static final int BOUND = 64;
    static final long SEED = 25;

    record Op(boolean insert, int key) {
    }

    /** Every key inserted in one shuffled order, then erased in another. */
    static List<Op> ops() {
        SplittableRandom rnd = new SplittableRandom(SEED);
        List<Op> ops = new ArrayList<>();
        for (int[] order : new int[][] {shuffled(rnd), shuffled(rnd)}) {
            boolean insert = ops.isEmpty();
            for (int k : order) {
                ops.add(new Op(insert, k));
            }
        }
        return ops;
    }

    static int[] shuffled(SplittableRandom rnd) {
        int[] keys = new int[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = 2 * i + 1; // odd keys; the even ones between them are absent
        }
        for (int i = KEYS - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = keys[i];
            keys[i] = keys[j];
            keys[j] = t;
        }
        return keys;
    }

    /** What the lookups saw in the states checked. */
    static final class Seen {
        long states;
        long loops;
        long wrongNodes;
        long stableMisses;
    }

    /**
     * One tree's link stores: each runs, then the check. With {@code swapAt} set, the store of that
     * index within the operation under study is made (the writer reads its own stores, as a CPU's
     * store forwarding lets it) but hidden from the lookups until the next store has been seen:
     * the lookups see the next store first, then both.
     */
    static final class Stores {
        final RcuRbTree tree = new RcuRbTree();
        final WatchedNode[] nodes = new WatchedNode[2 * KEYS + 2];
        final Seen seen = new Seen();
        boolean checking;
        int index;
        int swapAt = -1;
        WatchedNode heldNode;
        boolean heldLeft;
        RbNode heldOld;
        RbNode heldNew;
        /** The swapped pair wrote the same link twice: not a reordering but a different result. */
        boolean overwrite;

        void store(WatchedNode node, boolean left, RbNode value) {
            if (!checking) {
                node.write(left, value);
                return;
            }
            int i = index++;
            if (i == swapAt) {
                heldNode = node;
                heldLeft = left;
                heldOld = node.read(left);
                heldNew = value;
                node.write(left, value);
            } else if (heldNode != null) {
                overwrite |= heldNode == node && heldLeft == left;
                node.write(left, value);
                heldNode.write(heldLeft, heldOld); // the earlier store not yet seen
                check();
                heldNode.write(heldLeft, heldNew);
                heldNode = null;
                check();
            } else {
                node.write(left, value);
                check();
            }
        }

        /** Lookups of every key, present and absent, on the state as it stands. */
        void check() {
            seen.states++;
            for (int k = 0; k <= 2 * KEYS; k++) {
                RbNode n = tree.findBounded(0, k, BOUND);
                if (n == RcuRbTree.LOST) {
                    seen.loops++;
                } else if (n != null && n.keyLo() != k) {
                    seen.wrongNodes++;
                } else if (n == null && k % 2 == 1 && nodes[k] != null && nodes[k].linked) {
                    seen.stableMisses++;
                }
                RbNode f = tree.findFloorBounded(0, k, BOUND);
                if (f == RcuRbTree.LOST) {
                    seen.loops++;
                } else if (f != null && f.keyLo() > k) {
                    seen.wrongNodes++;
                }
            }
        }

        void apply(Op op) {
            if (op.insert()) {
                WatchedNode n = new WatchedNode(op.key(), this);
                nodes[op.key()] = n;
                assertEquals(null, tree.insertOrFind(n, 0, op.key()));
                n.linked = true;
            } else {
                WatchedNode n = nodes[op.key()];
                n.linked = false; // a lookup may miss the key being erased
                tree.erase(n);
            }
        }

        /** The operation under study, watched: returns the link stores it made. */
        int applyWatched(Op op, int swapAt) {
            this.checking = true;
            this.index = 0;
            this.swapAt = swapAt;
            apply(op);
            heldNode = null; // the last store was the one held back: nothing came after it
            checking = false;
            return index;
        }
    }

    /** A node whose link stores go through its tree's {@link Stores}. */
    static final class WatchedNode extends KeyNode {
        final Stores stores;
        /** Linked and not being erased: a stable key. */
        boolean linked;

        WatchedNode(long key, Stores stores) {
            super(key);
            this.stores = stores;
        }

        @Override
        void setLeftRelease(RbNode n) {
            stores.store(this, true, n);
        }

        @Override
        void setRightRelease(RbNode n) {
            stores.store(this, false, n);
        }

        void write(boolean left, RbNode n) {
            if (left) {
                super.setLeftRelease(n);
            } else {
                super.setRightRelease(n);
            }
        }

        RbNode read(boolean left) {
            return left ? leftPlain() : rightPlain();
        }

    }

    @Test
    void everyStateTheWriterExposesLetsALookupEndOnTheRightNode() {
        Stores s = new Stores();
        long stores = 0;
        for (Op op : ops()) {
            stores += s.applyWatched(op, -1);
            s.tree.verify();
        }
        assertEquals(0, s.tree.size());
        assertTrue(stores > 3L * KEYS, "the writer made " + stores + " link stores: rotations and transplants too");
        assertEquals(stores, s.seen.states, "a check after every store");
        assertEquals(0, s.seen.loops, "a lookup looped in a state between two stores");
        assertEquals(0, s.seen.wrongNodes, "a lookup ended on a node of another key");
        System.out.println("tree store order, the code: " + stores + " link stores over " + 2 * KEYS
                + " operations, " + s.seen.loops + " loops, " + s.seen.stableMisses
                + " misses of a stable key (retried under the seqcount)");
    }

    @Test
    void swappingTwoLinkStoresOfAnOperationMakesALookupLoop() {
        List<Op> ops = ops();
        int[] looping = new int[2];
        int[] swapped = new int[2];
        for (int j = 0; j < ops.size(); j++) {
            int n = buildBefore(ops, j).applyWatched(ops.get(j), -1);
            for (int k = 0; k + 1 < n; k++) {
                Stores s = buildBefore(ops, j);
                s.applyWatched(ops.get(j), k);
                if (s.overwrite) {
                    continue;
                }
                int kind = ops.get(j).insert() ? 0 : 1;
                swapped[kind]++;
                if (s.seen.loops > 0) {
                    looping[kind]++;
                }
            }
        }
        System.out.println("tree store order, two consecutive stores swapped: inserts " + looping[0] + " of "
                + swapped[0] + " pairs loop, erases " + looping[1] + " of " + swapped[1]);
        assertTrue(looping[0] > 0, "no swapped pair of an insert's stores made a lookup loop");
        assertTrue(looping[1] > 0, "no swapped pair of an erase's stores made a lookup loop");
    }

    /** A fresh tree with the operations before {@code j} applied, unwatched. */
    static Stores buildBefore(List<Op> ops, int j) {
        Stores s = new Stores();
        for (int i = 0; i < j; i++) {
            s.apply(ops.get(i));
        }
        return s;
    }
}
