package dev.slmrouter.common.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CommandArgsTest {

    private static CommandArgs parse(final String... args) {
        return new CommandArgs(List.of(args), Set.of("--n", "--f", "--from", "--name"), Set.of("--all"));
    }

    @Test
    void readsValuesFlagsAndDefaults() {
        final CommandArgs a = parse("--n", "3", "--all", "--f", "0.25", "--name", "x");
        assertThat(a.integer("--n", 1)).isEqualTo(3);
        assertThat(a.number("--n", 1)).isEqualTo(3.0);
        assertThat(a.fraction("--f", 0.5)).isEqualTo(0.25);
        assertThat(a.flag("--all")).isTrue();
        assertThat(a.required("--name")).isEqualTo("x");
        assertThat(parse().integer("--n", 7)).isEqualTo(7);
        assertThat(parse().flag("--all")).isFalse();
        assertThat(parse().get("--name", "d")).isEqualTo("d");
    }

    @Test
    void readsInstantsDatesAndRelativeTimes() {
        final Instant now = Instant.parse("2026-11-28T12:00:00Z");
        assertThat(parse("--from", "-7d").instant("--from", now, now)).isEqualTo(Instant.parse("2026-11-21T12:00:00Z"));
        assertThat(parse("--from", "-12h").instant("--from", now, now)).isEqualTo(Instant.parse("2026-11-28T00:00:00Z"));
        assertThat(parse("--from", "2026-11-01").instant("--from", now, now)).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(parse("--from", "2026-11-01T08:00:00Z").instant("--from", now, now))
                .isEqualTo(Instant.parse("2026-11-01T08:00:00Z"));
    }

    @Test
    void namesTheOptionOfEveryMistake() {
        assertThatThrownBy(() -> parse("--bogus")).isInstanceOf(CommandArgs.UsageException.class)
                .hasMessage("unknown option --bogus");
        assertThatThrownBy(() -> parse("--n")).hasMessage("--n needs a value");
        assertThatThrownBy(() -> parse("--n", "x").integer("--n", 1)).hasMessage("--n needs a whole number, not 'x'");
        assertThatThrownBy(() -> parse("--n", "x").number("--n", 1)).hasMessage("--n needs a number, not 'x'");
        assertThatThrownBy(() -> parse("--f", "1.5").fraction("--f", 0.5)).hasMessageContaining("between 0 and 1");
        assertThatThrownBy(() -> parse().required("--name")).hasMessage("--name is required");
        assertThatThrownBy(() -> parse("--from", "yesterday").instant("--from", Instant.EPOCH, Instant.EPOCH))
                .hasMessageContaining("--from needs an instant");
        // Callers that catch IllegalArgumentException for bad input catch these too.
        assertThatThrownBy(() -> parse("--bogus")).isInstanceOf(IllegalArgumentException.class);
    }
}
