package dev.uprobebench.mm;

import dev.uprobebench.sync.RbNode;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A {@code struct vm_area_struct}: the addresses {@code [start, end)} map {@link MappedFile}
 * {@code file} from byte {@code pgoff}. Linked into the address space's tree by {@code start}.
 *
 * <h2>Assumptions and guarantees</h2>
 * <ul>
 *   <li>A slab object ({@link VmaPool}): {@link #generationAcquire()} moves on at every
 *       allocation, and a freed VMA reads {@link State#FREED}, so a reader that kept a VMA past
 *       its grace period can see that it did.</li>
 *   <li>State goes LINKED (in the tree) → DETACHED (unlinked by {@code munmap}, under the mm's
 *       write lock, {@code vma_mark_detached}) → FREED (after an RCU grace period,
 *       {@code vm_area_free}'s {@code call_rcu}). Start, end, offset and file are written before
 *       the VMA is linked and not changed while it is.</li>
 *   <li>Lockless readers load the file and the state with acquire; the writer stores them with
 *       release.</li>
 * </ul>
 */
public final class Vma extends RbNode {
    /** Lifetime states. */
    public enum State {
        FREED, LINKED, DETACHED
    }

    private static final State[] STATES = State.values();
    private static final VarHandle STATE;
    private static final VarHandle GEN;
    private static final VarHandle FILE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(Vma.class, "state", int.class);
            GEN = l.findVarHandle(Vma.class, "generation", int.class);
            FILE = l.findVarHandle(Vma.class, "file", MappedFile.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int index;
    private long start;
    private long end;
    private long pgoff;
    @SuppressWarnings("unused") // accessed through FILE
    private MappedFile file;
    @SuppressWarnings("unused") // accessed through STATE
    private int state;
    @SuppressWarnings("unused") // accessed through GEN
    private int generation;

    Vma(int index) {
        this.index = index;
    }

    int index() {
        return index;
    }

    public long start() {
        return start;
    }

    public long end() {
        return end;
    }

    /** File offset of {@link #start()} ({@code vm_pgoff << PAGE_SHIFT}). */
    public long pgoff() {
        return pgoff;
    }

    /** {@code READ_ONCE(vma->vm_file)}. */
    public MappedFile fileAcquire() {
        return (MappedFile) FILE.getAcquire(this);
    }

    public int generationAcquire() {
        return (int) GEN.getAcquire(this);
    }

    public State stateAcquire() {
        return STATES[(int) STATE.getAcquire(this)];
    }

    /**
     * The per-VMA validation of a typesafe reader: after its plain reads of the range and offset
     * (ordered before the loads below by an acquire fence), the VMA is still linked, its generation
     * is still {@code generation} (not freed and reused since the reader read it), and it still
     * covers {@code vaddr}. With {@link #initialize}'s store-store fence after the generation
     * moves, a reader that saw the old generation here read no field of the new allocation.
     */
    public boolean stillMaps(int generation, long vaddr) {
        VarHandle.acquireFence();
        return stateAcquire() == State.LINKED && generationAcquire() == generation && contains(vaddr);
    }

    /** True when {@code vaddr} is inside. */
    public boolean contains(long vaddr) {
        return vaddr >= start && vaddr < end;
    }

    /** {@code vaddr_to_offset}: the file offset that {@code vaddr} maps. */
    public long fileOffset(long vaddr) {
        return pgoff + (vaddr - start);
    }

    @Override
    public int compareKey(long hi, long lo) {
        int c = Long.compare(hi, 0);
        return c != 0 ? c : Long.compare(lo, start);
    }

    @Override
    public long keyHi() {
        return 0;
    }

    @Override
    public long keyLo() {
        return start;
    }

    /** Pool only: a fresh VMA, not yet linked. */
    void initialize(long newStart, long newEnd, long newPgoff) {
        GEN.setRelease(this, (int) GEN.get(this) + 1);
        VarHandle.storeStoreFence(); // the new generation is visible before any field of the new mapping
        clearLinks();
        start = newStart;
        end = newEnd;
        pgoff = newPgoff;
        STATE.setRelease(this, State.DETACHED.ordinal());
    }

    /** Writer, under the mm's write lock, before linking. */
    void setFile(MappedFile f) {
        FILE.setRelease(this, f);
    }

    /** Writer, under the mm's write lock, just before linking. */
    void markLinked() {
        STATE.setRelease(this, State.LINKED.ordinal());
    }

    /** Writer, under the mm's write lock, once unlinked ({@code vma_mark_detached}). */
    void markDetached() {
        STATE.setRelease(this, State.DETACHED.ordinal());
    }

    /** Pool only: false (and nothing changed) when it was already free. */
    boolean poison() {
        int old = (int) STATE.getAndSet(this, State.FREED.ordinal());
        if (old == State.FREED.ordinal()) {
            return false;
        }
        FILE.setRelease(this, (MappedFile) null);
        return true;
    }

    @Override
    public String toString() {
        return "vma#" + index + "[" + Long.toHexString(start) + ", " + Long.toHexString(end) + ")";
    }
}
