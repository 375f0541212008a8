package dev.uprobebench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The forks' class-data archive: made once by the first fork, then shared, made again when the jar is newer. */
class ClassArchiveTest {
    @TempDir
    Path home;

    @Test
    void theFirstForkMakesItTheOthersWaitThenAllShareIt() throws Exception {
        assertNull(ClassArchive.forHome(home), "no jar: no archive");
        Path jar = home.resolve("target").resolve("benchmarks.jar");
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "jar");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(1_000_000));
        assertTrue(ClassArchive.forHome(home, jar.toString()) != null, "forks on the jar: an archive");
        Path classes = Files.createDirectories(home.resolve("target").resolve("classes"));
        Files.writeString(classes.resolve("A.class"), "class");
        assertNull(ClassArchive.forHome(home, jar + java.io.File.pathSeparator + classes),
                "a directory on the forks' class path (the test runner's): CDS would refuse it, no archive");
        ClassArchive a = new ClassArchive(jar, "25.0.3+9-LTS");
        assertEquals("benchmarks-jdk25.0.3+9-LTS.jsa", a.file().getFileName().toString());
        assertEquals(List.of("-XX:ArchiveClassesAtExit=" + a.file()), a.argsForNextFork(), "the first fork makes it");
        assertEquals(List.of(), a.argsForNextFork(), "while it is being made, no other fork asks for it");
        Files.writeString(a.file(), "archive");
        Files.setLastModifiedTime(a.file(), FileTime.fromMillis(2_000_000));
        assertTrue(a.current());
        assertEquals(List.of("-XX:SharedArchiveFile=" + a.file()), a.argsForNextFork());
        Files.setLastModifiedTime(jar, FileTime.fromMillis(3_000_000)); // a new build
        ClassArchive next = new ClassArchive(jar, "25.0.3+9-LTS");
        assertEquals(List.of("-XX:ArchiveClassesAtExit=" + a.file()), next.argsForNextFork(), "stale: made again");
    }

    @Test
    void theArchiveArgumentsGoToTheForkAfterTheProfilesOwn() {
        Profile p = Profile.parse("t", "backends=srcu\nreaders=1\nchurn=0\nrounds=3\nseed=1\n", List.of());
        RunPlan plan = RunPlan.of(p, dev.uprobebench.pin.CpuTopology.read());
        BenchConfig c = plan.configs().get(0);
        List<String> args = plan.options(c, "throughput", Path.of("raw"), List.of("-XX:SharedArchiveFile=x.jsa")).build()
                .getJvmArgsAppend().get().stream().toList();
        assertEquals("-XX:SharedArchiveFile=x.jsa", args.get(args.size() - 1));
        assertTrue(args.containsAll(plan.jvmArgs(c, Path.of("raw"))));
    }
}
