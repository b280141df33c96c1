package dev.slmrouter.demo.tier0;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slmrouter.demo.datasets.DataSetFiles;
import dev.slmrouter.demo.datasets.Fixtures;
import dev.slmrouter.demo.traffic.ClassificationTraffic;
import dev.slmrouter.router.policy.PolicyLoader;
import dev.slmrouter.router.policy.RoutingPolicy;
import dev.slmrouter.tier0.data.LabeledData;
import dev.slmrouter.tier0.data.LabeledExample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What tier 0 trains on in the demo, and when it stays off. */
class Tier0DemoTest {

    @TempDir
    Path dir;

    @Test
    void shouldTrainTheBuiltInTrafficOnTheProjectsOwnTicketsNoneOfThemInTheTraffic() {
        final ClassificationTraffic traffic = ClassificationTraffic.builtIn();
        final Tier0Demo.On plan = (Tier0Demo.On) Tier0Demo.plan(traffic, DataSetFiles.none(), dir);

        assertThat(plan.examples()).hasSize(96);
        assertThat(plan.name()).isEqualTo("built-in");
        assertThat(new HashSet<>(LabeledData.labels(plan.examples()))).isEqualTo(new HashSet<>(traffic.english().labels()));
        assertThat(plan.examples().stream().collect(Collectors.groupingBy(LabeledExample::label, Collectors.counting())))
                .hasSize(8).allSatisfy((label, n) -> assertThat(n).isEqualTo(12L));
        final List<String> trafficTexts = traffic.english().texts().stream().map(t -> t.text()).toList();
        assertThat(plan.examples()).noneMatch(e -> trafficTexts.contains(e.text()));
    }

    @Test
    void shouldStayOffWhenRequestsOfferTheirOwnLabelSubsets() {
        final ClassificationTraffic traffic = new ClassificationTraffic(ClassificationTraffic.builtIn().english(),
                Optional.empty(), ClassificationTraffic.builtIn().nonEnglish(), 3);

        assertThat(Tier0Demo.plan(traffic, DataSetFiles.none(), dir)).isInstanceOfSatisfying(Tier0Demo.Off.class,
                off -> assertThat(off.reason()).contains("--labels-per-request"));
    }

    @Test
    void shouldStayOffWithoutABanking77TrainSplitBesideTheTestSplit() {
        final DataSetFiles files = DataSetFiles.inDirectory(Fixtures.dataSetDir());
        final ClassificationTraffic traffic = ClassificationTraffic.from(files.load(), 0);

        assertThat(Tier0Demo.plan(traffic, files, dir)).isInstanceOfSatisfying(Tier0Demo.Off.class,
                off -> assertThat(off.reason()).contains("train.csv", "is not next to"));
    }

    @Test
    void shouldTrainOnBanking77sTrainSplitAndClinc150sOutOfScopeTrainSplit() throws IOException {
        final Path data = dir.resolve("data");
        Files.createDirectories(data.resolve("banking77"));
        Files.createDirectories(data.resolve("clinc150"));
        final Path test = Files.copy(Fixtures.dataSetDir().resolve("banking77/test.csv"), data.resolve("banking77/test.csv"));
        final List<String> labels = LabeledData.labels(LabeledData.read(test, List.of()));
        Files.writeString(data.resolve("banking77/train.csv"), "text,category\n"
                + labels.stream().map(l -> "a training text for " + l + "," + l).collect(Collectors.joining("\n")) + "\n");
        Files.writeString(data.resolve("clinc150/data_full.json"), """
                {"train": [["set an alarm", "alarm"]], "oos_train": [["how tall is a giraffe", "oos"],
                 ["sing me a song", "oos"]], "oos_test": [["what is the capital of peru", "oos"]]}""");
        final DataSetFiles files = DataSetFiles.inDirectory(data);
        final ClassificationTraffic traffic = ClassificationTraffic.from(files.load(), 0);

        final Tier0Demo.On plan = (Tier0Demo.On) Tier0Demo.plan(traffic, files, dir);
        assertThat(plan.examples()).hasSize(labels.size() + 2);
        assertThat(plan.examples().stream().filter(e -> e.label().equals(ClassificationTraffic.OUT_OF_SCOPE)))
                .extracting(LabeledExample::text).containsExactly("how tall is a giraffe", "sing me a song");
        assertThat(plan.source()).contains("train.csv", "oos_train as out_of_scope");

        Files.writeString(data.resolve("clinc150/data_full.json"), "{\"oos_test\": [[\"what is the capital of peru\", \"oos\"]]}");
        assertThat(Tier0Demo.plan(traffic, files, dir)).isInstanceOfSatisfying(Tier0Demo.Off.class,
                off -> assertThat(off.reason()).contains("cannot be read", "no split 'oos_train'"));
    }

    @Test
    void shouldWriteAPolicyTheRouterReadsWithTheClassifierAndItsOwnVersion() throws IOException {
        final Path model = Files.writeString(dir.resolve("tickets.tier0.json"),
                "{\"name\":\"tickets\",\"labels\":[\"a\",\"b\"],\"threshold\":0.9}");
        final Path policyFile = Files.writeString(dir.resolve("policy.yaml"), Tier0Demo.policyWith(model));

        final RoutingPolicy policy = PolicyLoader.load(policyFile);
        assertThat(policy.version()).isEqualTo(PolicyLoader.loadDefault().version() + "+demo-tier0");
        assertThat(policy.tier0().all()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("tickets");
            assertThat(c.labels()).containsExactlyInAnyOrder("a", "b");
        });
        assertThat(policy.defaults()).usingRecursiveComparison().isEqualTo(PolicyLoader.loadDefault().defaults());
    }
}
