package org.exportcontrol.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * deploy/prometheus (alert rules) and deploy/grafana (dashboard) are well formed and cover the
 * platform's business metrics. Without promtool here, the rules are checked for the rule-file
 * structure Prometheus loads (groups, unique names, alert/expr/for/labels/annotations), durations,
 * balanced PromQL brackets and quotes, and template braces in annotations.
 */
class MonitoringAssetsTest {

    static final Set<String> BUSINESS_METRICS = Set.of("reporting_events_ingested_total", "enforcement_alerts_raised_total",
            "licensing_decisions_total", "notification_delivery_latency_seconds", "platform_outbox_backlog");
    static final Set<String> ALERTED_METRICS = Set.of("reporting_events_ingested_total", "platform_outbox_backlog",
            "notification_dead_letters_total", "enforcement_directives_overdue");
    static final Pattern DURATION = Pattern.compile("^([0-9]+(ms|s|m|h|d|w|y))+$");

    static Path rulesFile() {
        return ChartRenderer.repoRoot().resolve("deploy/prometheus/export-control-alerts.yaml");
    }

    @Test
    void alertRulesHaveThePrometheusRuleFileStructure() throws IOException {
        JsonNode file = ChartRenderer.YAML.readTree(rulesFile().toFile());
        assertEquals(Set.of("groups"), fieldNames(file), "a rule file holds only groups");
        Set<String> groups = new HashSet<>();
        Set<String> alerts = new HashSet<>();
        StringBuilder allExpressions = new StringBuilder();
        assertTrue(file.path("groups").size() >= 4);
        for (JsonNode group : file.path("groups")) {
            assertTrue(Set.of("name", "rules", "interval", "limit").containsAll(fieldNames(group)), group.toString());
            assertTrue(groups.add(group.path("name").asText()), "duplicate group " + group.path("name"));
            assertFalse(group.path("rules").isEmpty());
            for (JsonNode rule : group.path("rules")) {
                String alert = rule.path("alert").asText();
                assertFalse(alert.isEmpty(), "every rule here is an alert: " + rule);
                assertTrue(alert.matches("[A-Za-z_][A-Za-z0-9_]*"), alert);
                assertTrue(alerts.add(alert), "duplicate alert " + alert);
                assertTrue(Set.of("alert", "expr", "for", "keep_firing_for", "labels", "annotations")
                        .containsAll(fieldNames(rule)), alert + ": unknown rule field in " + fieldNames(rule));
                String expr = rule.path("expr").asText();
                assertFalse(expr.isBlank(), alert);
                checkPromQl(alert, expr);
                allExpressions.append(expr).append('\n');
                assertTrue(DURATION.matcher(rule.path("for").asText("0s")).matches(), alert + ": for");
                assertTrue(Set.of("warning", "critical").contains(rule.path("labels").path("severity").asText()),
                        alert + ": severity");
                rule.path("labels").fields().forEachRemaining(l -> assertTrue(l.getKey().matches("[a-zA-Z_][a-zA-Z0-9_]*")));
                assertFalse(rule.path("annotations").path("summary").asText().isBlank(), alert + ": summary");
                rule.path("annotations").forEach(a -> assertBalanced(alert + " annotation", a.asText(), "{{", "}}"));
            }
        }
        for (String metric : ALERTED_METRICS) {
            assertTrue(allExpressions.toString().contains(metric), "no alert on " + metric);
        }
    }

    @Test
    void theDashboardShowsEveryBusinessMetric() throws IOException {
        JsonNode dashboard = ChartRenderer.JSON.readTree(
                ChartRenderer.repoRoot().resolve("deploy/grafana/export-control-business.json").toFile());
        assertFalse(dashboard.path("uid").asText().isEmpty());
        assertFalse(dashboard.path("title").asText().isEmpty());
        assertTrue(dashboard.path("schemaVersion").asInt() >= 30);
        Set<Integer> ids = new HashSet<>();
        StringBuilder expressions = new StringBuilder();
        for (JsonNode panel : dashboard.path("panels")) {
            assertTrue(ids.add(panel.path("id").asInt()), "duplicate panel id " + panel.path("id"));
            JsonNode grid = panel.path("gridPos");
            assertTrue(grid.path("w").asInt() > 0 && grid.path("x").asInt() + grid.path("w").asInt() <= 24, panel.toString());
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertFalse(panel.path("targets").isEmpty(), panel.path("title") + " has no query");
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                checkPromQl(panel.path("title").asText(), expr.replace("$__rate_interval", "5m").replace("$__range", "1d"));
                expressions.append(expr).append('\n');
            }
            assertEquals("${datasource}", panel.path("datasource").path("uid").asText(), "panels use the data source variable");
        }
        for (String metric : BUSINESS_METRICS) {
            assertTrue(expressions.toString().contains(metric), "dashboard lacks " + metric);
        }
        assertTrue(expressions.toString().contains("enforcement_alerts_raised_total{") && expressions.toString()
                .contains("by (rule)"), "alerts by rule");
        assertTrue(expressions.toString().contains("by (decision)"), "licence decisions by decision");
        assertTrue(expressions.toString().contains("histogram_quantile"), "latency from the histogram");
    }

    /** Brackets, braces, parentheses and quotes balance; range selectors hold durations. */
    static void checkPromQl(String where, String expr) {
        Deque<Character> open = new ArrayDeque<>();
        boolean quoted = false;
        for (char c : expr.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
                continue;
            }
            if (quoted) {
                continue;
            }
            switch (c) {
                case '(', '[', '{' -> open.push(c);
                case ')', ']', '}' -> {
                    char expected = c == ')' ? '(' : c == ']' ? '[' : '{';
                    if (open.isEmpty() || open.pop() != expected) {
                        fail(where + ": unbalanced '" + c + "' in " + expr);
                    }
                }
                default -> { }
            }
        }
        assertFalse(quoted, where + ": unclosed quote in " + expr);
        assertTrue(open.isEmpty(), where + ": unclosed " + open + " in " + expr);
        Matcher range = Pattern.compile("\\[([^\\]]*)]").matcher(expr);
        while (range.find()) {
            assertTrue(DURATION.matcher(range.group(1)).matches(), where + ": range [" + range.group(1) + "]");
        }
    }

    static void assertBalanced(String where, String text, String open, String close) {
        assertEquals(text.split(Pattern.quote(open), -1).length, text.split(Pattern.quote(close), -1).length,
                where + ": unbalanced template braces in " + text);
    }

    static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
