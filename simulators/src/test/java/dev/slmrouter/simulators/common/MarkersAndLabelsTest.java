package dev.slmrouter.simulators.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MarkersAndLabelsTest {

    @Test
    void shouldReadEveryMarkerAndCombineThem() {
        final Directive d = Markers.parse("Classify [sim:confidence=0.4] this [sim:truncate][sim:label=other]");
        assertThat(d.confidence()).isEqualTo(0.4);
        assertThat(d.truncate()).isTrue();
        assertThat(d.label()).isEqualTo("other");
        assertThat(Markers.parse("[sim:schema-break]").schemaBreak()).isTrue();
        assertThat(Markers.parse("[sim:refuse]").refuse()).isTrue();
        assertThat(Markers.parse("[sim:error=503]").errorStatus()).isEqualTo(503);
        assertThat(Markers.parse("[sim:tokens=7]").outputTokens()).isEqualTo(7);
        assertThat(Markers.parse("[sim:hang]").hang()).isTrue();
    }

    @Test
    void shouldIgnoreUnknownOrMalformedMarkers() {
        assertThat(Markers.parse("[sim:confidence=high] [sim:dance] plain text").isNone()).isTrue();
        assertThat(Markers.parse("[sim:confidence=1.5]").isNone()).isTrue();
    }

    @Test
    void shouldFindLabelListsInPrompts() {
        assertThat(LabelFinder.find("Ticket: my card was charged twice.\nAnswer with one of: billing, technical, other."))
                .containsExactly("billing", "technical", "other");
        assertThat(LabelFinder.find("Labels: [\"positive\", \"negative\"]")).containsExactly("positive", "negative");
        assertThat(LabelFinder.find("Categories: spam | ham")).containsExactly("spam", "ham");
        assertThat(LabelFinder.find("Options: yes or no")).containsExactly("yes", "no");
    }

    @Test
    void shouldNotTakeOrdinaryProseForALabelList() {
        assertThat(LabelFinder.find("This is one of the best products I bought.")).isEmpty();
        assertThat(LabelFinder.find("Summarize the email below.")).isEmpty();
    }
}
