package org.exportcontrol.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The checker itself: it catches misspelt and unknown fields, wrong types and unknown kinds. */
class ManifestCheckerTest {

    @TempDir
    Path dir;

    @Test
    void aTemplateWithAMisspeltFieldFailsTheCheck() throws IOException {
        Path chart = ChartRenderer.copyChart(dir.resolve("export-control"));
        // a test-only template: "containerPort" misspelt, and "replica" for "replicas"
        Files.writeString(chart.resolve("templates/zz-test-misspelt.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: {{ .Release.Name }}-misspelt
                spec:
                  replica: 2
                  selector:
                    matchLabels:
                      app: misspelt
                  template:
                    metadata:
                      labels:
                        app: misspelt
                    spec:
                      containers:
                        - name: app
                          image: example/app:1
                          ports:
                            - containerPrt: 8080
                """);
        List<ObjectNode> objects = ChartRenderer.parse(ChartRenderer.template(chart,
                List.of(ChartRenderer.valueSet("minimal-values.yaml")), Map.of()));
        List<String> violations = ManifestChecker.violations(objects);
        assertEquals(2, violations.size(), violations.toString());
        assertTrue(violations.get(0).contains("Deployment/ec-misspelt") && violations.stream()
                .anyMatch(v -> v.contains("[replica]") && v.contains("DeploymentSpec")), violations.toString());
        assertTrue(violations.stream().anyMatch(v -> v.contains("[containerPrt]") && v.contains("ContainerPort")
                && v.contains(".spec.template.spec.containers[0].ports[0]")), violations.toString());
    }

    @Test
    void aMisspeltFieldDeepInARenderedManifestIsCaught() {
        List<ObjectNode> objects = ChartRenderer.render("production-values.yaml");
        ObjectNode deployment = ChartRenderer.named(objects, "Deployment", "ec-export-control-licensing");
        ObjectNode probe = (ObjectNode) deployment.at("/spec/template/spec/containers/0/readinessProbe/httpGet");
        probe.set("prot", probe.remove("port"));
        ObjectNode policy = ChartRenderer.named(objects, "NetworkPolicy", "ec-export-control-from-ingress");
        ((ObjectNode) policy.at("/spec")).put("podSelectr", "x");
        ObjectNode hpa = ChartRenderer.named(objects, "HorizontalPodAutoscaler", "ec-export-control-gateway");
        ((ObjectNode) hpa.at("/spec/metrics/0/resource/target")).put("averageUtilisation", 70);
        List<String> violations = ManifestChecker.violations(objects);
        assertEquals(3, violations.size(), violations.toString());
        assertTrue(violations.stream().anyMatch(v -> v.contains("[prot]") && v.contains("HTTPGetAction")), violations.toString());
        assertTrue(violations.stream().anyMatch(v -> v.contains("[podSelectr]")), violations.toString());
        assertTrue(violations.stream().anyMatch(v -> v.contains("[averageUtilisation]")), violations.toString());
    }

    @Test
    void wrongTypesUnknownKindsAndBadCustomResourcesAreCaught() {
        List<ObjectNode> objects = ChartRenderer.render("production-values.yaml");
        ObjectNode deployment = ChartRenderer.named(objects, "Deployment", "ec-export-control-notification");
        ((ObjectNode) deployment.at("/spec")).put("revisionHistoryLimit", "five");
        ObjectNode monitor = ChartRenderer.named(objects, "ServiceMonitor", "ec-export-control-notification");
        ((ObjectNode) monitor.at("/spec/endpoints/0")).put("intervall", "30s");
        ObjectNode unknown = ChartRenderer.YAML.createObjectNode();
        unknown.put("apiVersion", "example.org/v1").put("kind", "Widget").putObject("metadata").put("name", "w");
        objects = new java.util.ArrayList<>(objects);
        objects.add(unknown);
        List<String> violations = ManifestChecker.violations(objects);
        assertEquals(3, violations.size(), violations.toString());
        assertTrue(violations.stream().anyMatch(v -> v.startsWith("Deployment/ec-export-control-notification")
                && v.contains("does not read")), violations.toString());
        assertTrue(violations.stream().anyMatch(v -> v.startsWith("ServiceMonitor/") && v.contains("intervall")),
                violations.toString());
        assertTrue(violations.stream().anyMatch(v -> v.contains("unknown API type example.org/v1/Widget")),
                violations.toString());
    }
}
