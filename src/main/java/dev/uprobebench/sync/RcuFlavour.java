package dev.uprobebench.sync;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The read sides of {@link Rcu}: liburcu's {@code urcu-qsbr} and {@code urcu-memb}. */
public enum RcuFlavour {
    /** Free read side; readers announce quiescent states (the closer model of non-preemptible RCU). */
    QSBR("qsbr"),
    /** Fenced read side: a full fence on entry, so a reader needs no quiescent-state announcements. */
    MEMB("memb");

    private final String cliName;

    RcuFlavour(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** The flavour with this command-line name; the error names every valid one. */
    public static RcuFlavour byName(String name) {
        for (RcuFlavour f : values()) {
            if (f.cliName.equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown RCU flavour '" + name + "'; valid: " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(RcuFlavour::cliName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
