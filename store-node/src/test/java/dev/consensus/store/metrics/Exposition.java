package dev.consensus.store.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the text exposition format 0.0.4, written from the format's description
 * and independent of {@link TextFormat}, so tests can parse back what the registry renders.
 * Anything it does not recognise fails the test with the offending line.
 */
final class Exposition {

    record Sample(String name, Map<String, String> labels, double value) {
    }

    record Family(String name, String help, String type, List<Sample> samples) {
        /** The one sample with exactly these labels (besides none), or a failure. */
        Sample sample(String sampleName, Map<String, String> labels) {
            return samples.stream()
                    .filter(s -> s.name().equals(sampleName) && s.labels().equals(labels))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no sample " + sampleName + labels + " in " + samples));
        }
    }

    private static final Pattern HELP = Pattern.compile("# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)");
    private static final Pattern TYPE = Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\[\\\\\"n])*)\"");

    private final Map<String, Family> families;

    private Exposition(Map<String, Family> families) {
        this.families = families;
    }

    Map<String, Family> families() {
        return families;
    }

    Family family(String name) {
        Family family = families.get(name);
        if (family == null) {
            throw new AssertionError("no metric family " + name + " among " + families.keySet());
        }
        return family;
    }

    /** The value of the sample named like its family, with no labels. */
    double value(String name) {
        return family(name).sample(name, Map.of()).value();
    }

    static Exposition parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new AssertionError("the exposition must end with a newline");
        }
        Map<String, Family> families = new LinkedHashMap<>();
        String pendingHelp = null;
        String pendingHelpName = null;
        Family current = null;
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            Matcher m;
            if ((m = HELP.matcher(line)).matches()) {
                pendingHelpName = m.group(1);
                pendingHelp = unescape(m.group(2), false);
            } else if ((m = TYPE.matcher(line)).matches()) {
                String name = m.group(1);
                if (!name.equals(pendingHelpName)) {
                    throw new AssertionError("TYPE without a HELP line just before it: " + line);
                }
                if (families.containsKey(name)) {
                    throw new AssertionError("family " + name + " appears twice");
                }
                current = new Family(name, pendingHelp, m.group(2), new ArrayList<>());
                families.put(name, current);
            } else if ((m = SAMPLE.matcher(line)).matches()) {
                if (current == null || !belongs(m.group(1), current)) {
                    throw new AssertionError("sample outside its family: " + line);
                }
                current.samples().add(new Sample(m.group(1), labels(m.group(3), line), number(m.group(4), line)));
            } else {
                throw new AssertionError("not a line of the text format: " + line);
            }
        }
        return new Exposition(families);
    }

    private static boolean belongs(String sampleName, Family family) {
        if (!family.type().equals("histogram")) {
            return sampleName.equals(family.name());
        }
        return sampleName.equals(family.name() + "_bucket") || sampleName.equals(family.name() + "_sum")
                || sampleName.equals(family.name() + "_count");
    }

    private static Map<String, String> labels(String text, String line) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return labels;
        }
        Matcher m = LABEL.matcher(text);
        int at = 0;
        while (at < text.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new AssertionError("bad labels in: " + line);
            }
            if (labels.put(m.group(1), unescape(m.group(2), true)) != null) {
                throw new AssertionError("label given twice in: " + line);
            }
            at = m.end();
            if (at < text.length()) {
                if (text.charAt(at) != ',') {
                    throw new AssertionError("labels must be separated by commas: " + line);
                }
                at++;
            }
        }
        return labels;
    }

    private static double number(String text, String line) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> {
                try {
                    yield Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new AssertionError("bad value in: " + line);
                }
            }
        };
    }

    private static String unescape(String text, boolean quotes) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\' || i + 1 == text.length()) {
                out.append(c);
                continue;
            }
            char next = text.charAt(++i);
            switch (next) {
                case '\\' -> out.append('\\');
                case 'n' -> out.append('\n');
                case '"' -> {
                    if (!quotes) {
                        out.append('\\');
                    }
                    out.append('"');
                }
                default -> out.append('\\').append(next);
            }
        }
        return out.toString();
    }
}
