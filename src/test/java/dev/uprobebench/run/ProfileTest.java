package dev.uprobebench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uprobebench.registry.Backend;
import dev.uprobebench.sync.RcuFlavour;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProfileTest {
    private static Profile parse(String text, String... sets) {
        return Profile.parse("t", text, List.of(sets));
    }

    private static String error(String text, String... sets) {
        return assertThrows(UsageException.class, () -> parse(text, sets)).getMessage();
    }

    @Test
    void defaultsFillEveryKeyNotGiven() {
        Profile p = parse("# question\nbackends=rwlock,srcu\n");
        assertEquals(List.of(Backend.RWLOCK, Backend.SRCU), p.backends());
        assertEquals("physical", p.get("pinning"));
        assertEquals(1000, p.settings().warmupMillis());
        assertEquals("question", p.question());
    }

    @Test
    void theTrapCostAndTheVmaKeysAreTypedAndCheckedAtLoad() {
        ProfileSettings s = parse("trap-cost=int3\nvma=speculative,mmap-lock,speculative\nmm-churn=0,1000\n").settings();
        assertEquals(300, s.trapNanos());
        assertEquals(List.of(dev.uprobebench.mm.VmaLookup.SPECULATIVE, dev.uprobebench.mm.VmaLookup.MMAP_LOCK),
                s.vmaLookups());
        assertEquals(List.of("0", "1000"), s.mmChurn());
        assertEquals(250, parse("trap-cost=250ns\n").settings().trapNanos());
        String e = error("trap-cost=slow\n");
        assertTrue(e.contains("trap-cost") && e.contains("int3") && e.contains("nop5"), e);
        e = error("", "mm-churn=fast");
        assertTrue(e.contains("mm-churn"), e);
        e = error("", "mm-writers=0");
        assertTrue(e.contains("mm-writers"), e);
    }

    @Test
    void theSettingsAreTypedOnceAtLoad() {
        ProfileSettings s = parse("rounds=4\nlatency-rounds=9\nwarmup-time=250ms\nstable=16,1024\n"
                + "rcu-flavour=memb,qsbr\njvm-args=-Xmx1g  -Dx=1\nchurn-read-fraction=0.25\n").settings();
        assertEquals(4, s.rounds());
        assertEquals(4, s.latencyRounds(), "capped at the rounds");
        assertEquals(250, s.warmupMillis());
        assertEquals(List.of(16, 1024), s.stable());
        assertEquals(List.of(RcuFlavour.MEMB, RcuFlavour.QSBR), s.rcuFlavours());
        assertEquals(List.of("-Xmx1g", "-Dx=1"), s.jvmArgs());
        assertEquals(0.25, s.churnReadFraction(), 0);
        assertEquals(0, parse("latency=false\n").settings().latencyRounds());
    }

    @Test
    void theKeyLayoutIsTypedAndInterleavingNeedsAStableKeyAfterEachChurnKey() {
        assertEquals(dev.uprobebench.mm.KeyLayout.SEPARATE, parse("").settings().keyLayout());
        assertEquals(dev.uprobebench.mm.KeyLayout.INTERLEAVED,
                parse("key-layout=interleaved\nstable=64,1024\nchurn-keys=64\n").settings().keyLayout());
        String e = error("key-layout=interleaved\nstable=32,1024\nchurn-keys=64\n");
        assertTrue(e.contains("no more churn keys (64) than stable ones (32)") && e.contains("separate"), e);
        e = error("key-layout=mixed\n");
        assertTrue(e.contains("key-layout") && e.contains("interleaved") && e.contains("valid:"), e);
    }

    @Test
    void aStableSetTooLargeForTheSlabIndexIsRefusedNotWrapped() {
        String m = error("stable=100000000000\n");
        assertTrue(m.contains("stable") && m.contains("> 2147483647") && m.contains("valid:"), m);
    }

    @Test
    void safeExpandsToEverySafeBackEndAndNeverTheNegativeControl() {
        List<Backend> b = parse("backends=safe\n").backends();
        assertEquals(Backend.safeOnes(), b);
        assertFalse(b.contains(Backend.SEQCOUNT_RCU_RFC));
    }

    @Test
    void unknownKeyNamesTheKeyAndTheValidKeys() {
        String m = error("readerz=4\n");
        assertTrue(m.contains("'readerz'") && m.contains("readers"), m);
    }

    @Test
    void unknownBackEndNamesEveryValidOne() {
        String m = error("backends=rwlock,mutex\n");
        assertTrue(m.contains("'mutex'") && m.contains(Backend.names()), m);
    }

    @ParameterizedTest
    @ValueSource(strings = {"churn=fast", "rounds=0", "latency-rounds=0", "seed=abc", "churn-read-fraction=1.5", "warmup-time=5", "latency=yes",
            "pinning=cores", "rcu-flavour=tree", "distribution=normal", "readers=0", "readers=1..x", "stable=-3"})
    void badValuesNameTheKeyAndWhatItAccepts(String line) {
        String key = line.substring(0, line.indexOf('='));
        String m = error(line + "\n");
        assertTrue(m.contains(key) && m.contains("valid:"), m);
    }

    @Test
    void overridesWinOverTheFileAndAreCheckedTheSameWay() {
        Profile p = parse("readers=1\nchurn=0\n", "readers=1,2", "churn=max");
        assertEquals(List.of(1, 2), p.readerSpec().expand(8));
        assertEquals(List.of("max"), p.churnRates());
        assertTrue(error("readers=1\n", "nokey=1").contains("'nokey'"));
        assertTrue(error("readers=1\n", "justtext").contains("key=value"));
    }

    @Test
    void readerRangesArePowersOfTwoUpToTheCoresLeftPlusTheMaximum() {
        assertEquals(List.of(1, 2, 4, 8, 16, 32, 63), parse("readers=1..max\n").readerSpec().expand(63));
        assertEquals(List.of(1, 2, 4, 8), parse("readers=1..max\n").readerSpec().expand(8));
        assertEquals(List.of(1), parse("readers=1..max\n").readerSpec().expand(1));
        assertEquals(List.of(1, 2), parse("readers=1..2\n").readerSpec().expand(79));
        assertEquals(List.of(1), parse("readers=1..2\n").readerSpec().expand(1));
        assertEquals(List.of(1, 79), parse("readers=1,max\n").readerSpec().expand(79));
        assertEquals(List.of(1), parse("readers=1,max\n").readerSpec().expand(1));
    }

    @Test
    void everyShippedProfileParsesAndStatesItsQuestion() throws Exception {
        Path home = Path.of(".").toAbsolutePath();
        List<String> names = Profile.available(home);
        assertTrue(names.containsAll(List.of("quick", "ci", "scaling", "churn-sweep", "tail-latency", "flamegraph",
                "full")), names.toString());
        for (String n : names) {
            Profile p = Profile.load(n, home, List.of());
            assertTrue(p.question().endsWith("?") || p.question().contains("? "), n + ": " + p.question());
            assertFalse(p.backends().contains(Backend.SEQCOUNT_RCU_RFC), n + " runs the negative control");
        }
        String raw = Files.readString(home.resolve("profiles/quick.properties"));
        assertTrue(raw.startsWith("#"), "quick starts with its question");
    }

    @Test
    void theOldForksKeyPointsToRounds() {
        String m = error("forks=3\n");
        assertTrue(m.contains("'forks'") && m.contains("replaced by 'rounds'") && m.contains("rounds=3"), m);
    }

    @Test
    void aRandomSeedIsDrawnOnceAndRecordedSoTheOrderCanBeRepeated() {
        Profile p = parse("seed=random\n");
        long seed = p.seed();
        assertEquals(seed, p.seed());
        assertTrue(p.toProperties().contains("\nseed=" + seed + "\n"), p.toProperties());
        assertEquals(7, parse("seed=7\n").seed());
    }

    @Test
    void unknownProfileListsTheShippedOnes() {
        String m = assertThrows(UsageException.class,
                () -> Profile.load("nosuch", Path.of(".").toAbsolutePath(), List.of())).getMessage();
        assertTrue(m.contains("quick") && m.contains("scaling"), m);
    }

    @ParameterizedTest
    @ValueSource(strings = {"measurement-time=99999999999s", "warmup-time=999999999999999999m", "warmup-time=61m",
        "zipf-exponent=1e400", "zipf-exponent=NaN", "churn=99999999999999", "rounds=99999999999",
        "stable=100000000000", "handler-work=99999999999999999999"})
    void outOfRangeNumbersAreRefusedNamingTheKey(String kv) {
        String key = kv.substring(0, kv.indexOf('='));
        String msg = error("", kv);
        assertTrue(msg.startsWith("bad value '" + kv.substring(key.length() + 1) + "' for " + key), msg);
        assertTrue(msg.contains("valid:"), msg);
    }

    @Test
    void theLimitsThemselvesAreAccepted() {
        ProfileSettings s = parse("measurement-time=60m\nchurn=1000000000,max\nzipf-exponent=100\n").settings();
        assertEquals(3_600_000, s.measurementMillis());
        assertEquals(List.of("1000000000", "max"), s.churn());
    }
}
