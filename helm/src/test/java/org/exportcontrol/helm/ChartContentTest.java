package org.exportcontrol.helm;

import static org.exportcontrol.helm.ChartRenderer.named;
import static org.exportcontrol.helm.ChartRenderer.ofKind;
import static org.exportcontrol.helm.ChartRenderer.render;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the rendered chart must hold for every service, checked on each value set: the objects
 * per service, probes, resources, the restricted security context, the environment the services
 * read (cross-checked with their application.properties), labels, network exposure and Ingress.
 */
class ChartContentTest {

    static final List<String> SERVICES = List.of("licensing", "provincial-reporting", "enforcement-coordination",
            "notification", "gateway");
    static final String PREFIX = ChartRenderer.RELEASE + "-export-control-";
    static final Set<String> CONFIG_KEYS = Set.of("HTTP_PORT", "DB_HOST", "DB_PORT", "DB_NAME", "DB_USER",
            "KEYCLOAK_URL", "ENFORCEMENT_GRPC_ADDRESS", "NOTIFICATION_GRPC_ADDRESS", "LICENSING_GRPC_ADDRESS",
            "REPORTING_GRPC_ADDRESS", "GATEWAY_GRPC_ADDRESS", "AUDIT_EXCHANGE_INTERVAL", "LOG_JSON",
            "GRPC_REFLECTION_ENABLED", "OTEL_SDK_DISABLED");
    /** The peers' addresses: outbox destinations and the audit head exchange (platform.audit.peers.*). */
    static final List<String> ADDRESSES = List.of("ENFORCEMENT_GRPC_ADDRESS", "NOTIFICATION_GRPC_ADDRESS",
            "LICENSING_GRPC_ADDRESS", "REPORTING_GRPC_ADDRESS", "GATEWAY_GRPC_ADDRESS");

