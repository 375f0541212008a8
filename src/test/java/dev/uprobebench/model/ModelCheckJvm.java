package dev.uprobebench.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JVM a model check may trust. Lincheck 3.7 explores schedules on Java 25 too but finds no
 * bug in six of its own negative controls there (DESIGN.md section 10), so a pass on 25 proves
 * nothing. The build runs these tests in a surefire execution of their own on the JVM that runs
 * Maven ({@code lincheck.jvm}); this check fails, rather than skips, when that JVM is too new.
 */
public final class ModelCheckJvm {
    /** The first feature release on which Lincheck 3.7 misses its negative controls. */
    public static final int BLIND_FROM = 25;

    private ModelCheckJvm() {
    }

    public static void requireSeeingJvm() {
        int feature = Runtime.version().feature();
        assertTrue(feature < BLIND_FROM, "model checks need a Java 17 to " + (BLIND_FROM - 1)
                + " JVM (Lincheck 3.7 finds none of its negative controls on " + BLIND_FROM
                + "+), this one is " + Runtime.version() + " at " + System.getProperty("java.home")
                + ": run Maven on a JDK 17 or pass -Dlincheck.jvm=/path/to/jdk17/bin/java");
    }
}
