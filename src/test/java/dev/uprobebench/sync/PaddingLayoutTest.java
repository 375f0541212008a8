package dev.uprobebench.sync;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.FieldLayout;

/**
 * The padded shared word really sits on lines of its own: at least 128 bytes of the object before
 * it and after it (byte padding in a class chain survives JDK 15+ field reordering; JCTools #264).
 */
class PaddingLayoutTest {
    @Test
    void paddedCellValueHasTwoCacheLinesOnEachSide() {
        ClassLayout layout = ClassLayout.parseClass(PaddedCell.class);
        FieldLayout value = layout.fields().stream().filter(f -> f.name().equals("value")).findFirst().orElseThrow();
        long before = value.offset();
        long after = layout.instanceSize() - (value.offset() + value.size());
        assertTrue(before >= 128, "only " + before + " bytes before the value:\n" + layout.toPrintable());
        assertTrue(after >= 128, "only " + after + " bytes after the value:\n" + layout.toPrintable());
    }

    /**
     * Uprobes and VMAs are allocated back to back: each one's own fields start at least 128 bytes
     * into the object, so they never share a line (or a prefetch pair) with the previous object's.
     */
    @Test
    void treeNodesKeepTheirFieldsTwoLinesFromTheObjectBeforeThem() {
        for (Class<?> c : java.util.List.of(dev.uprobebench.registry.Uprobe.class, dev.uprobebench.mm.Vma.class,
                KeyNode.class)) {
            ClassLayout layout = ClassLayout.parseClass(c);
            long first = layout.fields().stream().filter(f -> !f.name().matches("p\\d{3}")).mapToLong(FieldLayout::offset)
                    .min().orElseThrow();
            assertTrue(first >= 128, c.getSimpleName() + ": a field at " + first + ":\n" + layout.toPrintable());
        }
    }

    /** The fields every lookup reads first: the tree's root and the seqcount, each on lines of its own. */
    @Test
    void theRootAndTheSequenceCountHaveTwoCacheLinesOnEachSide() {
        for (Object[] c : new Object[][] {{RcuRbTree.class, "root"}, {SeqCount.class, "sequence"}}) {
            ClassLayout layout = ClassLayout.parseClass((Class<?>) c[0]);
            FieldLayout f = layout.fields().stream().filter(x -> x.name().equals(c[1])).findFirst().orElseThrow();
            long before = f.offset();
            long after = layout.instanceSize() - (f.offset() + f.size());
            assertTrue(before >= 128 && after >= 128, c[1] + ": " + before + " bytes before, " + after + " after:\n"
                    + layout.toPrintable());
        }
        ClassLayout tree = ClassLayout.parseClass(RcuRbTree.class);
        long root = tree.fields().stream().filter(x -> x.name().equals("root")).findFirst().orElseThrow().offset();
        long size = tree.fields().stream().filter(x -> x.name().equals("size")).findFirst().orElseThrow().offset();
        assertTrue(size - root >= 128, "the writers' count is " + (size - root) + " bytes from the root");
    }

    @Test
    void slotStrideKeepsNeighbouringSlotsTwoLinesApart() {
        assertTrue(SlotLongs.strideBytes() >= 128);
    }
}
