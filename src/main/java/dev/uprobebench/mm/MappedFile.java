package dev.uprobebench.mm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A {@code struct file} that a VMA maps: what a hit reads to get from the VMA to the inode.
 *
 * <h2>Assumptions and guarantees</h2>
 * <ul>
 *   <li>Files come from a type-stable pool ({@link FilePool}), as the kernel's {@code filp}
 *       cache is {@code SLAB_TYPESAFE_BY_RCU}: a file is returned to the pool as soon as its
 *       last mapping goes (no grace period) and may be handed out again at once for another
 *       inode. A reader holding a stale pointer therefore reads a real file, possibly another
 *       one: only the mm sequence check tells it so.</li>
 *   <li>{@link #generationAcquire()} moves on at every allocation and every free; the inode reads
 *       {@link #POISON} while the file is free.</li>
 *   <li>Fields are written by the pool under the mm's write lock and read by lockless readers
 *       with acquire loads.</li>
 * </ul>
 */
public final class MappedFile {
    public static final long POISON = 0xdead_f11e_dead_f11eL;
    private static final VarHandle INODE;
    private static final VarHandle GEN;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            INODE = l.findVarHandle(MappedFile.class, "inode", long.class);
            GEN = l.findVarHandle(MappedFile.class, "generation", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int index;
    @SuppressWarnings("unused") // accessed through INODE
    private long inode = POISON;
    @SuppressWarnings("unused") // accessed through GEN
    private int generation;
    private boolean free = true;

    MappedFile(int index) {
        this.index = index;
    }

    int index() {
        return index;
    }

    /** {@code file->f_inode} as a lockless reader sees it. */
    public long inodeAcquire() {
        return (long) INODE.getAcquire(this);
    }

    public int generationAcquire() {
        return (int) GEN.getAcquire(this);
    }

    boolean isFree() {
        return free;
    }

    /** Pool only: the generation moves first, so a reader that sees the new inode sees it too. */
    void open(long newInode) {
        GEN.setRelease(this, (int) GEN.get(this) + 1);
        INODE.setRelease(this, newInode);
        free = false;
    }

    /** Pool only. */
    void close() {
        GEN.setRelease(this, (int) GEN.get(this) + 1);
        INODE.setRelease(this, POISON);
        free = true;
    }

    @Override
    public String toString() {
        return "file#" + index + "{inode=" + (long) INODE.getOpaque(this) + ", gen=" + (int) GEN.getOpaque(this) + "}";
    }
}
