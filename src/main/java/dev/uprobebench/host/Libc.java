package dev.uprobebench.host;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * What every host call shares: the native linker, libc's symbols, errno captured right after the
 * call (the JVM may change errno before Java code could read it), {@code strerror} and
 * {@code close}.
 */
final class Libc {
    static final Linker LINKER = Linker.nativeLinker();
    static final SymbolLookup LOOKUP = LINKER.defaultLookup();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(symbol("strerror"),
            FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final MethodHandle CLOSE = withErrno("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private Libc() {
    }

    static MemorySegment symbol(String name) {
        return LOOKUP.find(name).orElseThrow(() -> new UnsupportedOperationException(
                "libc has no symbol " + name + " on this host"));
    }

    /** A downcall whose first argument is the call-state segment that receives errno. */
    static MethodHandle withErrno(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        Linker.Option[] all = new Linker.Option[options.length + 1];
        all[0] = CAPTURE_ERRNO;
        System.arraycopy(options, 0, all, 1, options.length);
        return LINKER.downcallHandle(symbol(name), descriptor, all);
    }

    /** A segment to pass as the first argument of a {@link #withErrno} handle. */
    static MemorySegment callState(Arena arena) {
        return arena.allocate(CALL_STATE);
    }

    static int errno(MemorySegment callState) {
        return (int) ERRNO.get(callState, 0L);
    }

    static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.reinterpret(Integer.MAX_VALUE).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    /** {@code close(fd)}; a failure names {@code what} the descriptor was. */
    static void close(int fd, String what) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = callState(arena);
            int rc = (int) CLOSE.invokeExact(state, fd);
            if (rc != 0) {
                throw new HostCallException("close(" + fd + ") of " + what, errno(state));
            }
        } catch (HostCallException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("close(" + fd + ") of " + what, t);
        }
    }
}
