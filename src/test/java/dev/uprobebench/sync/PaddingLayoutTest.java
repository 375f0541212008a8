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

    @Test
    void slotStrideKeepsNeighbouringSlotsTwoLinesApart() {
        assertTrue(SlotLongs.strideBytes() >= 128);
    }
}
