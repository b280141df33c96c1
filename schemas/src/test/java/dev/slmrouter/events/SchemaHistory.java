package dev.slmrouter.events;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.Schema;

/**
 * Reads the event schemas as they are in the working tree and as they were in the previous committed
 * version (through git), parsed in the order the build parses them (the {@code <import>} list of
 * schemas/pom.xml, then the other files), so the build can check that every change is BACKWARD
 * compatible.
 */
final class SchemaHistory {

    static final String AVRO_DIR = "schemas/src/main/avro";
    private static final Pattern IMPORT = Pattern.compile("<import>\\$\\{project.basedir}/src/main/avro/(.+?)</import>");

    private final Path repoRoot;

    SchemaHistory(final Path repoRoot) {
        this.repoRoot = repoRoot;
    }

    /** The repository root above the working directory, if this is a git checkout. */
    static Optional<Path> findRepoRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(".git")) && Files.isDirectory(dir.resolve(AVRO_DIR))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    /** Named schemas of the working tree, by full name. */
    Map<String, Schema> current() throws IOException {
        final Map<String, String> files = new LinkedHashMap<>();
        try (Stream<Path> paths = Files.walk(repoRoot.resolve(AVRO_DIR))) {
            for (Path path : paths.filter(p -> p.toString().endsWith(".avsc")).sorted(Comparator.naturalOrder()).toList()) {
                files.put(repoRoot.resolve(AVRO_DIR).relativize(path).toString(), Files.readString(path));
            }
        }
        return parse(files, Files.readString(repoRoot.resolve("schemas/pom.xml")));
    }

    /**
     * The commit holding the previous version: HEAD when the working tree changed the schemas, else
     * the parent of the last commit that changed them. Empty when there is no earlier version.
     */
    Optional<String> baselineCommit() throws IOException {
        if (!git("status", "--porcelain", "--", AVRO_DIR).isBlank()) {
            return Optional.of("HEAD");
        }
        final String lastChange = git("log", "-n", "1", "--format=%H", "--", AVRO_DIR).trim();
        if (lastChange.isEmpty()) {
            return Optional.empty();
        }
        final String parent = git("rev-list", "--max-count=1", "--skip=1", lastChange).trim();
        if (parent.isEmpty() || git("ls-tree", "-r", "--name-only", parent, "--", AVRO_DIR).isBlank()) {
            return Optional.empty();
        }
        return Optional.of(parent);
    }

    /** Named schemas as they were at {@code commit}, by full name. */
    Map<String, Schema> at(final String commit) throws IOException {
        final Map<String, String> files = new LinkedHashMap<>();
        for (String file : git("ls-tree", "-r", "--name-only", commit, "--", AVRO_DIR).lines()
                .filter(f -> f.endsWith(".avsc")).sorted().toList()) {
            files.put(file.substring(AVRO_DIR.length() + 1), git("show", commit + ":" + file));
        }
        return parse(files, git("show", commit + ":schemas/pom.xml"));
    }

    /** Parses files in the build's import order; a parser keeps earlier definitions for later files. */
    private static Map<String, Schema> parse(final Map<String, String> files, final String pom) {
        final List<String> order = new ArrayList<>();
        final Matcher imports = IMPORT.matcher(pom);
        while (imports.find()) {
            order.add(imports.group(1));
        }
        files.keySet().stream().filter(f -> !order.contains(f)).forEach(order::add);
        final Schema.Parser parser = new Schema.Parser();
        for (String file : order) {
            if (files.containsKey(file)) {
                parser.parse(files.get(file));
            }
        }
        return parser.getTypes();
    }

    private String git(final String... args) throws IOException {
        final List<String> command = new ArrayList<>(List.of("git", "-C", repoRoot.toString()));
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("git " + String.join(" ", args) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return output;
    }
}
