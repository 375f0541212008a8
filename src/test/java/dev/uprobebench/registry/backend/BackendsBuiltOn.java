package dev.uprobebench.registry.backend;

import dev.uprobebench.registry.Backend;
import dev.uprobebench.registry.RegistryConfig;
import dev.uprobebench.registry.UprobeRegistry;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The back-ends of the table whose registry is built on a given shared mechanism (the locked
 * tree, the seqcount tree, the tree on {@code Rcu}), for tests of that mechanism: a new back-end
 * that joins the table on one of them gets the tests by joining, not by a list in each test.
 */
final class BackendsBuiltOn {
    private BackendsBuiltOn() {
    }

    static List<Backend> of(Class<?> mechanism) {
        return Backend.models().stream().filter(b -> {
            try (UprobeRegistry r = b.create(RegistryConfig.of(16, 4))) {
                return mechanism.isInstance(r);
            }
        }).toList();
    }

    static Stream<Backend> lockedTree() {
        return of(LockedTreeRegistry.class).stream();
    }

    static Stream<Backend> seqcountTree() {
        return of(SeqcountTreeRegistry.class).stream();
    }

    static Stream<Backend> rcuTree() {
        return of(RcuTreeRegistry.class).stream();
    }
}
