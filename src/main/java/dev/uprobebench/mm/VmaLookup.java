package dev.uprobebench.mm;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How a breakpoint hit gets from its virtual address to (inode, offset): DESIGN.md section 7. */
public enum VmaLookup {
    /** The registry alone: the hit starts from (inode, offset). */
    NONE("none", "registry lookup only"),
    /** Up to 6.13: {@code mmap_read_lock}; {@code vma_lookup}; registry lookup; unlock. */
    MMAP_LOCK("mmap-lock", "mmap_read_lock around vma_lookup and the registry lookup (up to 6.13)"),
    /**
     * 6.14: under RCU, {@code mmap_lock_speculate_try_begin}; {@code vma_lookup}; the file's inode;
     * registry lookup; {@code mmap_lock_speculate_retry}; on any failure, the {@link #MMAP_LOCK}
     * path.
     */
    SPECULATIVE("speculative", "lockless under RCU, validated by mm_lock_seq, falling back to mmap_read_lock (6.14)"),
    /**
     * 6.15: {@link #SPECULATIVE} with VMAs from a {@code SLAB_TYPESAFE_BY_RCU} cache ("mm: make vma
     * cache SLAB_TYPESAFE_BY_RCU"): an unmapped VMA is freed at once and may be reused for another
     * mapping inside a reader's grace period, so the reader revalidates the VMA it found (its
     * state and generation, and that it still covers the address) before it uses the translation,
     * besides the sequence. {@code vma-free=typesafe} in a profile.
     */
    SPECULATIVE_TYPESAFE("speculative-typesafe", "speculative, with VMAs reused at once (SLAB_TYPESAFE_BY_RCU) and "
            + "revalidated by the reader (6.15)");

    private final String label;
    private final String description;

    VmaLookup(String label, String description) {
        this.label = label;
        this.description = description;
    }

    public String label() {
        return label;
    }

    /** The lockless lookup, with either VMA lifetime. */
    public boolean speculative() {
        return this == SPECULATIVE || this == SPECULATIVE_TYPESAFE;
    }

    /** VMAs are freed at once on unmap (reused inside a reader's grace period), not after a grace period. */
    public boolean typesafe() {
        return this == SPECULATIVE_TYPESAFE;
    }

    /** The VMA lifetime this lookup runs with: {@code rcu} (6.14) or {@code typesafe} (6.15). */
    public String vmaFree() {
        return typesafe() ? "typesafe" : "rcu";
    }

    /** This lookup with VMAs freed as {@code free} says ({@code rcu} or {@code typesafe}); only the speculative one changes. */
    public VmaLookup withVmaFree(String free) {
        if (!free.equals("rcu") && !free.equals("typesafe")) {
            throw new IllegalArgumentException("unknown VMA lifetime '" + free + "'; valid: rcu, typesafe");
        }
        return speculative() ? (free.equals("typesafe") ? SPECULATIVE_TYPESAFE : SPECULATIVE) : this;
    }

    public String description() {
        return description;
    }

    public static VmaLookup byName(String name) {
        for (VmaLookup v : values()) {
            if (v.label.equals(name)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown VMA lookup '" + name + "'; valid: " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(VmaLookup::label).collect(Collectors.joining(", "));
    }
}
