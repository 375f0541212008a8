package dev.uprobebench.pin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds fake {@code /sys/devices/system/cpu} trees for topology tests. */
public final class FakeSysfs {
    private FakeSysfs() {
    }

    static void cpu(Path root, int id, int core, int pkg, String siblings) throws IOException {
        Path t = root.resolve("cpu" + id).resolve("topology");
        Files.createDirectories(t);
        Files.writeString(t.resolve("core_id"), core + "\n");
        Files.writeString(t.resolve("physical_package_id"), pkg + "\n");
        Files.writeString(t.resolve("thread_siblings_list"), siblings + "\n");
    }

    /**
     * Two sockets of 4 cores with SMT, numbered as Linux numbers Intel servers: CPUs 0-7 are the
     * first threads (socket 0: 0-3, socket 1: 4-7), 8-15 their siblings.
     */
    static Path twoSocketSmt(Path root) throws IOException {
        Files.writeString(root.resolve("online"), "0-15\n");
        for (int i = 0; i < 16; i++) {
            int first = i % 8;
            int pkg = first / 4;
            cpu(root, i, first % 4, pkg, first + "," + (first + 8));
        }
        return root;
    }

    /**
     * A 64-core server: two sockets of 32 cores with SMT, 128 CPUs, numbered as Linux numbers
     * Intel servers (0-63 the first threads, socket 0 first; 64-127 their siblings).
     */
    public static Path sixtyFourCoresSmt(Path root) throws IOException {
        Files.writeString(root.resolve("online"), "0-127\n");
        for (int i = 0; i < 128; i++) {
            int first = i % 64;
            cpu(root, i, first % 32, first / 32, first + "," + (first + 64));
        }
        return root;
    }

    /** This project's CI machine: 2 cores, no SMT, one socket. */
    static Path twoCores(Path root) throws IOException {
        Files.writeString(root.resolve("online"), "0-1\n");
        cpu(root, 0, 0, 0, "0");
        cpu(root, 1, 1, 0, "1");
        return root;
    }
}
