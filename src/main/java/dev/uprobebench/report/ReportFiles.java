package dev.uprobebench.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The report directory's files as every writer names and writes them: the export file names,
 * where a plot's PNG is, and the one way a file is written (whole or not at all).
 */
public final class ReportFiles {
    /** Bencher Metric Format: valid configurations only. */
    public static final String BENCHER = "bencher.json";
    /** github-action-benchmark's customBiggerIsBetter and customSmallerIsBetter. */
    public static final String ACTION_BIGGER = "github-action-benchmark.json";
    public static final String ACTION_SMALLER = "github-action-benchmark-latency.json";

    private ReportFiles() {
    }

    /** Where a plot's PNG is, relative to the report directory. */
    static String png(String plot) {
        return "plots/" + plot + ".png";
    }

    /**
     * Writes a report file whole or not at all (a temporary file, then an atomic move), so that an
     * interrupted run or a full disk never leaves a half-written file; the error names the file.
     */
    public static void writeAtomically(Path target, String text) {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the disk is full or gone; the error below says so
            }
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}
