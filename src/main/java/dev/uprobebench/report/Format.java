package dev.uprobebench.report;

import java.util.Locale;

/** How the pages write numbers: shared by every table, below the pages that hold them. */
public final class Format {
    private Format() {
    }

    /** A rate with its SI prefix: {@code 16.59 M}, {@code 776.7 k}, {@code 48.9}; "-" for none. */
    public static String rate(Double v) {
        if (v == null) {
            return "-";
        }
        double a = Math.abs(v);
        if (a >= 1e9) {
            return String.format(Locale.ROOT, "%.2f G", v / 1e9);
        }
        if (a >= 1e6) {
            return String.format(Locale.ROOT, "%.2f M", v / 1e6);
        }
        if (a >= 1e3) {
            return String.format(Locale.ROOT, "%.1f k", v / 1e3);
        }
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** A fraction as a percentage with one decimal and no trailing zero: {@code 5%}, {@code 2.5%}. */
    public static String percent(double fraction) {
        String s = String.format(Locale.ROOT, "%.1f", 100 * fraction);
        return (s.endsWith(".0") ? s.substring(0, s.length() - 2) : s) + "%";
    }
}
