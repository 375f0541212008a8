package dev.uprobebench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One table of keys: README's copy, the parser, the defaults and {@code keys} all come from it. */
class KeyTableTest {
    static final String BEGIN = "<!-- keys: generated from Profile.KEYS; KeyTableTest checks it -->";
    static final String END = "<!-- /keys -->";

    /** README's key table is the table's own rendering (regenerate it with the command in its failure). */
    @Test
    void readmesKeyTableIsTheTable() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int b = readme.indexOf(BEGIN);
        int e = readme.indexOf(END);
        assertTrue(b >= 0 && e > b, "README has no generated key table between " + BEGIN + " and " + END);
        String copy = readme.substring(b + BEGIN.length(), e).strip();
        assertEquals(Profile.markdownKeyTable().strip(), copy, "README's key table differs from Profile.KEYS: "
                + "replace it with the output of Profile.markdownKeyTable()");
    }

    /** Every key parses its own default, names are unique, and each has help. */
    @Test
    void everyKeyTakesItsDefaultAndHasHelp() {
        Set<String> names = new HashSet<>();
        Profile defaults = Profile.parse("defaults", "", List.of());
        for (Key<?> k : Profile.KEYS) {
            assertTrue(names.add(k.name()), k.name());
            assertTrue(!k.help().isBlank(), k.name());
            k.of(defaults); // the parser accepts the default
            assertEquals(k.defaultValue(), defaults.get(k.name()));
        }
        assertEquals(Profile.KEYS.size(), defaults.toProperties().lines().filter(l -> !l.startsWith("#")).count());
    }

    /** A bad value is refused by the key's own parser, naming what the key accepts from the table. */
    @Test
    void aBadValueIsRefusedWithTheTablesHelp() {
        for (Key<?> k : List.of(Profile.WRITERS, Profile.KERNEL_ATTACH, Profile.ZIPF_EXPONENT, Profile.PINNING)) {
            UsageException e = org.junit.jupiter.api.Assertions.assertThrows(UsageException.class,
                    () -> Profile.parse("t", k.name() + "=bogus\n", List.of()));
            assertTrue(e.getMessage().contains(k.name()) && e.getMessage().endsWith("valid: " + k.help()),
                    e.getMessage());
        }
    }
}
