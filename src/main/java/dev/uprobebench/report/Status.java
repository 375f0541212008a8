package dev.uprobebench.report;

import java.util.Locale;

/**
 * Where a configuration of a run stands. Only {@link #OK} carries numbers that may be ranked;
 * every other status is shown with its reason ({@link ConfigOutcome#message()}).
 */
public enum Status {
    /** Planned, no fork finished yet. */
    PENDING,
    /** At least one fork finished and none failed. */
    OK,
    /** A fork failed; the configuration is not run again. */
    FAILED,
    /** The run ended (signal, full disk) before this configuration finished a fork. */
    INTERRUPTED,
    /** Not run, by the plan's decision (a capability the machine lacks); the message says which. */
    SKIPPED;

    /** The name reports store and show: {@code ok}, {@code failed}, ... */
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status a report stored under {@link #json()}; a report without one is {@link #PENDING}. */
    public static Status fromJson(String s) {
        if (s == null) {
            return PENDING;
        }
        for (Status v : values()) {
            if (v.json().equals(s)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown configuration status '" + s + "' (valid: ok, failed, interrupted, "
                + "skipped, pending)");
    }
}
