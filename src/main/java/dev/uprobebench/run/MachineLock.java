package dev.uprobebench.run;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One benchmark run per machine at a time, or a label saying there were two: two runs pin their
 * threads to the same cores and disturb each other's numbers. The run takes an advisory lock on a
 * file in the temporary directory and writes who it is there; a run that finds the lock taken goes
 * on (nothing is lost) but its report carries a machine warning naming the other run.
 */
final class MachineLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;
    private final String other;

    private MachineLock(FileChannel channel, FileLock lock, String other) {
        this.channel = channel;
        this.lock = lock;
        this.other = other;
    }

    /** Takes the lock at {@code file} for {@code who}, or learns who holds it. Never throws. */
    static MachineLock take(Path file, String who) {
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null; // this JVM holds it already: another run in the same process
            }
            if (l == null) {
                String holder = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
                ch.close();
                return new MachineLock(null, null, holder.isEmpty() ? "another run" : holder);
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(who.getBytes(StandardCharsets.UTF_8)), 0);
            return new MachineLock(ch, l, null);
        } catch (IOException | RuntimeException e) {
            try {
                if (ch != null) {
                    ch.close();
                }
            } catch (IOException ignored) {
                // the lock is advisory: without it the run goes on unlabelled
            }
            return new MachineLock(null, null, null);
        }
    }

    /** Who held the lock when this run started ({@code pid N, profile P, started T}), or null. */
    String otherRun() {
        return other;
    }

    @Override
    public void close() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // released with the process anyway
        }
    }
}
