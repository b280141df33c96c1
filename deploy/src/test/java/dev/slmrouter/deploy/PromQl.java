package dev.slmrouter.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Just enough of PromQL to say which metrics an expression reads and which labels it names (in
 * selectors, {@code by}/{@code without}/{@code on}/{@code ignoring}/{@code group_*} clauses). Functions,
 * aggregations, keywords, numbers, strings, durations and Grafana variables are not metric names.
 */
final class PromQl {

    /** What one expression uses. */
    record Usage(Set<String> metrics, Set<String> labels) {
    }

    private static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar",
            "count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");
    private static final Set<String> LABEL_CLAUSES = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "atan2", "inf",
            "nan", "Inf", "NaN");

    private PromQl() {
    }

    static Usage parse(final String expr) {
        final List<String> tokens = tokenize(expr);
        final Set<String> metrics = new TreeSet<>();
        final Set<String> labels = new TreeSet<>();
        for (int i = 0; i < tokens.size(); i++) {
            final String token = tokens.get(i);
            if (token.equals("{")) {
                // A selector: label names stand before a matcher operator.
                i++;
                while (i < tokens.size() && !tokens.get(i).equals("}")) {
                    if (isIdentifier(tokens.get(i)) && i + 1 < tokens.size() && isMatcher(tokens.get(i + 1))) {
                        labels.add(tokens.get(i));
                    }
                    i++;
                }
                continue;
            }
            if (!isIdentifier(token)) {
                continue;
            }
            final String next = i + 1 < tokens.size() ? tokens.get(i + 1) : "";
            if (LABEL_CLAUSES.contains(token)) {
                if (next.equals("(")) {
                    i += 2;
                    while (i < tokens.size() && !tokens.get(i).equals(")")) {
                        if (isIdentifier(tokens.get(i))) {
                            labels.add(tokens.get(i));
                        }
                        i++;
                    }
                }
                continue;
            }
            if (AGGREGATIONS.contains(token) && (next.equals("(") || LABEL_CLAUSES.contains(next))) {
                continue;
            }
            if (next.equals("(") || KEYWORDS.contains(token)) {
                continue; // a function call or a keyword
            }
            metrics.add(token);
        }
        return new Usage(metrics, labels);
    }

    /** Identifiers, punctuation and matcher operators; strings, numbers, ranges and $variables dropped. */
    static List<String> tokenize(final String expr) {
        final List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < expr.length()) {
            final char c = expr.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"' || c == '\'' || c == '`') {
                i = skipString(expr, i);
                tokens.add("\"\"");
            } else if (c == '[') {
                final int end = expr.indexOf(']', i);
                i = end < 0 ? expr.length() : end + 1;
            } else if (c == '$') {
                i++;
                while (i < expr.length() && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '_')) {
                    i++;
                }
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < expr.length() && Character.isDigit(expr.charAt(i + 1)))) {
                while (i < expr.length() && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '.'
                        || expr.charAt(i) == '+' && (expr.charAt(i - 1) == 'e' || expr.charAt(i - 1) == 'E'))) {
                    i++;
                }
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                final int start = i;
                while (i < expr.length() && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '_'
                        || expr.charAt(i) == ':')) {
                    i++;
                }
                tokens.add(expr.substring(start, i));
            } else if ((c == '=' || c == '!') && i + 1 < expr.length() && (expr.charAt(i + 1) == '~' || expr.charAt(i + 1) == '=')) {
                tokens.add(expr.substring(i, i + 2));
                i += 2;
            } else {
                tokens.add(String.valueOf(c));
                i++;
            }
        }
        return tokens;
    }

    private static int skipString(final String expr, final int start) {
        final char quote = expr.charAt(start);
        int i = start + 1;
        while (i < expr.length() && expr.charAt(i) != quote) {
            if (expr.charAt(i) == '\\' && quote != '`') {
                i++;
            }
            i++;
        }
        return i + 1;
    }

    private static boolean isIdentifier(final String token) {
        final char c = token.charAt(0);
        return Character.isLetter(c) || c == '_' || c == ':';
    }

    private static boolean isMatcher(final String token) {
        return token.equals("=") || token.equals("!=") || token.equals("=~") || token.equals("!~");
    }
}
