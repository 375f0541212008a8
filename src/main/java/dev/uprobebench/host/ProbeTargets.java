package dev.uprobebench.host;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Probe targets without a compiler: a file of tiny x86-64 functions written at run time, mapped
 * {@code MAP_PRIVATE} and {@code PROT_READ|PROT_EXEC} from that file, and callable from Java.
 * Uprobes need exactly this: an inode and an offset, in a private mapping (the kernel's
 * {@code valid_vma()} refuses a mapping that may be shared: it would open the event and count
 * nothing).
 *
 * <p>Layout: a loop function at offset 0, {@code void loop(void (*f)(void), long n)}, which calls
 * {@code f} {@code n} times, so that a batch of hits costs one downcall and the hit loop is the
 * kernel's, not Java's; then one {@value #SLOT}-byte slot per probe target from offset
 * {@value #FIRST}. Each target is {@code void f(void)} and starts with its {@link Trap}'s first
 * instruction. Padding is {@code int3}. The file is page-rounded and removed on {@link #close()}.
 *
 * <p>Thread-safe: any thread may call the functions until {@link #close()}, which unmaps them; a
 * call after that throws (the mapping's arena is closed), it never jumps into unmapped memory.
 */
public final class ProbeTargets implements AutoCloseable {
    /** The first instruction of a probe target, which decides how the kernel traps it. */
    public enum Trap {
        /** {@code push %rbp; pop %rbp; ret}: an ordinary first instruction gets the int3 breakpoint. */
        INT3(new byte[] {0x55, 0x5d, (byte) 0xc3}),
        /**
         * {@code nopl 0(%rax,%rax,1); ret}: the 5-byte nop that Linux 6.18+ on x86-64 rewrites into a
         * call to the uprobe trampoline and the {@code uprobe} syscall (no trap).
         */
        NOP5(new byte[] {0x0f, 0x1f, 0x44, 0x00, 0x00, (byte) 0xc3});

        private final byte[] code;

        Trap(byte[] code) {
            this.code = code;
        }

        /** The profile spelling: {@code int3}, {@code nop5}. */
        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Bytes per probe target. */
    public static final int SLOT = 16;
    /** Offset of the first probe target (after the loop). */
    public static final int FIRST = 32;
    private static final int PAGE = 4096;
    /**
     * {@code push %rbp; push %rbx; push %r12} (the stack 16-byte aligned at each call);
     * {@code mov %rdi,%rbx; mov %rsi,%r12; test %r12,%r12; je done;}
     * {@code again: call *%rbx; dec %r12; jne again;} {@code done: pop %r12; pop %rbx; pop %rbp; ret}.
     */
    private static final byte[] LOOP = {
        0x55, 0x53, 0x41, 0x54,
        0x48, (byte) 0x89, (byte) 0xfb, 0x49, (byte) 0x89, (byte) 0xf4, 0x4d, (byte) 0x85, (byte) 0xe4,
        0x74, 0x07,
        (byte) 0xff, (byte) 0xd3, 0x49, (byte) 0xff, (byte) 0xcc, 0x75, (byte) 0xf9,
        0x41, 0x5c, 0x5b, 0x5d, (byte) 0xc3};
    private static final byte INT3_PAD = (byte) 0xcc;

    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final int PROT_READ = 1;
    private static final int PROT_EXEC = 4;
    private static final int MAP_PRIVATE = 2;
    private static final MethodHandle OPEN = Libc.withErrno("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle MMAP = Libc.withErrno("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP = Libc.withErrno("munmap",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));

    /** One probe target: where it is in the file, how it traps, and how to call it. */
    public final class Function {
        private final int index;
        private final Trap trap;
        private final MemorySegment entry;
        private final MethodHandle call;

        private Function(int index, Trap trap) {
            this.index = index;
            this.trap = trap;
            this.entry = mapping.asSlice(offset());
            // A leaf of a few instructions, or a trap that returns in microseconds: no thread-state
            // transition needed around it.
            this.call = Libc.LINKER.downcallHandle(entry, FunctionDescriptor.ofVoid(),
                    Linker.Option.critical(false));
        }

        public int index() {
            return index;
        }

        public Trap trap() {
            return trap;
        }

        /** The offset in {@link #file()}: a uprobe's {@code probe_offset}. */
        public long offset() {
            return FIRST + (long) SLOT * index;
        }

        public Path file() {
            return file;
        }

        /** One call: one hit when probed. */
        public void call() {
            try {
                call.invokeExact();
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        /** {@code n} calls from native code, one downcall. */
        public void callMany(long n) {
            try {
                loop.invokeExact(entry, n);
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%s+%#x (%s)", file.getFileName(), offset(), trap.key());
        }
    }

    private final Path file;
    private final Arena arena;
    private final MemorySegment mapping;
    private final MethodHandle loop;
    private final List<Function> functions;

    private ProbeTargets(Path file, Arena arena, MemorySegment mapping, List<Trap> traps) {
        this.file = file;
        this.arena = arena;
        this.mapping = mapping;
        this.loop = Libc.LINKER.downcallHandle(mapping, FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG));
        List<Function> fs = new ArrayList<>(traps.size());
        for (int i = 0; i < traps.size(); i++) {
            fs.add(new Function(i, traps.get(i)));
        }
        this.functions = List.copyOf(fs);
    }

    /** The file's bytes for these targets, page-rounded. */
    static byte[] code(List<Trap> traps) {
        int end = FIRST + SLOT * traps.size();
        byte[] code = new byte[(end + PAGE - 1) / PAGE * PAGE];
        Arrays.fill(code, INT3_PAD);
        System.arraycopy(LOOP, 0, code, 0, LOOP.length);
        for (int i = 0; i < traps.size(); i++) {
            byte[] f = traps.get(i).code;
            System.arraycopy(f, 0, code, FIRST + SLOT * i, f.length);
        }
        return code;
    }

    /**
     * Writes the targets to a new file in {@code dir} and maps it. Fails on any architecture but
     * x86-64 (the bytes are x86-64 code), and names the file and the call that failed: a
     * {@code noexec} mount refuses {@code PROT_EXEC} with EPERM.
     */
    public static ProbeTargets create(Path dir, List<Trap> traps) throws IOException {
        if (traps.isEmpty()) {
            throw new IllegalArgumentException("no probe targets asked for");
        }
        if (!Syscalls.isX86_64()) {
            throw new UnsupportedOperationException("probe targets are x86-64 machine code; this host is "
                    + Syscalls.arch());
        }
        byte[] code = code(traps);
        Path file = Files.createTempFile(dir, "uprobe-targets-", ".bin");
        Arena arena = Arena.ofShared();
        try {
            Files.write(file, code);
            MemorySegment mapping = map(file, code.length, arena);
            return new ProbeTargets(file, arena, mapping, traps);
        } catch (RuntimeException | IOException e) {
            arena.close();
            Files.deleteIfExists(file);
            throw e;
        }
    }

    private static MemorySegment map(Path file, long size, Arena arena) {
        String name = file.toString();
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = Libc.callState(call);
            int fd = (int) OPEN.invokeExact(state, call.allocateFrom(name), O_RDONLY | O_CLOEXEC, 0);
            if (fd < 0) {
                throw new HostCallException("open(" + name + ", O_RDONLY)", Libc.errno(state));
            }
            MemorySegment at;
            int errno;
            try {
                at = (MemorySegment) MMAP.invokeExact(state, MemorySegment.NULL, size, PROT_READ | PROT_EXEC,
                        MAP_PRIVATE, fd, 0L);
                errno = Libc.errno(state);
            } finally {
                Libc.close(fd, name); // the mapping keeps the file
            }
            if (at.address() == -1L) {
                String hint = errno == 1 || errno == 13 ? " (is " + file.getParent() + " mounted noexec?)" : "";
                throw new HostCallException("mmap(" + size + ", PROT_READ|PROT_EXEC, MAP_PRIVATE) of " + name + hint,
                        errno);
            }
            return at.reinterpret(size, arena, ProbeTargets::unmap);
        } catch (HostCallException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("mapping " + name, t);
        }
    }

    private static void unmap(MemorySegment at) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = Libc.callState(call);
            int rc = (int) MUNMAP.invokeExact(state, at, at.byteSize());
            if (rc != 0) {
                throw new HostCallException("munmap(" + at + ")", Libc.errno(state));
            }
        } catch (HostCallException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("munmap(" + at + ")", t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    /** The mapped file: a uprobe's path. */
    public Path file() {
        return file;
    }

    public List<Function> functions() {
        return functions;
    }

    public Function function(int index) {
        return functions.get(index);
    }

    /** The mapping's start address in this process (for {@code /proc/self/maps}). */
    public long address() {
        return mapping.address();
    }

    /** Unmaps the functions and removes the file. Close the events on it first. */
    @Override
    public void close() {
        try {
            arena.close();
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("removing " + file, e);
            }
        }
    }
}
