package org.exportcontrol.simulator.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.exportcontrol.api.enforcement.v1.Alert;
import org.exportcontrol.api.enforcement.v1.AlertServiceGrpc;
import org.exportcontrol.api.enforcement.v1.ListAlertsRequest;
import org.exportcontrol.api.enforcement.v1.ListAlertsResponse;
import org.exportcontrol.simulator.generator.Scenario;
import org.exportcontrol.simulator.transport.Channels;
import org.exportcontrol.simulator.transport.Tokens;

import io.grpc.StatusRuntimeException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Lists enforcement alerts through AlertService.ListAlerts (as a LOCAL DEMO user, by default the
 * national coordinator), and optionally waits until each expected scenario's rule has an alert in
 * the province: the check that the seeded violations were caught.
 */
@Command(name = "alerts", mixinStandardHelpOptions = true, sortOptions = false,
        description = "List enforcement alerts; with --expect, wait until each scenario's rule has fired in the province.")
public class AlertsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--province", paramLabel = "CODE", description = "Only alerts of this jurisdiction.")
    String province;

    @Option(names = "--expect", paramLabel = "LIST",
            description = "Scenarios (all, or a list as for stream --scenarios) whose alerts must be there.")
    String expect;

    @Option(names = "--wait", defaultValue = "60", paramLabel = "SECONDS",
            description = "With --expect: how long to wait for the alerts (default ${DEFAULT-VALUE}).")
    int waitSeconds;

    @Option(names = "--since", paramLabel = "INSTANT",
            description = "Only alerts that saw a signal at or after this time (ISO-8601, e.g. 2026-06-15T02:00:00Z):"
                    + " the alerts of this run, not of earlier ones.")
    String since;

    @Option(names = "--user", defaultValue = "nat-coordinator", paramLabel = "USER",
            description = "The LOCAL DEMO user who reads (default ${DEFAULT-VALUE}).")
    String user;

    @Inject
    Channels channels;
    @Inject
    Tokens tokens;

    @Override
    public Integer call() throws InterruptedException {
        if (province != null && !province.matches("\\d{6}|national")) {
            throw new ParameterException(spec.commandLine(), "--province must be a six-digit GB/T 2260 code or national");
        }
        if (waitSeconds < 0 || waitSeconds > 3600) {
            throw new ParameterException(spec.commandLine(), "--wait must be 0 to 3600 seconds");
        }
        Instant from;
        try {
            from = since == null ? Instant.EPOCH : Instant.parse(since);
        } catch (java.time.format.DateTimeParseException e) {
            throw new ParameterException(spec.commandLine(), "--since must be an ISO-8601 instant such as"
                    + " 2026-06-15T02:00:00Z, not " + since);
        }
        Set<Scenario> expected;
        try {
            expected = expect == null ? Set.of() : Scenario.parse(expect);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (!expected.isEmpty() && province == null) {
            throw new ParameterException(spec.commandLine(), "--expect needs --province");
        }
        long until = System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(waitSeconds);
        long started = System.currentTimeMillis();
        try {
            while (true) {
                List<Alert> alerts = list(from);
                Set<String> missing = new LinkedHashSet<>();
                for (Scenario s : expected) {
                    if (alerts.stream().noneMatch(a -> a.getRuleCode().equals(s.ruleCode()))) {
                        missing.add(s.ruleCode());
                    }
                }
                if (missing.isEmpty() || System.currentTimeMillis() >= until) {
                    print(alerts);
                    for (Scenario s : expected) {
                        System.out.println("[alerts] " + s.cliName() + " -> " + s.ruleCode() + " in " + province + ": "
                                + (missing.contains(s.ruleCode()) ? "MISSING" : "present"));
                    }
                    if (!expected.isEmpty()) {
                        System.out.println("[alerts] " + (missing.isEmpty() ? "all expected alerts present" : "missing: "
                                + missing) + " after " + (System.currentTimeMillis() - started) / 1000 + " s");
                    }
                    return missing.isEmpty() ? 0 : 1;
                }
                TimeUnit.SECONDS.sleep(2);
            }
        } catch (StatusRuntimeException e) {
            System.err.println("[alerts] ERROR: " + Calls.describe(e));
            return 1;
        } catch (Tokens.TokenException e) {
            System.err.println("[alerts] ERROR: " + e.getMessage());
            return 1;
        }
    }

    private List<Alert> list(Instant from) {
        var stub = AlertServiceGrpc.newBlockingStub(channels.enforcement()).withCallCredentials(tokens.credentials(user));
        List<Alert> out = new ArrayList<>();
        String token = "";
        do {
            ListAlertsResponse r = Calls.deadline(stub).listAlerts(ListAlertsRequest.newBuilder().setPageSize(100)
                    .setPageToken(token).build());
            r.getAlertsList().stream().filter(a -> province == null || a.getJurisdiction().getCode().equals(province))
                    .filter(a -> !Instant.ofEpochSecond(Math.max(a.getRaisedAt().getSeconds(), a.getLastSignalAt().getSeconds()))
                            .isBefore(from.minusSeconds(1)))
                    .forEach(out::add);
            token = r.getNextPageToken();
        } while (!token.isEmpty());
        return out;
    }

    private static void print(List<Alert> alerts) {
        TreeMap<String, Integer> byRule = new TreeMap<>();
        for (Alert a : alerts) {
            byRule.merge(a.getJurisdiction().getCode() + " " + a.getRuleCode(), 1, Integer::sum);
            Instant raised = Instant.ofEpochSecond(a.getRaisedAt().getSeconds());
            System.out.printf("%-10s %-26s %-9s %-16s %-36s %s %s%n", a.getId(), a.getRuleCode(),
                    a.getJurisdiction().getCode(), a.getSeverity().name().replace("SEVERITY_", ""),
                    a.getSubject().getId(), raised, a.getState().name().replace("ALERT_STATE_", ""));
        }
        byRule.forEach((k, n) -> System.out.println("[alerts] " + k + ": " + n));
        System.out.println("[alerts] " + alerts.size() + " alerts");
    }
}
