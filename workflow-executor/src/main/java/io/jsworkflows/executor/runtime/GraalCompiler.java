package io.jsworkflows.executor.runtime;

import java.io.File;
import java.io.IOException;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The Graal compiler for the workers' GraalJS on a stock JDK: its jars (the compiler and the modules it requires) on the
 * worker JVM's {@code --upgrade-module-path}, and JVMCI enabled for Truffle only ({@code -XX:-UseJVMCICompiler}: Java
 * code stays with C2). Without it Truffle only interprets the JavaScript. Why a class of its own: where the jars are
 * and whether this JDK can use them is decided once, at start, and logged.
 */
public final class GraalCompiler {

    /** The folder next to quarkus-run.jar the build copies the jars to; in a module build, target/graal-compiler. */
    public static final String FOLDER = "graal-compiler";
    /** The compiler's module and the modules it requires, by jar name prefix; each must be in the folder. */
    static final List<String> JARS = List.of("compiler-", "truffle-compiler-", "collections-", "word-");

    private GraalCompiler() {
    }

    /** The worker JVM options that enable the compiler in {@code dir}, or why it cannot be used. */
    public static Optional<List<String>> jvmOptions(Path dir) {
        return problem(dir).isPresent() ? Optional.empty() : Optional.of(List.of("-XX:+UnlockExperimentalVMOptions", "-XX:+EnableJVMCI",
                "-XX:-UseJVMCICompiler", "--upgrade-module-path=" + modulePath(dir)));
    }

    /** Empty when the compiler in {@code dir} can run on this JDK; otherwise the reason, for the log. */
    public static Optional<String> problem(Path dir) {
        if (ModuleFinder.ofSystem().find("jdk.internal.vm.ci").isEmpty()) {
            // a JVM without JVMCI would not even start with the options above
            return Optional.of("this Java runtime has no JVMCI module (jdk.internal.vm.ci)");
        }
        if (!Files.isDirectory(dir)) {
            return Optional.of(dir + " does not exist");
        }
        List<String> names = jars(dir).map(j -> j.getFileName().toString()).toList();
        for (String prefix : JARS) {
            if (names.stream().noneMatch(n -> n.startsWith(prefix))) {
                return Optional.of(dir + " has no " + prefix + "*.jar");
            }
        }
        return Optional.empty();
    }

    /** The default folder: next to the packaged executor's quarkus-run.jar, else target/graal-compiler (dev and tests). */
    public static Path defaultFolder() {
        String cp = System.getProperty("java.class.path", "");
        if (cp.endsWith("quarkus-run.jar")) {
            return Path.of(cp).toAbsolutePath().getParent().resolve(FOLDER);
        }
        return Path.of("target", FOLDER).toAbsolutePath();
    }

    private static String modulePath(Path dir) {
        return String.join(File.pathSeparator, jars(dir).map(j -> j.toAbsolutePath().toString()).sorted().toList());
    }

    private static Stream<Path> jars(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jar")).toList().stream();
        } catch (IOException e) {
            return Stream.empty();
        }
    }
}
