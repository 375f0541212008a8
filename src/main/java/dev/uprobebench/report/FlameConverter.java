package dev.uprobebench.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * async-profiler's converter ({@code tools.profiler:jfr-converter}) run in this JVM: JFR to flame
 * graphs and collapsed stacks, and {@code --diff} of two collapsed profiles. Where a report keeps
 * its flame graphs is written in each {@link ConfigOutcome#flamegraphs}.
 */
public final class FlameConverter {
    private FlameConverter() {
    }

    /** The configuration's CPU collapsed stacks (relative to its report), or null when it was not profiled. */
    public static String collapsedOf(ConfigOutcome o) {
        return o.flamegraphs().stream().filter(f -> f.endsWith(".collapsed") && !f.endsWith("-lock.collapsed")
                && !f.contains("/diff-")).findFirst().orElse(null);
    }

    /** Runs the converter with {@code args}, keeping its progress lines off the console. */
    public static synchronized void convert(String... args) throws IOException {
        PrintStream saved = System.out;
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(sink, true, StandardCharsets.UTF_8));
            one.convert.Main.main(args);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("jfr-converter " + String.join(" ", args) + " failed: " + e, e);
        } finally {
            System.setOut(saved);
        }
    }
}
