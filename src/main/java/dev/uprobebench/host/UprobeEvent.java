package dev.uprobebench.host;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One perf event on the {@code uprobe} PMU: opening it registers a uprobe consumer at
 * (file, offset) in the kernel ({@code uprobe_register}), closing it unregisters it, and its count
 * is the exact number of hits it saw. Opened disabled; {@link #enable()} starts counting.
 *
 * <p>Scope: {@code pid = 0, cpu = -1} counts the opening thread's hits on any CPU (one event per
 * reader thread, each count that reader's own); {@code pid = -1, cpu = N} counts every task's
 * hits on CPU N. The count is read with {@code read_format = 0}: one u64.
 *
 * <p>Needs root, CAP_PERFMON or a permissive {@code perf_event_paranoid}; the error says which
 * call failed and why. Not thread-confined: the count may be read from any thread.
 */
public final class UprobeEvent implements AutoCloseable {
    /** {@code struct perf_event_attr} as of PERF_ATTR_SIZE_VER8 (136 bytes, Linux 6.3+). */
    static final StructLayout ATTR = MemoryLayout.structLayout(
            JAVA_INT.withName("type"),
            JAVA_INT.withName("size"),
            JAVA_LONG.withName("config"),
            JAVA_LONG.withName("sample_period"),
            JAVA_LONG.withName("sample_type"),
            JAVA_LONG.withName("read_format"),
            JAVA_LONG.withName("flags"),
            JAVA_INT.withName("wakeup_events"),
            JAVA_INT.withName("bp_type"),
            JAVA_LONG.withName("config1"),
            JAVA_LONG.withName("config2"),
            JAVA_LONG.withName("branch_sample_type"),
            JAVA_LONG.withName("sample_regs_user"),
            JAVA_INT.withName("sample_stack_user"),
            JAVA_INT.withName("clockid"),
            JAVA_LONG.withName("sample_regs_intr"),
            JAVA_INT.withName("aux_watermark"),
            JAVA_SHORT.withName("sample_max_stack"),
            JAVA_SHORT.withName("reserved_2"),
            JAVA_INT.withName("aux_sample_size"),
            JAVA_INT.withName("aux_action"),
            JAVA_LONG.withName("sig_data"),
            JAVA_LONG.withName("config3")).withName("perf_event_attr");
    private static final VarHandle TYPE = field("type");
    private static final VarHandle SIZE = field("size");
    private static final VarHandle CONFIG = field("config");
    private static final VarHandle FLAGS = field("flags");
    /** {@code uprobe_path}: a pointer to the probed file's path. */
    private static final VarHandle CONFIG1 = field("config1");
    /** {@code probe_offset}: the probe's offset in that file. */
    private static final VarHandle CONFIG2 = field("config2");
    /** The first bit of the {@code flags} bit-field: {@code disabled}. */
    private static final long FLAG_DISABLED = 1L;

    private static final MethodHandle SYSCALL = Libc.withErrno("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1));
    private static final MethodHandle IOCTL = Libc.withErrno("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle READ = Libc.withErrno("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    /** {@code _IO('$', 0)}, {@code _IO('$', 1)}: the same on every architecture. */
    private static final long IOC_ENABLE = 0x2400;
    private static final long IOC_DISABLE = 0x2401;
    private static final long PERF_FLAG_FD_CLOEXEC = 1L << 3;

    private final int fd;
    private final String description;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment countBuffer;
    private final MemorySegment callState;
    private boolean closed;

    private UprobeEvent(int fd, String description) {
        this.fd = fd;
        this.description = description;
        this.countBuffer = arena.allocate(JAVA_LONG);
        this.callState = Libc.callState(arena);
    }

    private static VarHandle field(String name) {
        return ATTR.varHandle(MemoryLayout.PathElement.groupElement(name));
    }

    /**
     * Registers a (return) probe at {@code offset} in {@code file}, counting the calling thread's
     * hits. Disabled until {@link #enable()}.
     */
    public static UprobeEvent forThisThread(UprobePmu pmu, Path file, long offset, boolean retprobe) {
        return open(pmu, file, offset, retprobe, 0, -1);
    }

    /** Registers a (return) probe counting every task's hits on {@code cpu}. */
    public static UprobeEvent onCpu(UprobePmu pmu, Path file, long offset, boolean retprobe, int cpu) {
        return open(pmu, file, offset, retprobe, -1, cpu);
    }

    /**
     * Counts every task's hits on {@code cpu} of the tracefs-defined uprobe whose tracepoint id is
     * {@code id} (a {@code PERF_TYPE_TRACEPOINT} event: the kernel's one consumer of that
     * definition, shared by all such events).
     */
    static UprobeEvent tracepointOnCpu(int tracepointType, int id, String name, int cpu) {
        String call = String.format(Locale.ROOT, "perf_event_open(tracepoint type=%d, id=%d (%s), pid=-1, cpu=%d)",
                tracepointType, id, name, cpu);
        return open(tracepointType, id, null, 0, -1, cpu, call, String.format(Locale.ROOT,
                "tracepoint event (%s on cpu %d)", name, cpu));
    }

    private static UprobeEvent open(UprobePmu pmu, Path file, long offset, boolean retprobe, int pid, int cpu) {
        String call = String.format(Locale.ROOT, "perf_event_open(uprobe type=%d, path=%s, offset=%d,%s pid=%d, cpu=%d)",
                pmu.type(), file, offset, retprobe ? " retprobe," : "", pid, cpu);
        return open(pmu.type(), pmu.config(retprobe), file, offset, pid, cpu, call, String.format(Locale.ROOT,
                "uprobe event (%s+%#x%s)", file.getFileName(), offset, retprobe ? ", retprobe" : ""));
    }

    /** {@code perf_event_open} of a disabled counting event; {@code file} becomes config1's path. */
    private static UprobeEvent open(int type, long config, Path file, long config2, int pid, int cpu, String call,
            String description) {
        long number = Syscalls.perfEventOpen();
        try (Arena args = Arena.ofConfined()) {
            MemorySegment attr = args.allocate(ATTR);
            TYPE.set(attr, 0L, type);
            SIZE.set(attr, 0L, (int) ATTR.byteSize());
            CONFIG.set(attr, 0L, config);
            FLAGS.set(attr, 0L, FLAG_DISABLED);
            if (file != null) {
                CONFIG1.set(attr, 0L, args.allocateFrom(file.toAbsolutePath().toString()).address());
                CONFIG2.set(attr, 0L, config2);
            }
            MemorySegment state = Libc.callState(args);
            long fd = (long) SYSCALL.invokeExact(state, number, attr, (long) pid, (long) cpu, -1L, PERF_FLAG_FD_CLOEXEC);
            if (fd < 0) {
                throw new HostCallException(call, Libc.errno(state));
            }
            return new UprobeEvent((int) fd, "fd " + fd + ": " + description);
        } catch (HostCallException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(call, t);
        }
    }

    /** Starts counting. */
    public void enable() {
        ioctl(IOC_ENABLE, "PERF_EVENT_IOC_ENABLE");
    }

    /** Stops counting; the count stays readable. */
    public void disable() {
        ioctl(IOC_DISABLE, "PERF_EVENT_IOC_DISABLE");
    }

    private synchronized void ioctl(long request, String name) {
        requireOpen();
        try {
            int rc = (int) IOCTL.invokeExact(callState, fd, request, 0L);
            if (rc != 0) {
                throw new HostCallException("ioctl(" + fd + ", " + name + ")", Libc.errno(callState));
            }
        } catch (HostCallException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("ioctl(" + fd + ", " + name + ")", t);
        }
    }

    /** The exact number of hits counted so far. */
    public synchronized long count() {
        requireOpen();
        try {
            long n = (long) READ.invokeExact(callState, fd, countBuffer, countBuffer.byteSize());
            if (n != countBuffer.byteSize()) {
                if (n < 0) {
                    throw new HostCallException("read(" + fd + ", 8) of " + description, Libc.errno(callState));
                }
                throw new IllegalStateException("read(" + fd + ", 8) of " + description + " returned " + n + " bytes");
            }
            return countBuffer.get(JAVA_LONG, 0);
        } catch (HostCallException | IllegalStateException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("read(" + fd + ") of " + description, t);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException(description + " is closed");
        }
    }

    /** Unregisters the probe's consumer ({@code close}); idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Libc.close(fd, description);
        } finally {
            arena.close();
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
