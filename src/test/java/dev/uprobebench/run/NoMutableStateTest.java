package dev.uprobebench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The top floor holds no public mutable field: results are records, built once (issue 22). */
class NoMutableStateTest {
    @Test
    void reportAndRunHaveNoPublicMutableField() throws Exception {
        List<String> found = new ArrayList<>();
        int classes = 0;
        for (String pkg : List.of("report", "run")) {
            for (Class<?> c : classesOf("dev.uprobebench." + pkg)) {
                classes++;
                for (Field f : c.getDeclaredFields()) {
                    int m = f.getModifiers();
                    if (Modifier.isPublic(m) && !Modifier.isFinal(m)) {
                        found.add(c.getName() + "." + f.getName());
                    }
                }
            }
        }
        assertTrue(classes > 20, "the packages' classes were not found: " + classes);
        assertEquals(List.of(), found);
    }

    private static List<Class<?>> classesOf(String pkg) throws IOException, ClassNotFoundException {
        Path root = Path.of(NoMutableStateTest.class.getProtectionDomain().getCodeSource().getLocation().getPath())
                .resolveSibling("classes").resolve(pkg.replace('.', '/'));
        List<Class<?>> l = new ArrayList<>();
        try (Stream<Path> s = Files.list(root)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = p.getFileName().toString();
                l.add(Class.forName(pkg + "." + name.substring(0, name.length() - ".class".length()), false,
                        NoMutableStateTest.class.getClassLoader()));
            }
        }
        return l;
    }
}
