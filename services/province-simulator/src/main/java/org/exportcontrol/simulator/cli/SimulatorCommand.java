package org.exportcontrol.simulator.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;

/** The provincial-system simulator: {@code seed}, {@code stream}, {@code alerts}. See docs/simulator.md. */
@TopCommand
@Command(name = "province-simulator", mixinStandardHelpOptions = true,
        subcommands = {SeedCommand.class, StreamCommand.class, AlertsCommand.class,
                org.exportcontrol.simulator.bench.EarlyWarningBenchmark.class,
                org.exportcontrol.simulator.bench.GatewayBenchmark.class},
        description = {"Provincial-system simulator of the export-control platform (LOCAL DEMO data).",
                "Services: EC_LICENSING_GRPC, EC_REPORTING_GRPC, EC_ENFORCEMENT_GRPC (host:port, defaults"
                        + " 127.0.0.1:8081/8082/8083); Keycloak: KEYCLOAK_URL (default http://127.0.0.1:8180);"
                        + " secrets: EC_PROVINCE_<code>_SECRET, EC_DEMO_USER_PASSWORD (deploy/local/demo-secrets.env)."})
public class SimulatorCommand {
}
