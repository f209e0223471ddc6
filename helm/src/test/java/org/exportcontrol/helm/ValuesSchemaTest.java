package org.exportcontrol.helm;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** values.schema.json (enforced by helm template itself) refuses bad values with a message naming them. */
class ValuesSchemaTest {

    @TempDir
    Path dir;

    private String refused(String valueSet, String extraValues) throws IOException {
        Path extra = dir.resolve("extra-values.yaml");
        Files.writeString(extra, extraValues);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ChartRenderer.template(
                ChartRenderer.chartDir(), List.of(ChartRenderer.valueSet(valueSet), extra), Map.of()),
                "helm template accepted:\n" + extraValues);
        assertTrue(e.getMessage().contains("values don't meet the specifications of the schema"),
                "refused, but not by values.schema.json: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void replicasMustBeANumber() throws IOException {
        String message = refused("minimal-values.yaml", "serviceDefaults:\n  replicas: two\n");
        assertTrue(message.contains("replicas"), message);
    }

    @Test
    void unknownTopLevelKeysAreRefused() throws IOException {
        String message = refused("minimal-values.yaml", "replicaCount: 2\n");
        assertTrue(message.contains("replicaCount"), message);
    }

    @Test
    void unknownServiceSettingsAndServicesAreRefused() throws IOException {
        assertTrue(refused("minimal-values.yaml", "services:\n  licensing:\n    replica: 2\n").contains("replica"));
        assertTrue(refused("minimal-values.yaml", "services:\n  billing:\n    database:\n      name: billing\n")
                .contains("billing"));
    }

    @Test
    void theKeycloakClientSecretsCannotBeLeftOut() throws IOException {
        String message = refused("minimal-values.yaml", "keycloak:\n  clientSecrets:\n    existingSecret: \"\"\n");
        assertTrue(message.contains("existingSecret"), message);
    }

    @Test
    void everyRealmClientSecretIsRequiredWhenTheChartCreatesTheSecret() throws IOException {
        // the ingress-tls set creates the Secret; drop one province's secret
        String message = refused("ingress-tls-values.yaml",
                "keycloak:\n  clientSecrets:\n    values:\n      EC_PROVINCE_450000_SECRET: null\n");
        assertTrue(message.contains("EC_PROVINCE_450000_SECRET"), message);
        message = refused("ingress-tls-values.yaml",
                "keycloak:\n  clientSecrets:\n    values:\n      EC_GATEWAY_CLIENT_SECRET: short\n");
        assertTrue(message.contains("EC_GATEWAY_CLIENT_SECRET"), message);
    }

    @Test
    void anIngressWithoutTlsIsRefused() throws IOException {
        String message = refused("ingress-tls-values.yaml", "ingress:\n  gateway:\n    tls:\n      secretName: \"\"\n");
        assertTrue(message.contains("secretName"), message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "database:\\n  port: \"5432x\"\\n|port",
        "database:\\n  host: \"\"\\n|host",
        "image:\\n  pullPolicy: Sometimes\\n|pullPolicy",
        "tracing:\\n  exporter: zipkin\\n|exporter",
        "keycloak:\\n  url: \"not a url\"\\n|url",
        "serviceDefaults:\\n  resources:\\n    limits:\\n      memory: lots\\n|memory",
        "services:\\n  gateway:\\n    env:\\n      DB_PASSWORD: plain\\n|env",
        "services:\\n  notification:\\n    env:\\n      SMTP_PASSWORD: plain\\n|env",
        "services:\\n  notification:\\n    secretEnv:\\n      SMTP_PASSWORD:\\n        secretName: smtp\\n|key",
        "ingress:\\n  provincial:\\n    reportingPathPrefix: /\\n|reportingPathPrefix",
        "serviceMonitor:\\n  interval: often\\n|interval"})
    void otherBadValuesAreRefused(String values, String named) throws IOException {
        String message = refused("minimal-values.yaml", values.replace("\\n", "\n"));
        assertTrue(message.contains(named), message);
    }
}
