package dev.uprobebench.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The tree's own checker, which every tree test relies on: each property it claims to check must
 * fail it when broken (a checker that never fires proves nothing), and the black height it returns
 * must be the real one.
 */
class RcuRbTreeVerifyTest {
    static RcuRbTree tree(int n) {
        RcuRbTree t = new RcuRbTree();
        for (long k = 1; k <= n; k++) {
            t.insertOrFind(new KeyNode(k), 0, k);
        }
        return t;
    }

    static void broken(RcuRbTree t, String what) {
        IllegalStateException e = assertThrows(IllegalStateException.class, t::verify);
        assertTrue(e.getMessage().contains(what), e.getMessage());
    }

    static RbNode leftmost(RcuRbTree t) {
        RbNode n = t.rootAcquire();
        while (n.leftPlain() != null) {
            n = n.leftPlain();
        }
        return n;
    }

    /** Links a new node of {@code key} and colour under {@code parent}, on the given side. */
    static KeyNode attach(RbNode parent, long key, boolean red, boolean left) {
        KeyNode n = new KeyNode(key);
        n.red = red;
        n.parent = parent;
        if (left) {
            parent.setLeftRelease(n);
        } else {
            parent.setRightRelease(n);
        }
        return n;
    }

    @Test
    void blackHeightOfKnownTrees() {
        assertEquals(1, new RcuRbTree().verify(), "an empty tree: the nil leaves");
        assertEquals(2, tree(1).verify());
        assertEquals(2, tree(3).verify(), "a black root with two red children");
        assertEquals(3, tree(7).verify());
        assertEquals(7, tree(7).size());
    }

    @Test
    void aRedRootFails() {
        RcuRbTree t = tree(3);
        t.rootAcquire().red = true;
        broken(t, "root is red");
    }

    @Test
    void aRootWithAParentFails() {
        RcuRbTree t = tree(3);
        t.rootAcquire().parent = new KeyNode(99);
        broken(t, "root has a parent");
    }

    @Test
    void aWrongParentLinkFails() {
        RcuRbTree t = tree(7);
        leftmost(t).parent = new KeyNode(123);
        broken(t, "parent link broken");
    }

    @Test
    void aRedNodeWithARedChildFails() {
        RcuRbTree t = tree(3); // black 2, red 1 and 3
        attach(leftmost(t), 0, true, true);
        broken(t, "red node with red child");
    }

    @Test
    void unequalBlackHeightsFail() {
        RcuRbTree t = tree(3);
        attach(leftmost(t), 0, false, true); // a black leaf under 1 only
        broken(t, "black heights differ");
    }

    @Test
    void keysOutOfOrderOnEitherSideFail() {
        RcuRbTree t = tree(3);
        RbNode one = leftmost(t);
        one.red = false;
        t.rootAcquire().rightPlain().red = false;
        attach(one, 50, true, false); // larger than its ancestor 2, on 2's left
        RcuRbTree u = tree(3);
        RbNode threeU = u.rootAcquire().rightPlain();
        threeU.red = false;
        leftmost(u).red = false;
        attach(threeU, -5, true, true); // smaller than its ancestor 2, on 2's right
        broken(t, "order broken at 0:50");
        broken(u, "order broken at 0:-5");
    }

    @Test
    void aNodeEqualToItsBoundFails() {
        RcuRbTree t = tree(3);
        RbNode one = leftmost(t);
        one.red = false;
        t.rootAcquire().rightPlain().red = false;
        attach(one, 2, true, false); // equal to the root, on its left
        broken(t, "order broken at 0:2");
    }

    @Test
    void aNodeEqualToItsLowerBoundFails() {
        RcuRbTree t = tree(3);
        RbNode three = t.rootAcquire().rightPlain();
        three.red = false;
        leftmost(t).red = false;
        attach(three, 2, true, true); // equal to the root, on its right
        broken(t, "order broken at 0:2");
    }

    @Test
    void aWrongSizeFails() throws ReflectiveOperationException {
        RcuRbTree t = tree(3);
        java.lang.reflect.Field size = RcuRbTree.class.getDeclaredField("size");
        size.setAccessible(true);
        size.setInt(t, 4);
        broken(t, "size 4 but 3 nodes reachable");
    }

    @Test
    void aNodeErasedAndInsertedAgainComesBackWithoutItsOldLinks() {
        RcuRbTree t = new RcuRbTree();
        KeyNode[] nodes = new KeyNode[8];
        for (int k = 1; k <= 7; k++) {
            nodes[k] = new KeyNode(k);
            t.insertOrFind(nodes[k], 0, k);
        }
        RbNode root = t.rootAcquire();
        t.erase(root); // an inner node: it had two children
        t.insertOrFind(root, 0, root.keyLo()); // as the slab does with a recycled uprobe
        t.verify();
        assertEquals(7, t.size());
    }
}
