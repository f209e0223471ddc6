package org.exportcontrol.platform.testing;

import static io.restassured.RestAssured.given;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One value of the service's Prometheus metrics ({@code /q/metrics}), as an operator's scraper reads it. */
public final class Metrics {

    private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{([^}]*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private Metrics() {
    }

    /**
     * The value of the sample {@code name} whose labels include these ({@code "cache", "recipients",
     * "result", "hit"}), in any order; fails if the service exports no such sample.
     */
    public static double value(String name, String... labels) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher sample = SAMPLE.matcher(text);
        while (sample.find()) {
            if (!sample.group(1).equals(name)) {
                continue;
            }
            Map<String, String> has = new LinkedHashMap<>();
            Matcher label = LABEL.matcher(sample.group(2) == null ? "" : sample.group(2));
            while (label.find()) {
                has.put(label.group(1), label.group(2));
            }
            if (has.entrySet().containsAll(wanted.entrySet())) {
                return Double.parseDouble(sample.group(3));
            }
        }
        throw new AssertionError(name + wanted + " is not exported in /q/metrics");
    }
}
