package dev.uprobebench.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A class-data archive (AppCDS, dynamic: {@code -XX:ArchiveClassesAtExit}) of the classes a fork
 * loads, made once per build of {@code target/benchmarks.jar} and JVM version and shared by every
 * later fork ({@code -XX:SharedArchiveFile}): it saves each fork about 0.17 s of class loading and
 * linking on this project's 2-core VM (1.08-1.10 s against 1.21-1.27 s for a one-iteration fork).
 *
 * <h2>Assumptions and guarantees</h2>
 * <ul>
 *   <li>Classes only: a dynamic archive stores no method profiles and no compiled code, so no JIT
 *       decision carries from one fork to the next and the forks stay independent.</li>
 *   <li>The first fork that finds no current archive makes it as it exits (after its measurement,
 *       so its score is not touched); until the file exists no other fork asks for it, and if it
 *       cannot be written the forks simply run without one. A JVM that cannot map the archive
 *       (another version, another class path) ignores it: {@code -Xshare:auto}, the default.</li>
 *   <li>The archive is stale once the jar is newer; its name carries the JVM's version.</li>
 * </ul>
 */
final class ClassArchive {
    private final Path jar;
    private final Path file;
    private boolean requested;

    ClassArchive(Path jar, String jvmVersion) {
        this.jar = jar;
        this.file = jar.resolveSibling("benchmarks-jdk" + jvmVersion.replaceAll("[^A-Za-z0-9.+-]", "_") + ".jsa");
    }

    /** For the harness's own jar under {@code home}, or null when there is none (tests, a bare class path). */
    static ClassArchive forHome(Path home) {
        return forHome(home, System.getProperty("java.class.path", ""));
    }

    /**
     * As {@link #forHome(Path)}, for forks that inherit {@code classPath}: null also when it holds a
     * directory (a build's {@code target/classes}, as under the test runner), since CDS archives
     * classes from jar files only and a JVM asked to archive with a non-empty directory on its class
     * path exits at once.
     */
    static ClassArchive forHome(Path home, String classPath) {
        Path jar = home.resolve("target").resolve("benchmarks.jar");
        if (!Files.isRegularFile(jar)) {
            return null;
        }
        for (String entry : classPath.split(java.io.File.pathSeparator)) {
            if (!entry.isEmpty() && Files.isDirectory(Path.of(entry))) {
                return null;
            }
        }
        return new ClassArchive(jar, Runtime.version().toString());
    }

    Path file() {
        return file;
    }

    /** True when the archive exists and is newer than the jar. */
    boolean current() {
        try {
            return Files.isRegularFile(file)
                    && Files.getLastModifiedTime(file).compareTo(Files.getLastModifiedTime(jar)) >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** The next fork's arguments: use the archive, make it (once), or nothing while it is being made. */
    synchronized List<String> argsForNextFork() {
        if (current()) {
            return List.of("-XX:SharedArchiveFile=" + file);
        }
        if (!requested) {
            requested = true;
            return List.of("-XX:ArchiveClassesAtExit=" + file);
        }
        return List.of();
    }
}
