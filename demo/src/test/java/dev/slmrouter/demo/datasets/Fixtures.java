package dev.slmrouter.demo.datasets;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The small data-set files written for these tests, laid out like the shared data folder. */
public final class Fixtures {

    private Fixtures() {
    }

    /** {@code src/test/resources/datasets}: banking77/test.csv, clinc150/data_full.json, xsid/xsid-fixture.jsonl. */
    public static Path dataSetDir() {
        try {
            return Path.of(Fixtures.class.getResource("/datasets").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
