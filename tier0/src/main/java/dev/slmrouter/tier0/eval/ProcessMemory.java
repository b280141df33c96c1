package dev.slmrouter.tier0.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** The process's resident memory as Linux reports it ({@code /proc/self/status}); empty elsewhere. */
public final class ProcessMemory {

    private ProcessMemory() {
    }

    /** Resident set size now, in bytes. */
    public static OptionalLong rss() {
        return field("VmRSS:");
    }

    /** The highest resident set size so far, in bytes. */
    public static OptionalLong peakRss() {
        return field("VmHWM:");
    }

    private static OptionalLong field(final String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name)) {
                    final String[] parts = line.substring(name.length()).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }
}
