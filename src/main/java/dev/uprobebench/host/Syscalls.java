package dev.uprobebench.host;

import java.util.Locale;

/** System call numbers, which differ by architecture (arch/x86/entry/syscalls, asm-generic). */
final class Syscalls {
    private Syscalls() {
    }

    static String arch() {
        return System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    }

    static boolean isX86_64() {
        String a = arch();
        return a.equals("amd64") || a.equals("x86_64");
    }

    static long perfEventOpen() {
        String a = arch();
        if (isX86_64()) {
            return 298;
        }
        if (a.equals("aarch64") || a.equals("riscv64")) {
            return 241;
        }
        throw new UnsupportedOperationException("perf_event_open's number is not known for " + a
                + " (known: amd64, aarch64, riscv64)");
    }
}
