package dev.uprobebench.workload;

import dev.uprobebench.mm.AddressSpace;
import dev.uprobebench.mm.Layout;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * One address-space writer: toggles the regions that hold no uprobe (every {@code writers}-th,
 * from its index: mapped at setup, then unmapped and mapped again), and, when asked
 * ({@code remapEvery} > 0, the churn keys in a file of their own, writer 0 only), maps a decoy file
 * over the churn file's range and the file again every {@code remapEvery} operations, so that
 * readers' translations of churn keys go stale under them. {@code mmap} and {@code munmap}
 * latency is recorded from the intended start when paced, as the churn writers' is.
 */
public final class MmChurner {
    /** The file the churn file's range maps while it is remapped away (no uprobe on it). */
    public static final long DECOY_INODE = 3;
    public static final String[] TAGS = {"mmap", "munmap"};

    private final AddressSpace mm;
    private final boolean[] mapped;
    private final int first;
    private final int stride;
    private final SplittableRandom rnd;
    private final Timing.Paced paced;
    private final int remapEvery;
    private final long churnInode;
    private final long churnSize;
    private long ops;
    /** mmap, munmap. */
    private final SingleWriterRecorder[] recorders;

    public MmChurner(Scene scene, int index, int writers, long seed, long intervalNanos, int remapEvery, int digits) {
        this.mm = scene.mm;
        this.mapped = new boolean[scene.mmRegions];
        Arrays.fill(mapped, true); // every region is mapped at setup
        this.first = index;
        this.stride = Math.max(1, writers);
        this.rnd = new SplittableRandom(seed);
        this.paced = new Timing.Paced(intervalNanos, TAGS.length, digits);
        this.recorders = paced.recorders;
        this.remapEvery = index == 0 && scene.layout.churnHasOwnFile() ? remapEvery : 0;
        this.churnInode = scene.layout.churnInode();
        this.churnSize = scene.layout.churnOffset(scene.churnKeys);
    }

    public SingleWriterRecorder[] recorders() {
        return recorders;
    }

    public void restart() {
        paced.restart();
    }

    /** One operation, after waiting for its slot when paced; timed when asked. */
    public void churn(boolean timed) {
        Pacer pacer = paced.pacer;
        pacer.await();
        if (remapEvery > 0 && ops % remapEvery == remapEvery - 1) {
            long base = Layout.probedBase(churnInode);
            mm.munmap(base);
            Layout.mapFileAt(mm, churnInode, DECOY_INODE, churnSize);
            mm.munmap(base);
            Layout.mapProbed(mm, churnInode, churnSize);
            ops += 4;
            return;
        }
        int slots = (mapped.length - first + stride - 1) / stride;
        if (slots <= 0) {
            return; // more address-space writers than regions: this one has none
        }
        int j = first + stride * rnd.nextInt(slots);
        long t0 = timed ? System.nanoTime() : 0;
        mapped[j] = Layout.toggleRegion(mm, j, mapped[j]);
        ops++;
        if (timed) {
            long v = Timing.clamp(System.nanoTime() - t0);
            SingleWriterRecorder r = mapped[j] ? recorders[0] : recorders[1];
            if (pacer.interval() != 0) {
                r.recordValueWithExpectedInterval(v, pacer.interval());
            } else {
                r.recordValue(v);
            }
        }
    }

    /** mmap and munmap operations so far. */
    public long ops() {
        return ops;
    }
}
