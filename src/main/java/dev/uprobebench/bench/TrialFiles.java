package dev.uprobebench.bench;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where a forked benchmark JVM writes its {@link TrialRecord} and latency log: the directory in
 * system property {@value #OUT_PROPERTY} (set by the command line for each configuration), or
 * nowhere when it is absent (a bare JMH run).
 */
public final class TrialFiles {
    public static final String OUT_PROPERTY = "uprobe.out";
    public static final String PIN_PROPERTY = "uprobe.pin";
    static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    private TrialFiles() {
    }

    /** The output directory, created, or null. */
    public static Path outDir() {
        String dir = System.getProperty(OUT_PROPERTY);
        if (dir == null || dir.isEmpty()) {
            return null;
        }
        Path p = Path.of(dir);
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + p + ": " + e.getMessage(), e);
        }
        return p;
    }

    /** Writes {@code record} as {@code trial-<pid>.json}, atomically (temp file, then move). */
    public static void write(Path dir, TrialRecord record) {
        Path target = dir.resolve("trial-" + record.pid + ".json");
        Path tmp = dir.resolve("trial-" + record.pid + ".json.tmp");
        try {
            Files.writeString(tmp, GSON.toJson(record), StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    public static TrialRecord read(Path file) throws IOException {
        return GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), TrialRecord.class);
    }
}
