package dev.uprobebench.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UprobePmuTest {
    @TempDir
    Path dir;

    @Test
    void typeAndRetprobeBitAreReadFromSysfs() throws IOException {
        Files.writeString(dir.resolve("type"), "8\n");
        Files.createDirectories(dir.resolve("format"));
        Files.writeString(dir.resolve("format/retprobe"), "config:3\n");
        UprobePmu pmu = UprobePmu.read(dir);
        assertEquals(8, pmu.type());
        assertEquals(8L, pmu.config(true));
        assertEquals(0L, pmu.config(false));
    }

    @Test
    void aMissingPmuNamesTheFile() {
        IOException e = assertThrows(IOException.class, () -> UprobePmu.read(dir.resolve("uprobe")));
        assertTrue(e.getMessage().contains("no uprobe PMU") && e.getMessage().contains("type"), e.getMessage());
    }

    @Test
    void anUnknownFormatIsRefused() throws IOException {
        Files.writeString(dir.resolve("type"), "8");
        Files.createDirectories(dir.resolve("format"));
        Files.writeString(dir.resolve("format/retprobe"), "config1:0-63");
        IOException e = assertThrows(IOException.class, () -> UprobePmu.read(dir));
        assertTrue(e.getMessage().contains("expected config:N"), e.getMessage());
    }
}