    @ParameterizedTest
    @ValueSource(strings = {"minimal-values.yaml", "production-values.yaml", "ingress-tls-values.yaml"})
    void everyServiceHasItsObjects(String valueSet) {
        List<ObjectNode> objects = render(valueSet);
        boolean production = valueSet.startsWith("production");
        for (String service : SERVICES) {
            String name = PREFIX + service;
            for (String kind : List.of("Deployment", "Service", "ServiceAccount", "ConfigMap", "PodDisruptionBudget")) {
                named(objects, kind, name);
            }
            if (production) {
                JsonNode hpa = named(objects, "HorizontalPodAutoscaler", name).path("spec");
                assertEquals(name, hpa.path("scaleTargetRef").path("name").asText());
                assertTrue(hpa.path("minReplicas").asInt() >= 2, "HA needs at least two replicas");
                assertTrue(named(objects, "Deployment", name).path("spec").path("replicas").isMissingNode(),
                        "with an HPA the Deployment must not set replicas");
                named(objects, "ServiceMonitor", name);
            }
            JsonNode port = named(objects, "Service", name).path("spec").path("ports");
            assertEquals(1, port.size(), "one port carries REST and gRPC");
            assertEquals("http", port.get(0).path("name").asText());
            assertEquals(8080, port.get(0).path("port").asInt());
        }
        if (!production) {
            assertTrue(ofKind(objects, "HorizontalPodAutoscaler").isEmpty());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"minimal-values.yaml", "production-values.yaml", "ingress-tls-values.yaml"})
    void everyDeploymentHasProbesResourcesAndARestrictedSecurityContext(String valueSet) {
        List<ObjectNode> deployments = ofKind(render(valueSet), "Deployment");
        assertFalse(deployments.isEmpty());
        for (ObjectNode deployment : deployments) {
            String where = deployment.path("metadata").path("name").asText();
            JsonNode pod = deployment.path("spec").path("template").path("spec");
            JsonNode podSecurity = pod.path("securityContext");
            assertTrue(podSecurity.path("runAsNonRoot").asBoolean(), where + ": pod runAsNonRoot");
            assertTrue(podSecurity.path("runAsUser").asInt() > 0, where + ": pod runs as a non-zero uid");
            assertEquals("RuntimeDefault", podSecurity.path("seccompProfile").path("type").asText(), where);
            assertFalse(pod.path("automountServiceAccountToken").asBoolean(true), where + ": no API token mounted");
            for (JsonNode container : pod.path("containers")) {
                for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                    assertFalse(container.path(probe).isMissingNode(), where + ": " + probe);
                }
                for (String bound : List.of("requests", "limits")) {
                    for (String resource : List.of("cpu", "memory")) {
                        assertFalse(container.path("resources").path(bound).path(resource).isMissingNode(),
                                where + ": resources." + bound + "." + resource);
                    }
                }
                JsonNode security = container.path("securityContext");
                assertTrue(security.path("runAsNonRoot").asBoolean(), where + ": container runAsNonRoot");
                assertFalse(security.path("allowPrivilegeEscalation").asBoolean(true), where + ": privilege escalation");
                assertFalse(security.path("privileged").asBoolean(true), where + ": privileged");
                assertEquals("[\"ALL\"]", security.path("capabilities").path("drop").toString(), where + ": capabilities");
                assertEquals("RuntimeDefault", security.path("seccompProfile").path("type").asText(), where);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"minimal-values.yaml", "production-values.yaml", "ingress-tls-values.yaml"})
    void servicesProbeTheQuarkusHealthEndpointsWithAReadOnlyRootAndATmpVolume(String valueSet) {
        List<ObjectNode> objects = render(valueSet);
        for (String service : SERVICES) {
            JsonNode pod = named(objects, "Deployment", PREFIX + service).path("spec").path("template").path("spec");
            JsonNode container = pod.path("containers").get(0);
            assertEquals("/q/health/started", container.path("startupProbe").path("httpGet").path("path").asText());
            assertEquals("/q/health/live", container.path("livenessProbe").path("httpGet").path("path").asText());
            assertEquals("/q/health/ready", container.path("readinessProbe").path("httpGet").path("path").asText());
            assertEquals(8080, container.path("ports").get(0).path("containerPort").asInt());
            assertEquals("http", container.path("ports").get(0).path("name").asText());
            assertTrue(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean(), service);
            String tmpVolume = null;
            for (JsonNode mount : container.path("volumeMounts")) {
                if (mount.path("mountPath").asText().equals("/tmp")) {
                    tmpVolume = mount.path("name").asText();
                }
            }
            assertNotNull(tmpVolume, service + ": /tmp must be mounted");
            boolean emptyDir = false;
            for (JsonNode volume : pod.path("volumes")) {
                emptyDir |= volume.path("name").asText().equals(tmpVolume) && volume.has("emptyDir");
            }
            assertTrue(emptyDir, service + ": /tmp is an emptyDir");
            assertTrue(container.path("image").asText().contains("exportcontrol/" + service + ":"), container.path("image").asText());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"minimal-values.yaml", "production-values.yaml", "ingress-tls-values.yaml"})
    void servicesGetTheEnvironmentTheyRead(String valueSet) throws IOException {
        List<ObjectNode> objects = render(valueSet);
        Set<String> serviceNames = ofKind(objects, "Service").stream()
                .map(s -> s.path("metadata").path("name").asText()).collect(Collectors.toSet());
        for (String service : SERVICES) {
            String properties = Files.readString(ChartRenderer.repoRoot()
                    .resolve("services/" + service + "/src/main/resources/application.properties"));
            JsonNode data = named(objects, "ConfigMap", PREFIX + service).path("data");
            for (String key : CONFIG_KEYS) {
                assertTrue(data.has(key), service + ": ConfigMap lacks " + key);
            }
            assertEquals("8080", data.path("HTTP_PORT").asText());
            assertEquals("true", data.path("LOG_JSON").asText());
            assertEquals("false", data.path("GRPC_REFLECTION_ENABLED").asText());
            assertEquals("60s", data.path("AUDIT_EXCHANGE_INTERVAL").asText());
            // every audit peer the service names is reached through a variable the chart sets
            Matcher peer = Pattern.compile("platform\\.audit\\.peers\\.[a-z-]+=\\$\\{([A-Z_]+):").matcher(properties);
            int peers = 0;
            while (peer.find()) {
                peers++;
                assertTrue(ADDRESSES.contains(peer.group(1)), service + ": audit peer via " + peer.group(1));
            }
            assertEquals(4, peers, service + ": the other four services are its audit peers");
            // the database name the service defaults to is the one the chart sets
            Matcher dbName = Pattern.compile("platform\\.db\\.name=\\$\\{DB_NAME:([a-z_]+)}").matcher(properties);
            assertTrue(dbName.find(), service + ": no DB_NAME default in application.properties");
            assertEquals(dbName.group(1), data.path("DB_NAME").asText(), service);
            for (String address : ADDRESSES) {
                String[] hostPort = data.path(address).asText().split(":");
                assertTrue(serviceNames.contains(hostPort[0]), address + " names no Service: " + data.path(address));
                assertEquals("8080", hostPort[1]);
            }
            // secrets come from Secrets, under the exact names application.properties reads
            Matcher secret = Pattern.compile("credentials\\.secret=\\$\\{(EC_[A-Z]+_CLIENT_SECRET):}").matcher(properties);
            assertTrue(secret.find(), service + ": no client secret variable in application.properties");
            Map<String, JsonNode> env = new HashMap<>();
            JsonNode container = named(objects, "Deployment", PREFIX + service).path("spec").path("template")
                    .path("spec").path("containers").get(0);
            container.path("env").forEach(e -> env.put(e.path("name").asText(), e));
            for (String variable : List.of("DB_PASSWORD", secret.group(1))) {
                assertTrue(env.containsKey(variable), service + ": env lacks " + variable);
                assertFalse(env.get(variable).path("valueFrom").path("secretKeyRef").path("name").asText().isEmpty(),
                        service + ": " + variable + " must come from a Secret");
                assertFalse(env.get(variable).has("value"), service + ": " + variable + " must not be a plain value");
                assertFalse(data.has(variable), service + ": " + variable + " must not be in the ConfigMap");
            }
            assertEquals(PREFIX + service, container.path("envFrom").get(0).path("configMapRef").path("name").asText());
            // every peer host/port/address a service reads from the environment is set, and names a Service
            Matcher read = Pattern.compile("\\$\\{([A-Z]+_GRPC_(?:HOST|PORT|ADDRESS)):").matcher(properties);
            int reads = 0;
            while (read.find()) {
                reads++;
                String variable = read.group(1);
                assertTrue(data.has(variable), service + " reads " + variable + ", which the ConfigMap does not set");
                String value = data.path(variable).asText();
                if (variable.endsWith("_HOST")) {
                    assertTrue(serviceNames.contains(value), service + ": " + variable + " names no Service: " + value);
                } else if (variable.endsWith("_PORT")) {
                    assertEquals("8080", value, service + ": " + variable);
                } else {
                    assertTrue(serviceNames.contains(value.replaceFirst(":8080$", "")), service + ": " + variable + " = " + value);
                }
            }
            assertTrue(reads >= 4, service + " reads its peers' addresses: " + reads);
            env.keySet().forEach(k -> assertFalse(data.has(k), service + ": " + k + " both plain and from a Secret"));
            data.fieldNames().forEachRemaining(k -> assertFalse(k.endsWith("PASSWORD") || k.endsWith("SECRET"),
                    service + ": secret-like " + k + " in the ConfigMap"));
        }
        if (valueSet.startsWith("production")) {
            JsonNode notification = named(objects, "Deployment", PREFIX + "notification").at("/spec/template/spec/containers/0");
            boolean smtpPassword = false;
            for (JsonNode e : notification.path("env")) {
                smtpPassword |= e.path("name").asText().equals("SMTP_PASSWORD")
                        && e.at("/valueFrom/secretKeyRef/name").asText().equals("export-control-smtp");
            }
            assertTrue(smtpPassword, "secretEnv renders as a secretKeyRef");
            assertEquals("https://export-control.authority.example",
                    named(objects, "ConfigMap", PREFIX + "notification").at("/data/GATEWAY_URL").asText());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"minimal-values.yaml", "production-values.yaml", "ingress-tls-values.yaml"})
    void everyObjectCarriesTheRecommendedLabels(String valueSet) {
        for (ObjectNode object : render(valueSet)) {
            JsonNode labels = object.path("metadata").path("labels");
            String where = object.path("kind").asText() + "/" + object.path("metadata").path("name").asText();
            for (String label : List.of("app.kubernetes.io/instance", "app.kubernetes.io/managed-by",
                    "app.kubernetes.io/part-of", "app.kubernetes.io/version", "helm.sh/chart")) {
                assertTrue(labels.has(label), where + " lacks label " + label);
            }
            assertEquals(ChartRenderer.RELEASE, labels.path("app.kubernetes.io/instance").asText(), where);
            assertEquals(ChartRenderer.NAMESPACE, object.path("metadata").path("namespace").asText(), where);
        }
    }

