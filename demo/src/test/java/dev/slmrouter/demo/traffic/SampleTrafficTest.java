package dev.slmrouter.demo.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slmrouter.demo.datasets.DataSetFiles;
import dev.slmrouter.demo.datasets.DataSets;
import dev.slmrouter.demo.datasets.Fixtures;
import dev.slmrouter.events.ChatMessage;
import dev.slmrouter.events.InferenceRequest;
import dev.slmrouter.events.TaskType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The workload: built in by default, classification from data sets when given, expected labels carried. */
class SampleTrafficTest {

    private static List<InferenceRequest> classifications(final SampleTraffic traffic, final int events) {
        final List<InferenceRequest> requests = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            if (traffic.next() instanceof SampleTraffic.Request r && r.request().getLabels() != null) {
                requests.add(r.request());
            }
        }
        return requests;
    }

    @Test
    void theBuiltInWorkloadIsTheSameForTheSameSeedAndMixesEveryKindOfEvent() {
        final SampleTraffic a = new SampleTraffic(42);
        final SampleTraffic b = new SampleTraffic(42);
        final Map<String, Integer> kinds = new HashMap<>();
        for (int i = 0; i < 1_000; i++) {
            final SampleTraffic.Event x = a.next();
            final SampleTraffic.Event y = b.next();
            assertThat(x.key()).isEqualTo(y.key());
            if (x instanceof SampleTraffic.Request r) {
                assertThat(r.request().getMessages()).isEqualTo(((SampleTraffic.Request) y).request().getMessages());
                kinds.merge(r.request().getLabels() != null ? "classification"
                        : r.request().getResponseSchema() != null ? "extraction" : "other", 1, Integer::sum);
            } else {
                kinds.merge("malformed", 1, Integer::sum);
            }
        }
        assertThat(kinds).containsOnlyKeys("classification", "extraction", "other", "malformed");
        assertThat(kinds.get("classification")).isBetween(450, 580);
        assertThat(kinds.get("malformed")).isBetween(10, 50);
    }

    @Test
    void builtInClassificationCarriesItsExpectedLabelAmongTheOfferedOnes() {
        final List<InferenceRequest> requests = classifications(new SampleTraffic(1), 400);

        assertThat(requests).isNotEmpty().allSatisfy(r -> {
            assertThat(r.getMetadata()).containsEntry(SampleTraffic.DATASET, "built-in");
            assertThat(r.getLabels()).isEqualTo(ClassificationTraffic.TICKET_LABELS)
                    .contains(r.getMetadata().get(SampleTraffic.EXPECTED_LABEL));
            assertThat(r.getMessages()).extracting(ChatMessage::getRole).containsExactly("system", "user");
        });
    }

    @Test
    void dataSetsReplaceTheTicketsAndOutOfScopeMessagesExpectTheOutOfScopeLabel() {
        final DataSets sets = DataSetFiles.inDirectory(Fixtures.dataSetDir()).load();
        final List<InferenceRequest> requests =
                classifications(new SampleTraffic(3, ClassificationTraffic.from(sets, 0)), 1_000);
        final Map<String, List<InferenceRequest>> byDataset = new HashMap<>();
        requests.forEach(r -> byDataset.computeIfAbsent(r.getMetadata().get(SampleTraffic.DATASET),
                k -> new ArrayList<>()).add(r));

        assertThat(byDataset).containsOnlyKeys("banking77", "clinc150-oos", "xsid");
        assertThat(byDataset.get("banking77")).allSatisfy(r -> assertThat(r.getLabels()).containsExactly(
                "card_arrival", "card_swallowed", "declined_card_payment", "transfer_timing", "out_of_scope"));
        assertThat(byDataset.get("clinc150-oos")).allSatisfy(r -> {
            assertThat(r.getMetadata()).containsEntry(SampleTraffic.EXPECTED_LABEL, "out_of_scope");
            assertThat(r.getLabels()).contains("out_of_scope");
        });
        assertThat(byDataset.get("xsid")).allSatisfy(r -> {
            assertThat(r.getLabels()).containsExactly("alarm/set_alarm", "reminder/set_reminder", "weather/find");
            assertThat(r.getLanguage() == null || !r.getLanguage().equals("en")).isTrue();
        });
        assertThat(byDataset.get("xsid")).anyMatch(r -> r.getLanguage() != null)
                .anyMatch(r -> r.getLanguage() == null);
        assertThat(byDataset.get("clinc150-oos").size()).isLessThan(byDataset.get("banking77").size());
    }

    @Test
    void aLabelSampleKeepsTheExpectedLabelAndTheSetsOrder() {
        final DataSets sets = DataSetFiles.inDirectory(Fixtures.dataSetDir()).load();
        final List<InferenceRequest> requests =
                classifications(new SampleTraffic(5, ClassificationTraffic.from(sets, 2)), 500);

        assertThat(requests).isNotEmpty().allSatisfy(r -> {
            assertThat(r.getLabels()).hasSize(2).contains(r.getMetadata().get(SampleTraffic.EXPECTED_LABEL));
            if (r.getTaskType() != null) {
                assertThat(r.getTaskType()).isEqualTo(TaskType.CLASSIFICATION);
            }
        });
    }

    @Test
    void withOnlyOutOfScopeDataTheBuiltInTicketsGainTheOutOfScopeLabel() {
        final DataSets only = new DataSets(java.util.Optional.empty(),
                DataSetFiles.inDirectory(Fixtures.dataSetDir()).load().outOfScope(), java.util.Optional.empty());
        final ClassificationTraffic traffic = ClassificationTraffic.from(only, 0);

        assertThat(traffic.english().labels()).endsWith("out_of_scope");
        assertThat(traffic.outOfScope().orElseThrow().labels()).isEqualTo(traffic.english().labels());
        assertThat(traffic.nonEnglish()).isEqualTo(ClassificationTraffic.builtIn().nonEnglish());
    }
}
