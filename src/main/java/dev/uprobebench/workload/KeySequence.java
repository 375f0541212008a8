package dev.uprobebench.workload;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.PermutationSampler;
import org.apache.commons.rng.sampling.distribution.DiscreteSampler;
import org.apache.commons.rng.sampling.distribution.RejectionInversionZipfSampler;
import org.apache.commons.rng.simple.RandomSource;

/**
 * The keys one reader hits, drawn before the run so that the hit path spends nothing on random
 * numbers: a cyclic array of ints, {@code k >= 0} for stable key {@code k}, {@code -1 - c} for
 * churn key {@code c}.
 *
 * <p>Stable keys are uniform or Zipf-distributed (Apache Commons RNG's
 * {@link RejectionInversionZipfSampler}); Zipf ranks go through one fixed random permutation
 * shared by every reader, so that the hot keys are the same for all readers and scattered over the
 * tree rather than being its leftmost nodes.
 */
public final class KeySequence {
    /** Key choice over the stable set. */
    public enum Distribution {
        UNIFORM, ZIPF;

        public static Distribution byName(String name) {
            switch (name) {
                case "uniform":
                    return UNIFORM;
                case "zipf":
                    return ZIPF;
                default:
                    throw new IllegalArgumentException("unknown distribution '" + name + "'; valid: uniform, zipf");
            }
        }
    }

    private static final long PERMUTATION_SEED = 0x5eed_0f_2e_9b1dL;

    private final int[] keys;
    private final int mask;
    private int next;

    private KeySequence(int[] keys, int start) {
        this.keys = keys;
        this.mask = keys.length - 1;
        this.next = start & mask;
    }

    /**
     * Draws a sequence.
     *
     * @param length a power of two
     * @param churnFraction share of hits on churn keys, uniform over {@code churnKeys}
     */
    public static KeySequence draw(int length, int stable, int churnKeys, double churnFraction, Distribution dist,
            double zipfExponent, long seed) {
        if (Integer.bitCount(length) != 1) {
            throw new IllegalArgumentException("sequence length must be a power of two, got " + length);
        }
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
        int[] rankToKey = dist == Distribution.ZIPF
                ? new PermutationSampler(RandomSource.XO_RO_SHI_RO_128_PP.create(PERMUTATION_SEED), stable, stable)
                        .sample()
                : null;
        DiscreteSampler zipf = dist == Distribution.ZIPF
                ? RejectionInversionZipfSampler.of(rng, stable, zipfExponent)
                : null;
        int[] keys = new int[length];
        for (int i = 0; i < length; i++) {
            if (churnKeys > 0 && rng.nextDouble() < churnFraction) {
                keys[i] = -1 - rng.nextInt(churnKeys);
            } else if (zipf != null) {
                keys[i] = rankToKey[zipf.sample() - 1];
            } else {
                keys[i] = rng.nextInt(stable);
            }
        }
        return new KeySequence(keys, (int) seed);
    }

    /** Length for a stable set: enough draws to touch it several times, within 1 << 22. */
    public static int lengthFor(int stable) {
        int n = Integer.highestOneBit(Math.max(1 << 16, stable) * 4 - 1) << 1;
        return Math.min(n, 1 << 22);
    }

    /** The next key code; allocation-free. */
    public int next() {
        int i = next;
        next = (i + 1) & mask;
        return keys[i];
    }

    public int length() {
        return keys.length;
    }

    /** The raw draws (tests). */
    int[] keys() {
        return keys;
    }
}
