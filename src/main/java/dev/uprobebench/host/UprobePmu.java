package dev.uprobebench.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel's {@code uprobe} PMU as sysfs describes it: its perf type number, and the bit of
 * {@code perf_event_attr.config} that makes an event a return probe ({@code format/retprobe},
 * "config:0" on every kernel so far, read rather than assumed).
 */
public record UprobePmu(int type, int retprobeBit) {
    /** Where the kernel lists it (CONFIG_UPROBE_EVENTS with perf support). */
    public static final Path SYSFS = Path.of("/sys/bus/event_source/devices/uprobe");
    private static final Pattern CONFIG_BIT = Pattern.compile("config:(\\d+)");

    /** The PMU of this host; an {@link IOException} names what is missing. */
    public static UprobePmu ofThisHost() throws IOException {
        return read(SYSFS);
    }

    /** The PMU described under {@code dir} (a copy of {@link #SYSFS} in tests). */
    public static UprobePmu read(Path dir) throws IOException {
        Path typeFile = dir.resolve("type");
        Path retprobe = dir.resolve("format/retprobe");
        try {
            int type = Integer.parseInt(Files.readString(typeFile).trim());
            String format = Files.readString(retprobe).trim();
            Matcher m = CONFIG_BIT.matcher(format);
            if (!m.matches()) {
                throw new IOException(retprobe + " says '" + format + "', expected config:N");
            }
            return new UprobePmu(type, Integer.parseInt(m.group(1)));
        } catch (NoSuchFileException e) {
            throw new IOException("no uprobe PMU: " + e.getFile()
                    + " is missing (a kernel without CONFIG_UPROBE_EVENTS, or sysfs not mounted)", e);
        } catch (NumberFormatException e) {
            throw new IOException(typeFile + " is not a number: " + e.getMessage(), e);
        }
    }

    /** {@code perf_event_attr.config} for a probe ({@code false}) or a return probe. */
    public long config(boolean retprobe) {
        return retprobe ? 1L << retprobeBit : 0L;
    }
}
