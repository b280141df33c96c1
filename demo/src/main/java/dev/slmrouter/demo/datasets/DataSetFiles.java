package dev.slmrouter.demo.datasets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Which data-set files the demo reads, each optional: BANKING77's CSV, CLINC150's JSON and xSID's
 * JSON Lines. {@link #inDirectory} finds them in a folder laid out like the shared data folder
 * ({@code banking77/test.csv}, {@code clinc150/data_full.json}, {@code xsid/*.jsonl});
 * {@link #overriddenBy} lets a single-file option replace one of them.
 */
public record DataSetFiles(Optional<Path> banking77, Optional<Path> clinc150, Optional<Path> xsid) {

    public static DataSetFiles none() {
        return new DataSetFiles(Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The files found under {@code dir}; a missing one stays empty, a missing folder is an error. */
    public static DataSetFiles inDirectory(final Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("The data-set folder " + dir + " does not exist");
        }
        return new DataSetFiles(
                firstFile(dir.resolve("banking77/test.csv"), dir.resolve("banking77/train.csv")),
                firstFile(dir.resolve("clinc150/data_full.json")),
                newestJsonl(dir.resolve("xsid")));
    }

    /** These files with each present file of {@code other} taking the place of ours. */
    public DataSetFiles overriddenBy(final DataSetFiles other) {
        return new DataSetFiles(other.banking77.or(() -> banking77), other.clinc150.or(() -> clinc150),
                other.xsid.or(() -> xsid));
    }

    public boolean isEmpty() {
        return banking77.isEmpty() && clinc150.isEmpty() && xsid.isEmpty();
    }

    /** Reads every named file; a file that is missing or malformed stops here with its name. */
    public DataSets load() {
        banking77.ifPresent(DataSetFiles::requireFile);
        clinc150.ifPresent(DataSetFiles::requireFile);
        xsid.ifPresent(DataSetFiles::requireFile);
        return new DataSets(banking77.map(Banking77::read), clinc150.map(Clinc150::readOutOfScope),
                xsid.map(Xsid::readNonEnglish));
    }

    /** One line per data set, for the demo's log. */
    public List<String> describe() {
        final List<String> lines = new ArrayList<>();
        lines.add("BANKING77 (classification): " + banking77.map(Path::toString).orElse("not given, built-in tickets"));
        lines.add("CLINC150 (out of scope):    " + clinc150.map(Path::toString).orElse("not given, none"));
        lines.add("xSID (non-English):         " + xsid.map(Path::toString).orElse("not given, built-in tickets"));
        return lines;
    }

    private static void requireFile(final Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("The data-set file " + file + " does not exist");
        }
    }

    private static Optional<Path> firstFile(final Path... candidates) {
        return Stream.of(candidates).filter(Files::isRegularFile).findFirst();
    }

    private static Optional<Path> newestJsonl(final Path dir) {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            // Names carry the version (xsid-0.7-test.jsonl): the last in name order is the newest.
            return files.filter(f -> f.getFileName().toString().endsWith(".jsonl") && Files.isRegularFile(f))
                    .max(Path::compareTo);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir, e);
        }
    }
}
