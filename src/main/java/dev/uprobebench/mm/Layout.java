package dev.uprobebench.mm;

/**
 * Where things sit in the modelled address space, shared by the benchmark and the torture driver.
 *
 * <ul>
 *   <li>Each probed file (inode {@code i}, uprobes at byte offsets from 0) is mapped once, from
 *       file offset 0, at {@link #probedBase(long)}: its own 4 GiB window above
 *       {@code 0x400000}, the usual start of a binary's text. A uprobe at {@code (i, offset)} is
 *       hit at {@code probedBase(i) + offset}.</li>
 *   <li>Regions that hold no uprobe (the address-space churn: libraries, heaps, anonymous
 *       mappings) sit from {@code 0x7f0000000000} up, one page each with a page of gap between
 *       them, each mapping a file of its own ({@link #regionInode(int)}).</li>
 * </ul>
 */
public final class Layout {
    static final long PROBED_BASE = 0x40_0000L;
    static final long PROBED_WINDOW = 1L << 32;
    static final long REGION_BASE = 0x7f00_0000_0000L;
    /** Inodes of churn regions start here, far above any probed file's. */
    static final long REGION_INODE_BASE = 1L << 40;

    private Layout() {
    }

    /** Start of the mapping of probed file {@code inode} (inodes from 1). */
    public static long probedBase(long inode) {
        if (inode < 1 || inode >= 4096) {
            throw new IllegalArgumentException("probed inodes are 1..4095, got " + inode);
        }
        return PROBED_BASE + (inode - 1) * PROBED_WINDOW;
    }

    /** The address at which the uprobe at {@code (inode, offset)} is hit. */
    public static long vaddr(long inode, long offset) {
        return probedBase(inode) + offset;
    }

    /** Maps probed file {@code inode} so that offsets {@code [0, size)} are reachable. */
    public static void mapProbed(AddressSpace mm, long inode, long size) {
        mapFileAt(mm, inode, inode, size);
    }

    /**
     * Maps file {@code fileInode} from offset 0 where probed file {@code at} is normally mapped
     * (a remap that makes the addresses of {@code at}'s uprobes translate to another file).
     */
    public static void mapFileAt(AddressSpace mm, long at, long fileInode, long size) {
        mm.mmap(probedBase(at), pageAligned(Math.max(1, size)), fileInode, 0);
    }

    /** Start of churn region {@code j}. */
    public static long regionStart(int j) {
        return REGION_BASE + 2L * j * AddressSpace.PAGE_SIZE;
    }

    /** The file churn region {@code j} maps (no uprobe is ever registered on it). */
    public static long regionInode(int j) {
        return REGION_INODE_BASE + j;
    }

    /**
     * Maps churn region {@code j} if {@code mapped} is false, unmaps it otherwise; returns whether
     * it is mapped now (one address-space writer operation).
     */
    public static boolean toggleRegion(AddressSpace mm, int j, boolean mapped) {
        if (mapped) {
            mm.munmap(regionStart(j));
        } else {
            mapRegion(mm, j);
        }
        return !mapped;
    }

    /** Maps churn region {@code j}. */
    public static void mapRegion(AddressSpace mm, int j) {
        mm.mmap(regionStart(j), AddressSpace.PAGE_SIZE, regionInode(j), 0);
    }

    static long pageAligned(long size) {
        return (size + AddressSpace.PAGE_SIZE - 1) & -AddressSpace.PAGE_SIZE;
    }
}
