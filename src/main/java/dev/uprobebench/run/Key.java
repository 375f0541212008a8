package dev.uprobebench.run;

import java.util.function.Function;

/**
 * One key of a profile, with everything the harness knows of it in one place: its name, its
 * default, whether it is an axis (a comma-separated list that multiplies the configurations), the
 * one-line help that {@code keys} and README's key table show, and the parser that turns a
 * profile's value into the typed one ({@link ProfileSettings}) or refuses it naming what the key
 * accepts. {@link Profile#KEYS} is the table.
 *
 * @param <T> the typed value
 */
public record Key<T>(String name, String defaultValue, boolean axis, Function<Profile, T> parser, String help) {
    /** The typed value of this key in {@code p} (checked: a bad value is a {@link UsageException}). */
    public T of(Profile p) {
        return parser.apply(p);
    }

    /** A row of README's key table: name, default, axis or not, help (pipes escaped). */
    public String markdownRow() {
        return "| `" + name + "` | `" + defaultValue + "` | " + (axis ? "axis" : "") + " | " + help.replace("|", "\\|")
                + " |";
    }
}
