package dev.uprobebench.host;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The kernel's trace file system, where a uprobe can be defined once by name
 * ({@code uprobe_events}) and then counted by perf events of type {@code PERF_TYPE_TRACEPOINT}:
 * one consumer in the kernel however many events count it (DESIGN.md section 10, the "shared
 * probe" attach shape, as the kernel's own bench attaches one BPF link). Found at
 * {@code /sys/kernel/tracing} or {@code /sys/kernel/debug/tracing}; where neither is mounted,
 * {@link #mountOrFind()} mounts it at the first ({@code mount(2)}, needs CAP_SYS_ADMIN).
 */
public final class Tracefs {
    static final Path TRACING = Path.of("/sys/kernel/tracing");
    static final Path DEBUG_TRACING = Path.of("/sys/kernel/debug/tracing");
    private static final MethodHandle MOUNT = Libc.withErrno("mount",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));

    private final Path root;

    private Tracefs(Path root) {
        this.root = root;
    }

    /** The mounted tracefs, mounting it at {@code /sys/kernel/tracing} if need be. */
    public static Tracefs mountOrFind() throws IOException {
        for (Path p : List.of(TRACING, DEBUG_TRACING)) {
            if (Files.isRegularFile(p.resolve("uprobe_events"))) {
                return new Tracefs(p);
            }
        }
        if (!Files.isDirectory(TRACING)) {
            throw new IOException("no tracefs: " + TRACING + " does not exist (a kernel without CONFIG_TRACING?)");
        }
        mount(TRACING);
        if (!Files.isRegularFile(TRACING.resolve("uprobe_events"))) {
            throw new IOException("tracefs mounted at " + TRACING + " has no uprobe_events (CONFIG_UPROBE_EVENTS off?)");
        }
        return new Tracefs(TRACING);
    }

    private static void mount(Path at) {
        String call = "mount(\"nodev\", \"" + at + "\", \"tracefs\", 0, NULL)";
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.callState(arena);
            int rc = (int) MOUNT.invokeExact(state, arena.allocateFrom("nodev"), arena.allocateFrom(at.toString()),
                    arena.allocateFrom("tracefs"), 0L, MemorySegment.NULL);
            if (rc != 0) {
                throw new HostCallException(call + " (tracefs is not mounted; mounting it needs root)", Libc.errno(state));
            }
        } catch (HostCallException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(call, t);
        }
    }

    public Path root() {
        return root;
    }

    /**
     * Defines {@code group/event} as a (return) probe at {@code offset} in {@code file} and returns
     * its tracepoint id. The definition registers nothing yet: the first perf event does.
     */
    int define(String group, String event, Path file, long offset, boolean retprobe) throws IOException {
        String line = String.format(java.util.Locale.ROOT, "%s:%s/%s %s:%#x%n", retprobe ? "r" : "p", group, event,
                file.toAbsolutePath(), offset);
        append(line, "defining " + group + "/" + event);
        Path id = root.resolve("events").resolve(group).resolve(event).resolve("id");
        return Integer.parseInt(Files.readString(id).trim());
    }

    /** Removes the definition of {@code group/event}; its perf events must be closed first. */
    void remove(String group, String event) throws IOException {
        append("-:" + group + "/" + event + "\n", "removing " + group + "/" + event);
    }

    private void append(String line, String what) throws IOException {
        try {
            Files.writeString(root.resolve("uprobe_events"), line, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IOException(what + ": writing '" + line.trim() + "' to " + root.resolve("uprobe_events")
                    + " failed: " + e.getMessage(), e);
        }
    }
}
