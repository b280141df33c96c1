package dev.slmrouter.demo.report;

import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * The report's charts as inline SVG, written by hand so the page needs no script and no network:
 * horizontal (stacked) bar charts and a stacked histogram over [0, 1] with a threshold marker.
 */
final class Svg {

    /** One series of a chart: its name in the legend and its colour. */
    record Series(String name, String color) {
    }

    /** One bar: its label and one value per series, stacked left to right. */
    record Bar(String label, double... values) {
        double total() {
            double sum = 0;
            for (double v : values) {
                sum += v;
            }
            return sum;
        }
    }

    private static final int WIDTH = 680;
    private static final int LABEL_WIDTH = 210;
    private static final int VALUE_WIDTH = 90;
    private static final int ROW = 22;
    private static final int LEGEND = 26;

    private Svg() {
    }

    /** Horizontal bars, one per row, segments stacked per series; the total is written after each bar. */
    static String bars(final String title, final List<Bar> bars, final List<Series> series,
                       final DoubleFunction<String> format) {
        if (bars.isEmpty()) {
            return "<p class=\"none\">none</p>";
        }
        final double max = Math.max(1e-12, bars.stream().mapToDouble(Bar::total).max().orElse(1));
        final int plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
        final int legend = series.size() > 1 ? LEGEND : 0;
        final int height = legend + bars.size() * ROW + 6;
        final StringBuilder svg = open(title, height);
        legend(svg, series, LABEL_WIDTH);
        for (int i = 0; i < bars.size(); i++) {
            final Bar bar = bars.get(i);
            final int y = legend + i * ROW;
            svg.append(String.format(Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" class=\"label\">%s</text>",
                    LABEL_WIDTH - 8, y + 15, escape(bar.label())));
            double x = LABEL_WIDTH;
            for (int s = 0; s < series.size() && s < bar.values().length; s++) {
                final double w = bar.values()[s] / max * plot;
                if (w > 0) {
                    svg.append(String.format(Locale.ROOT,
                            "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
                                    + "<title>%s: %s</title></rect>",
                            x, y + 3, w, ROW - 6, series.get(s).color(), escape(bar.label() + " " + series.get(s).name()),
                            escape(format.apply(bar.values()[s]))));
                }
                x += w;
            }
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"value\">%s</text>", x + 6, y + 15,
                    escape(format.apply(bar.total()))));
        }
        return svg.append("</svg>").toString();
    }

    /**
     * A histogram over [0, 1]: {@code counts[s][b]} is series {@code s} in bin {@code b}, stacked bottom
     * up; a dashed line marks {@code threshold}.
     */
    static String histogram(final String title, final int[][] counts, final List<Series> series,
                            final double threshold) {
        final int bins = counts[0].length;
        int max = 1;
        for (int b = 0; b < bins; b++) {
            int sum = 0;
            for (int[] c : counts) {
                sum += c[b];
            }
            max = Math.max(max, sum);
        }
        final int left = 50;
        final int top = LEGEND + 14;
        final int plotHeight = 180;
        final int plotWidth = WIDTH - left - 20;
        final int height = top + plotHeight + 40;
        final double binWidth = (double) plotWidth / bins;
        final StringBuilder svg = open(title, height);
        legend(svg, series, left);
        svg.append(String.format(Locale.ROOT,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"axis\"/>", left, top + plotHeight,
                left + plotWidth, top + plotHeight));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" class=\"value\">%d</text>",
                left - 6, top + 10, max));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" class=\"value\">0</text>",
                left - 6, top + plotHeight));
        for (int b = 0; b < bins; b++) {
            double y = top + plotHeight;
            for (int s = 0; s < counts.length; s++) {
                final double h = (double) counts[s][b] / max * plotHeight;
                if (h > 0) {
                    y -= h;
                    svg.append(String.format(Locale.ROOT,
                            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                                    + "<title>%s %.2f-%.2f: %d</title></rect>",
                            left + b * binWidth + 1, y, binWidth - 2, h, series.get(s).color(),
                            escape(series.get(s).name()), (double) b / bins, (double) (b + 1) / bins, counts[s][b]));
                }
            }
        }
        for (int tick = 0; tick <= 4; tick++) {
            svg.append(String.format(Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" class=\"value\">%.2f</text>",
                    left + tick * plotWidth / 4.0, top + plotHeight + 16, tick / 4.0));
        }
        final double x = left + threshold * plotWidth;
        svg.append(String.format(Locale.ROOT,
                "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" class=\"threshold\"/>"
                        + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"end\" class=\"value\">threshold %.2f</text>",
                x, top - 4, x, top + plotHeight, x - 4, top + 8, threshold));
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" class=\"label\">"
                + "confidence</text>", left + plotWidth / 2.0, top + plotHeight + 34));
        return svg.append("</svg>").toString();
    }

    static String escape(final String text) {
        final StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static StringBuilder open(final String title, final int height) {
        return new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">"
                        + "<title>%s</title>", WIDTH, height, WIDTH, height, escape(title)));
    }

    private static void legend(final StringBuilder svg, final List<Series> series, final int left) {
        if (series.size() < 2) {
            return;
        }
        int x = left;
        for (Series s : series) {
            svg.append(String.format(Locale.ROOT,
                    "<rect x=\"%d\" y=\"6\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                            + "<text x=\"%d\" y=\"16\" class=\"label\">%s</text>", x, s.color(), x + 16, escape(s.name())));
            x += 24 + 7 * s.name().length();
        }
    }
}
