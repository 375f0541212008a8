package dev.uprobebench.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RcuRbTreeTest {
    @Test
    void propertiesHoldAfterRandomInsertsAndErases() {
        SplittableRandom rnd = new SplittableRandom(20240717);
        RcuRbTree tree = new RcuRbTree();
        TreeMap<Long, KeyNode> model = new TreeMap<>();
        for (int op = 0; op < 200_000; op++) {
            long key = rnd.nextInt(3000);
            KeyNode present = model.get(key);
            if (present == null) {
                KeyNode n = new KeyNode(key);
                assertNull(tree.insertOrFind(n, 0, key));
                model.put(key, n);
            } else if (rnd.nextBoolean()) {
                tree.erase(present);
                model.remove(key);
            } else {
                assertSame(present, tree.insertOrFind(new KeyNode(key), 0, key), "duplicate key returns the existing node");
            }
            if (op % 101 == 0) {
                tree.verify();
            }
        }
        int bh = tree.verify();
        assertEquals(model.size(), tree.size());
        List<Long> inOrder = new ArrayList<>();
        tree.forEach(n -> inOrder.add(n.keyLo()));
        assertEquals(new ArrayList<>(model.keySet()), inOrder);
        for (long k = 0; k < 3000; k++) {
            assertSame(model.get(k), tree.find(0, k));
        }
        // A red-black tree of n nodes has black height <= log2(n + 1) + 1.
        assertTrue(bh <= 64 - Long.numberOfLeadingZeros(model.size() + 1) + 1, "black height " + bh);
    }

    @Test
    void ascendingAndDescendingInsertsStayBalancedAndEmptyOut() {
        RcuRbTree tree = new RcuRbTree();
        Map<Long, KeyNode> nodes = new HashMap<>();
        for (long k = 0; k < 4096; k++) {
            KeyNode n = new KeyNode(k);
            tree.insertOrFind(n, 0, k);
            nodes.put(k, n);
        }
        for (long k = -1; k > -4096; k--) {
            KeyNode n = new KeyNode(k);
            tree.insertOrFind(n, 0, k);
            nodes.put(k, n);
        }
        assertTrue(tree.verify() <= 14);
        for (long k = -4095; k < 4096; k++) {
            tree.erase(nodes.get(k));
            if (k % 512 == 0) {
                tree.verify();
            }
        }
        assertEquals(0, tree.size());
        assertNull(tree.rootAcquire());
    }

    @Test
    void boundedFindReportsLostWhenTheBoundIsTooSmall() {
        RcuRbTree tree = new RcuRbTree();
        for (long k = 0; k < 1000; k++) {
            tree.insertOrFind(new KeyNode(k), 0, k);
        }
        assertSame(RcuRbTree.LOST, tree.findBounded(0, 999, 2));
        assertNotSame(RcuRbTree.LOST, tree.findBounded(0, 999, 64));
        assertEquals(999, tree.findBounded(0, 999, 64).keyLo());
    }
}
