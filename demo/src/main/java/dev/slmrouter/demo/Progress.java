package dev.slmrouter.demo;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's progress output. On an interactive terminal one status line is redrawn in place (carriage
 * return and erase-line); anywhere else (CI=true, output piped or redirected, TERM=dumb) every update
 * is a plain line of its own, and only at milestones, so logs stay short and readable.
 */
final class Progress {

    private static final String PREFIX = "[demo] ";
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final long PLAIN_FOLLOW_NANOS = 2_000_000_000L;
    private static final long STALLED_FOLLOW_NANOS = 10_000_000_000L;

    private final PrintStream out;
    private final boolean interactive;
    private boolean lineOpen;
    private long lastDraw;
    private long lastPlainFollow;
    private boolean followDone;
    private int lastPlainDone = -1;

    Progress(final PrintStream out, final boolean interactive) {
        this.out = out;
        this.interactive = interactive;
    }

    /** Interactive only with a console on both ends, outside CI and with a terminal that can move the cursor. */
    static Progress forConsole() {
        return new Progress(System.out, isInteractive(System.getenv(), System.console() != null));
    }

    static boolean isInteractive(final Map<String, String> env, final boolean console) {
        final String ci = env.getOrDefault("CI", "").toLowerCase(Locale.ROOT);
        final boolean inCi = !ci.isEmpty() && !ci.equals("false") && !ci.equals("0");
        return console && !inCi && !"dumb".equals(env.get("TERM"));
    }

    boolean interactive() {
        return interactive;
    }

    /** A message of its own; an open status line is ended first. */
    synchronized void log(final String line) {
        endLine();
        out.println(PREFIX + line);
    }

    /** Producing: a redrawn line, or a plain line at each tenth of the total. */
    synchronized void produced(final int done, final int total) {
        if (interactive) {
            draw("Produced " + done + "/" + total + " requests " + bar(done, total), done == total);
            return;
        }
        if (done % Math.max(1, total / 10) == 0 || done == total) {
            out.println(PREFIX + "Produced " + done + "/" + total + " requests");
        }
    }

    /**
     * Following the topics: a redrawn line, or a plain line every two seconds while the count moves
     * (every ten while it stalls) and once at the end.
     */
    synchronized void finished(final int done, final int total) {
        if (interactive) {
            draw("Finished " + done + "/" + total + " requests " + bar(done, total), done >= total);
            return;
        }
        final long now = System.nanoTime();
        final long quiet = done == lastPlainDone ? STALLED_FOLLOW_NANOS : PLAIN_FOLLOW_NANOS;
        if (done >= total ? !followDone : now - lastPlainFollow >= quiet) {
            lastPlainFollow = now;
            lastPlainDone = done;
            followDone = done >= total;
            out.println(PREFIX + "Finished " + done + "/" + total + " requests");
        }
    }

    /** A stream whose every line becomes a {@link #log} line starting with {@code prefix} (for library output). */
    PrintStream printer(final String prefix) {
        final ByteArrayOutputStream line = new ByteArrayOutputStream();
        return new PrintStream(new OutputStream() {
            @Override
            public void write(final int b) {
                if (b == '\n') {
                    log(prefix + line.toString(StandardCharsets.UTF_8));
                    line.reset();
                } else {
                    line.write(b);
                }
            }
        }, true, StandardCharsets.UTF_8);
    }

    /** Ends an open status line, so what follows starts on a line of its own. */
    synchronized void endLine() {
        if (lineOpen) {
            out.println();
            lineOpen = false;
        }
    }

    private void draw(final String status, final boolean force) {
        final long now = System.nanoTime();
        if (!force && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        out.print("\r\u001b[2K" + PREFIX + status);
        out.flush();
        lineOpen = true;
    }

    private static String bar(final int done, final int total) {
        final int width = 30;
        final int filled = (int) Math.min(width, (long) done * width / Math.max(1, total));
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "] "
                + (int) Math.min(100, (long) done * 100 / Math.max(1, total)) + "%";
    }
}
