package dev.slmrouter.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Fails the build when an event schema changes in a way that is not BACKWARD compatible with its
 * previous committed version: consumers on the new schema must still read every record already on
 * the topics. Compared through git history, so it needs a git checkout (it says so when skipped).
 */
class SchemaCompatibilityTest {

    @Test
    void everySchemaChangeShouldBeBackwardCompatibleWithThePreviousCommittedVersion() throws Exception {
        final Optional<Path> root = SchemaHistory.findRepoRoot();
        Assumptions.assumeTrue(root.isPresent(),
                "SKIPPED: not a git checkout, so there is no previous schema version to compare with");
        final SchemaHistory history = new SchemaHistory(root.get());
        final Optional<String> baseline = history.baselineCommit();
        Assumptions.assumeTrue(baseline.isPresent(), "SKIPPED: the schemas have no earlier committed version");

        final List<String> problems = incompatibilities(history.at(baseline.get()), history.current());
        assertThat(problems).as("BACKWARD-incompatible changes since " + baseline.get()).isEmpty();
    }

    @Test
    void shouldReportAFieldAddedWithoutADefault() {
        final Schema old = new Schema.Parser().parse("""
                {"type":"record","name":"E","namespace":"x","fields":[{"name":"a","type":"string"}]}""");
        final Schema added = new Schema.Parser().parse("""
                {"type":"record","name":"E","namespace":"x","fields":[{"name":"a","type":"string"},
                 {"name":"b","type":"int"}]}""");
        final Schema withDefault = new Schema.Parser().parse("""
                {"type":"record","name":"E","namespace":"x","fields":[{"name":"a","type":"string"},
                 {"name":"b","type":"int","default":0}]}""");

        assertThat(incompatibilities(Map.of("x.E", old), Map.of("x.E", added))).hasSize(1)
                .first().asString().contains("x.E");
        assertThat(incompatibilities(Map.of("x.E", old), Map.of("x.E", withDefault))).isEmpty();
        assertThat(incompatibilities(Map.of("x.E", old), Map.of())).containsExactly("x.E was removed");
    }

    /** For every named schema of the old version: can the new one read what the old one wrote? */
    static List<String> incompatibilities(final Map<String, Schema> previous, final Map<String, Schema> current) {
        final List<String> problems = new ArrayList<>();
        previous.forEach((name, old) -> {
            final Schema now = current.get(name);
            if (now == null) {
                problems.add(name + " was removed");
                return;
            }
            final SchemaCompatibility.SchemaPairCompatibility result =
                    SchemaCompatibility.checkReaderWriterCompatibility(now, old);
            if (result.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                problems.add(name + ": " + result.getResult().getIncompatibilities());
            }
        });
        return problems;
    }
}
