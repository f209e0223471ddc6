package org.exportcontrol.licensing.domain;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Normalised fuzzy matching of party names against the watch list: case, accents, punctuation,
 * word order and legal forms ("Co., Ltd.", "GmbH", "LLC" ...) do not matter; what remains is
 * compared by the Sorensen-Dice coefficient of character bigrams (1.0 = the same name).
 */
public final class NameMatcher {

    private static final Set<String> LEGAL_FORMS = Set.of("co", "company", "corp", "corporation", "inc",
            "incorporated", "ltd", "limited", "llc", "llp", "plc", "gmbh", "ag", "sa", "sarl", "bv", "nv", "pte",
            "pvt", "private", "jsc", "fze", "fzco", "fzc", "the", "and", "of");

    private NameMatcher() {
    }

    public static String normalise(String name) {
        String plain = Normalizer.normalize(name == null ? "" : name, Normalizer.Form.NFKD)
                .replaceAll("\\p{M}", "")
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N}]+", " ")
                .trim();
        return Arrays.stream(plain.split(" "))
                .filter(t -> !t.isEmpty() && !LEGAL_FORMS.contains(t))
                .sorted()
                .collect(Collectors.joining(" "));
    }

    /** Similarity of two names in [0, 1]. */
    public static double score(String a, String b) {
        String x = normalise(a);
        String y = normalise(b);
        if (x.isEmpty() || y.isEmpty()) {
            return 0;
        }
        if (x.equals(y)) {
            return 1;
        }
        Map<String, Integer> bigrams = bigrams(x);
        int total = x.length() - 1 + y.length() - 1;
        int shared = 0;
        for (int i = 0; i < y.length() - 1; i++) {
            String bigram = y.substring(i, i + 2);
            Integer n = bigrams.get(bigram);
            if (n != null && n > 0) {
                shared++;
                bigrams.put(bigram, n - 1);
            }
        }
        return total <= 0 ? 0 : 2.0 * shared / total;
    }

    private static Map<String, Integer> bigrams(String s) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < s.length() - 1; i++) {
            counts.merge(s.substring(i, i + 2), 1, Integer::sum);
        }
        return counts;
    }
}