    @Test
    void onlyTheGatewayAndTheProvincialEntryAreReachableFromOutside() {
        List<ObjectNode> objects = render("production-values.yaml");
        List<ObjectNode> policies = ofKind(objects, "NetworkPolicy");
        // a default deny selects every pod of the release
        ObjectNode deny = named(objects, "NetworkPolicy", "ec-export-control-default-deny");
        assertTrue(deny.path("spec").path("ingress").isMissingNode() || deny.path("spec").path("ingress").isEmpty());
        assertTrue(deny.path("spec").path("policyTypes").toString().contains("Ingress"));
        Set<String> reachableFromIngressController = new TreeSet<>();
        for (ObjectNode policy : policies) {
            JsonNode spec = policy.path("spec");
            for (JsonNode rule : spec.path("ingress")) {
                for (JsonNode peer : rule.path("from")) {
                    if (peer.has("ipBlock")) {
                        throw new AssertionError(policy.path("metadata").path("name") + " admits an ipBlock");
                    }
                    if (!peer.has("namespaceSelector")) {
                        assertEquals("{\"app.kubernetes.io/instance\":\"ec\",\"app.kubernetes.io/part-of\":\"export-control\"}",
                                peer.path("podSelector").path("matchLabels").toString(), "pod peers are the release's own");
                        continue;
                    }
                    String namespace = peer.path("namespaceSelector").path("matchLabels")
                            .path("kubernetes.io/metadata.name").asText();
                    if (namespace.equals("monitoring")) {
                        assertEquals("[{\"port\":8080,\"protocol\":\"TCP\"}]", rule.path("ports").toString());
                        continue;
                    }
                    assertEquals("ingress-nginx", namespace, "only the ingress controller comes from outside");
                    spec.path("podSelector").path("matchExpressions").forEach(e -> e.path("values")
                            .forEach(v -> reachableFromIngressController.add(v.asText())));
                    assertTrue(spec.path("podSelector").path("matchLabels").size() >= 1);
                }
            }
        }
        assertEquals(Set.of("gateway", "notification", "provincial-reporting"), reachableFromIngressController);
    }

