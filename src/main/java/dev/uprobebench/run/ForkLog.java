package dev.uprobebench.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The root cause of a failed fork, read from JMH's output for it ({@code jmh/<fork>.log}). JMH's
 * API reports only "BenchmarkException: Benchmark error"; the forked JVM's own words are in the
 * log: a JVM that did not start prints "Error occurred during initialization of VM" and the reason
 * inside JMH's {@code <stdout>}/{@code <stderr>} blocks after {@code <forked VM failed with exit
 * code N>}; an exception in the benchmark is printed between {@code <failure>} and the stack.
 */
final class ForkLog {
    private static final Pattern EXIT = Pattern.compile("<forked VM failed with exit code (\\d+)>");
    private static final Pattern EXCEPTION = Pattern.compile("^(Caused by: )?([\\w$]+\\.)+[\\w$]*(Exception|Error)(: .*)?$");
    private static final String VM_INIT = "Error occurred during initialization of VM";

    private ForkLog() {
    }

    /** One line naming why the fork failed, or null when the log says nothing more than JMH did. */
    static String failure(Path log) {
        try {
            return failure(Files.readAllLines(log, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return null;
        }
    }

    static String failure(List<String> lines) {
        String exit = null;
        List<String> output = new ArrayList<>();
        boolean inBlock = false;
        boolean failureBlock = false;
        for (String raw : lines) {
            String line = raw.strip();
            Matcher m = EXIT.matcher(line);
            if (m.find()) {
                exit = m.group(1);
                continue;
            }
            if (line.startsWith("<stdout") || line.startsWith("<stderr")) {
                inBlock = true;
                continue;
            }
            if (line.startsWith("</stdout") || line.startsWith("</stderr")) {
                inBlock = false;
                continue;
            }
            if (line.equals("<failure>")) {
                failureBlock = true;
                continue;
            }
            if (failureBlock && line.equals("</failure>")) {
                failureBlock = false;
                continue;
            }
            if ((inBlock || failureBlock) && !line.isEmpty()) {
                output.add(line);
            }
        }
        String why = cause(output);
        if (why == null && exit == null) {
            return null;
        }
        String prefix = exit == null ? "" : "forked JVM exited with code " + exit;
        return why == null ? prefix : prefix.isEmpty() ? why : prefix + ": " + why;
    }

    private static String cause(List<String> output) {
        for (int i = 0; i < output.size(); i++) {
            if (output.get(i).startsWith(VM_INIT)) {
                return i + 1 < output.size() ? output.get(i + 1) + " (the JVM did not start)" : output.get(i);
            }
        }
        String first = null;
        String lastCausedBy = null;
        for (String l : output) {
            if (EXCEPTION.matcher(l).matches()) {
                if (l.startsWith("Caused by: ")) {
                    lastCausedBy = l.substring("Caused by: ".length());
                } else if (first == null) {
                    first = l;
                }
            }
        }
        if (lastCausedBy != null) {
            return lastCausedBy;
        }
        if (first != null) {
            return first;
        }
        for (int i = output.size() - 1; i >= 0; i--) {
            if (!output.get(i).startsWith("at ")) {
                return output.get(i);
            }
        }
        return null;
    }
}
