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
    SPECULATIVE("speculative", "lockless under RCU, validated by mm_lock_seq, falling back to mmap_read_lock (6.14)");

    private final String label;
    private final String description;

    VmaLookup(String label, String description) {
        this.label = label;
        this.description = description;
    }

    public String label() {
        return label;
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