    @Test
    void ingressesServeTlsAndExposeNeitherQNorOtherServices() {
        List<ObjectNode> objects = render("ingress-tls-values.yaml");
        List<ObjectNode> ingresses = ofKind(objects, "Ingress");
        assertEquals(2, ingresses.size());
        for (ObjectNode ingress : ingresses) {
            JsonNode spec = ingress.path("spec");
            assertFalse(spec.path("tls").isEmpty(), "TLS");
            Set<String> tlsHosts = new HashSet<>();
            spec.path("tls").forEach(t -> {
                assertFalse(t.path("secretName").asText().isEmpty());
                t.path("hosts").forEach(h -> tlsHosts.add(h.asText()));
            });
            spec.path("rules").forEach(r -> assertTrue(tlsHosts.contains(r.path("host").asText()), "every host has TLS"));
        }
        Map<String, String> gateway = paths(named(objects, "Ingress", PREFIX + "gateway"));
        assertEquals(Map.of("/q", "ec-export-control-closed", "/", PREFIX + "gateway"), gateway);
        JsonNode closed = named(objects, "Service", "ec-export-control-closed").path("spec");
        assertTrue(closed.path("selector").isMissingNode() || closed.path("selector").isEmpty(),
                "the /q backend must have no endpoints");
        Map<String, String> provincial = paths(named(objects, "Ingress", "ec-export-control-provincial"));
        assertEquals(Map.of("/exportcontrol.reporting.v1.", PREFIX + "provincial-reporting",
                "/exportcontrol.notification.v1.SubscriptionService/", PREFIX + "notification"), provincial);
        assertEquals("GRPC", named(objects, "Ingress", "ec-export-control-provincial").path("metadata")
                .path("annotations").path("nginx.ingress.kubernetes.io/backend-protocol").asText());
        for (ObjectNode ingress : ingresses) {
            for (JsonNode rule : ingress.path("spec").path("rules")) {
                for (JsonNode path : rule.path("http").path("paths")) {
                    String backend = path.path("backend").path("service").path("name").asText();
                    assertTrue(Set.of(PREFIX + "gateway", PREFIX + "provincial-reporting", PREFIX + "notification",
                            "ec-export-control-closed").contains(backend), "exposed: " + backend);
                    if (path.path("path").asText().startsWith("/q")) {
                        assertEquals("ec-export-control-closed", backend, "/q/* must not reach a service");
                    }
                }
            }
        }
    }

    @Test
    void theNotificationSubscriptionPathIsAValue() {
        Path values = ChartRenderer.valueSet("ingress-tls-values.yaml");
        List<ObjectNode> objects = ChartRenderer.parse(ChartRenderer.template(ChartRenderer.chartDir(), List.of(values),
                Map.of("ingress.provincial.notificationSubscriptionPath", "/exportcontrol.notification.v1.PushService/")));
        assertTrue(paths(named(objects, "Ingress", "ec-export-control-provincial"))
                .containsKey("/exportcontrol.notification.v1.PushService/"));
    }

    @Test
    void theMinimalInstallExposesNothingAndMonitorsNothing() {
        List<ObjectNode> objects = render("minimal-values.yaml");
        assertTrue(ofKind(objects, "Ingress").isEmpty());
        assertTrue(ofKind(objects, "ServiceMonitor").isEmpty());
        assertTrue(ofKind(objects, "Secret").isEmpty(), "the minimal install uses the operator's Secret");
        assertEquals("https://sso.authority.example", named(objects, "ConfigMap", PREFIX + "licensing").path("data")
                .path("KEYCLOAK_URL").asText());
        assertTrue(named(objects, "Deployment", PREFIX + "gateway").path("spec").path("replicas").asInt() >= 1);
    }

    private static Map<String, String> paths(JsonNode ingress) {
        Map<String, String> paths = new HashMap<>();
        for (JsonNode rule : ingress.path("spec").path("rules")) {
            for (JsonNode path : rule.path("http").path("paths")) {
                paths.put(path.path("path").asText(), path.path("backend").path("service").path("name").asText());
            }
        }
        return paths;
    }
}
