package dev.uprobebench.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BackendTableTest {
    @ParameterizedTest
    @EnumSource(value = Backend.class, mode = EnumSource.Mode.EXCLUDE, names = "KERNEL")
    void everyBackendIsFoundByItsNameAndCreatesItself(Backend b) {
        assertSame(b, Backend.byName(b.cliName()));
        assertFalse(b.description().isBlank());
        try (UprobeRegistry r = b.create(RegistryConfig.of(8, 2))) {
            assertSame(b, r.backend());
        }
    }

    /** The host kernel is a row of the table with no model behind it: asking for one says so. */
    @Test
    void theKernelIsAReferenceWithoutAModelAndNotInSafe() {
        assertSame(Backend.KERNEL, Backend.byName("kernel"));
        assertEquals(Backend.Role.REFERENCE, Backend.KERNEL.role());
        assertTrue(Backend.KERNEL.safe() && !Backend.KERNEL.modelled());
        assertFalse(Backend.safeOnes().contains(Backend.KERNEL), "backends=safe means the safe models");
        assertFalse(Backend.models().contains(Backend.KERNEL));
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> Backend.KERNEL.create(RegistryConfig.of(8, 2)));
        assertTrue(e.getMessage().contains("host kernel"), e.getMessage());
    }

    /** The lineage as merged: the proposed per-CPU designs are no version's. */
    @Test
    void eachKernelVersionMapsToTheDesignItMerged() {
        assertSame(Backend.RWLOCK, Backend.mainlineOf("5.15.0-91-generic"));
        assertSame(Backend.RWLOCK, Backend.mainlineOf("6.11.9"));
        assertSame(Backend.SRCU, Backend.mainlineOf("6.12.3"));
        assertSame(Backend.SEQCOUNT_RCU, Backend.mainlineOf("6.13.0"));
        assertSame(Backend.SEQCOUNT_RCU, Backend.mainlineOf("6.18.44-fc-v1272"));
        assertSame(Backend.SEQCOUNT_RCU, Backend.mainlineOf("7.0.1"));
        assertEquals(null, Backend.mainlineOf("unknown"));
    }

    /** list, plans and reports say what the kernel did with each design: merged where, or proposed and not merged. */
    @Test
    void eachDesignSaysWhatTheKernelDidWithIt() {
        assertEquals("proposed (2024), not merged", Backend.PERCPU_RWSEM.lineage());
        assertEquals("proposed (2024), not merged", Backend.PERCPU_REF.lineage());
        assertEquals("merged: 6.12", Backend.SRCU.lineage());
        assertTrue(Backend.SEQCOUNT_RCU.lineage().startsWith("merged: 6.13"));
        assertTrue(Backend.RWLOCK.lineage().contains("up to 6.11"));
        for (Backend b : Backend.values()) {
            assertFalse(b.lineage().isBlank(), b.cliName());
        }
    }

    @Test
    void unknownNameListsEveryValidOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backend.byName("mutex"));
        assertTrue(e.getMessage().startsWith("unknown back-end 'mutex'"), e.getMessage());
        for (Backend b : Backend.values()) {
            assertTrue(e.getMessage().contains(b.cliName()), e.getMessage());
        }
    }

    @Test
    void namesAreUniqueAndLowerCase() {
        Set<String> seen = new HashSet<>();
        for (Backend b : Backend.values()) {
            assertTrue(seen.add(b.cliName()));
            assertEquals(b.cliName().toLowerCase(), b.cliName());
        }
    }

    @Test
    void theCeilingRefusesChurnAndTheLockedDesignAllowsIt() {
        assertFalse(Backend.UNSYNC.allowsChurn());
        assertTrue(Backend.RWLOCK.allowsChurn());
        assertTrue(Arrays.stream(Backend.values()).filter(b -> !b.safe()).noneMatch(Backend.safeOnes()::contains));
    }
}
