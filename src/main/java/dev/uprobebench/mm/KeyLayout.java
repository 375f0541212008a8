package dev.uprobebench.mm;

import dev.uprobebench.registry.InvariantCounters;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Where a workload's two key sets sit in the key space, shared by the benchmark and the torture
 * driver: the stable set (registered before the run, never removed, so a miss on one of its keys
 * is a false negative) and the churn keys (registered and unregistered by the writers).
 *
 * <ul>
 *   <li>{@link #SEPARATE}: stable key {@code k} at {@code (1, k)}, churn key {@code k} at
 *       {@code (2, k)}. Every churn key sorts after every stable key, so the writers' rotations
 *       happen at the tree's right edge and seldom move a node a reader of the stable set is
 *       walking past: the seqcount retry is rarely needed, and a broken one rarely seen.</li>
 *   <li>{@link #INTERLEAVED}: one file; stable key {@code k} at {@code (1, 2k)}, churn key
 *       {@code k} at {@code (1, 2k + 1)}, between two stable keys. Insertions and erasures
 *       rotate the subtrees the stable lookups walk through, which is the situation the
 *       lockless lookup's retry exists for. Needs no more churn keys than stable ones.</li>
 * </ul>
 */
public enum KeyLayout {
    SEPARATE("separate"),
    INTERLEAVED("interleaved");

    /** The inode of the stable set (and of the churn keys when interleaved). */
    public static final long STABLE_INODE = 1;
    /** The inode of the churn keys when they have a file of their own. */
    public static final long CHURN_INODE = 2;

    private final String label;

    KeyLayout(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static String names() {
        return Arrays.stream(values()).map(KeyLayout::label).collect(Collectors.joining(", "));
    }

    public static KeyLayout byName(String name) {
        for (KeyLayout l : values()) {
            if (l.label.equals(name)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown key layout '" + name + "'; valid: " + names());
    }

    /** Refuses a shape this layout cannot hold (interleaving needs a stable key after each churn key). */
    public void check(int stableKeys, int churnKeys) {
        if (this == INTERLEAVED && churnKeys > stableKeys) {
            throw new IllegalArgumentException("key layout interleaved needs no more churn keys (" + churnKeys
                    + ") than stable ones (" + stableKeys + "); use key layout separate or fewer churn keys");
        }
    }

    public long stableInode() {
        return STABLE_INODE;
    }

    /** The offset of stable key {@code k}. */
    public long stableOffset(int k) {
        return this == INTERLEAVED ? 2L * k : k;
    }

    public long churnInode() {
        return this == INTERLEAVED ? STABLE_INODE : CHURN_INODE;
    }

    /** The offset of churn key {@code k}. */
    public long churnOffset(int k) {
        return this == INTERLEAVED ? 2L * k + 1 : k;
    }

    /** Whether the churn keys have a file (and so a mapping) of their own. */
    public boolean churnHasOwnFile() {
        return this == SEPARATE;
    }

    /** Declares the stable set to the checker: a miss on one of its keys is a false negative. */
    public void declareStable(InvariantCounters invariants, int stableKeys) {
        invariants.declareStable(stableInode(), 0, stableOffset(stableKeys), stableOffset(1));
    }

    /** Maps the probed files so that every key of both sets has an address. */
    public void mapProbed(AddressSpace mm, int stableKeys, int churnKeys) {
        if (churnHasOwnFile()) {
            Layout.mapProbed(mm, stableInode(), stableOffset(stableKeys));
            Layout.mapProbed(mm, churnInode(), churnOffset(churnKeys));
        } else {
            Layout.mapProbed(mm, stableInode(), Math.max(stableOffset(stableKeys), churnOffset(churnKeys)));
        }
    }
}
