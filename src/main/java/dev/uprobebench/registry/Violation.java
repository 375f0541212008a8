package dev.uprobebench.registry;

/** The invariants every run checks (DESIGN.md section 4); any count above zero invalidates it. */
public enum Violation {
    /** A reader holding a uprobe saw it freed, or its generation change, before letting go. */
    USE_AFTER_FREE("use-after-free"),
    /** A reference was taken on a uprobe whose refcount was 0. */
    RESURRECTION("resurrection"),
    /** A lookup of a key in the stable set missed. */
    FALSE_NEGATIVE("false-negative"),
    /** A lookup returned a uprobe whose key is not the key asked for. */
    WRONG_HIT("wrong-hit"),
    /** After teardown, a slab object was not back in the slab or a count was not zero. */
    LEAK("leak"),
    /** A lookup did not finish within the step bound. */
    LOST_LOOKUP("lost-lookup"),
    /** A uprobe was freed that was already free (the slab refused it; the lifetime logic is wrong). */
    DOUBLE_FREE("double-free"),
    /**
     * A writer used a uprobe (found it in the tree, changed its consumers, took or dropped a
     * reference, erased it) after it was freed, or recycled since the writer found it.
     */
    WRITER_USE_AFTER_FREE("writer-use-after-free"),
    /**
     * A hit was accepted through a VMA, or the file it maps, that an address-space writer changed
     * before the hit validated its translation (a speculative lookup whose sequence check passed
     * anyway, or a change under {@code mmap_read_lock}).
     */
    STALE_VMA("stale-vma"),
    /** A reader inside its RCU read section saw a VMA it had found freed or recycled. */
    VMA_USE_AFTER_FREE("vma-use-after-free"),
    /**
     * A hit was accepted through a VMA that was freed and reused for another mapping after the
     * reader found it ({@code vma-free=typesafe}, 6.15's {@code SLAB_TYPESAFE_BY_RCU} VMA cache: a
     * reuse inside the read section is legal; acting on the reused VMA is not).
     */
    VMA_REUSED("vma-reused"),
    /**
     * rcutorture's Reader Pipe: a reader used a uprobe unlinked two or more grace periods of its
     * read-side domain before, so a grace period that began after the unlink ended without waiting
     * for this reader (one that was already running when the uprobe was unlinked may end: age 1).
     */
    TOO_OLD("too-old"),
    /**
     * A hit was accepted with a translation, (inode, offset), that is not what the address space
     * mapped at that address at the sequence the reader validated against (the writer's own record
     * of its mappings, not the tree the reader walked).
     */
    WRONG_TRANSLATION("wrong-translation"),
    /**
     * A return probe's lease was released other than exactly once: its SRCU read section unlocked
     * twice (the timer and the return both did), or the return finished with it never unlocked.
     */
    LEASE_UNLOCK("lease-unlock"),
    /**
     * A return saw its uprobe freed or recycled while it held it (by a reference or a lease), or a
     * uprobe the timer found GONE had its return handlers run.
     */
    RETURN_USE_AFTER_FREE("return-use-after-free");

    private final String label;

    Violation(String label) {
        this.label = label;
    }

    /** Name used in reports and on the command line. */
    public String label() {
        return label;
    }
}
