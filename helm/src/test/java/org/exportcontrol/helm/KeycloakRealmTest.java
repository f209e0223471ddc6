package org.exportcontrol.helm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The trial Keycloak imports the chart's copy of the base realm, which must stay identical to
 * deploy/keycloak/export-control-realm.json (no demo users, no direct-access grants), and every
 * ${EC_...} placeholder of that realm must be required by the chart.
 */
class KeycloakRealmTest {

    static byte[] chartRealm() throws IOException {
        return Files.readAllBytes(ChartRenderer.chartDir().resolve("files/export-control-realm.json"));
    }

    static Set<String> placeholders(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("\\$\\{(EC_[A-Z0-9_]+)}").matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @Test
    void theChartsRealmIsTheBaseRealm() throws IOException {
        assertArrayEquals(Files.readAllBytes(ChartRenderer.repoRoot().resolve("deploy/keycloak/export-control-realm.json")),
                chartRealm(), "helm/export-control/files/export-control-realm.json must be a copy of "
                        + "deploy/keycloak/export-control-realm.json: cp deploy/keycloak/export-control-realm.json "
                        + "helm/export-control/files/");
    }

    @Test
    void theBaseRealmHasNoDemoUsersAndNoDirectAccessGrants() throws IOException {
        JsonNode realm = ChartRenderer.JSON.readTree(chartRealm());
        for (JsonNode user : realm.path("users")) {
            assertTrue(user.has("serviceAccountClientId"), "only service-account users: " + user.path("username"));
            assertFalse(user.has("credentials"), "no credentials in the base realm");
        }
        for (JsonNode client : realm.path("clients")) {
            assertFalse(client.path("directAccessGrantsEnabled").asBoolean(false), client.path("clientId").asText());
            assertFalse(client.path("clientId").asText().equals("demo-cli"));
        }
    }

    @Test
    void theTrialKeycloakImportsThatRealmAndRequiresEverySecret() throws IOException {
        Set<String> placeholders = placeholders(new String(chartRealm(), java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(9, placeholders.size(), placeholders.toString());

        List<ObjectNode> objects = ChartRenderer.render("ingress-tls-values.yaml");
        ObjectNode realmMap = ChartRenderer.named(objects, "ConfigMap", "ec-export-control-keycloak-realm");
        assertEquals(new String(chartRealm(), java.nio.charset.StandardCharsets.UTF_8).strip(),
                realmMap.path("data").path("export-control-realm.json").asText().strip());

        JsonNode container = ChartRenderer.named(objects, "Deployment", "ec-export-control-keycloak")
                .at("/spec/template/spec/containers/0");
        Set<String> fromSecret = new TreeSet<>();
        for (JsonNode env : container.path("env")) {
            JsonNode ref = env.path("valueFrom").path("secretKeyRef");
            if (!ref.isMissingNode()) {
                assertFalse(ref.path("optional").asBoolean(false), env.path("name") + " must not be optional");
                fromSecret.add(env.path("name").asText());
            }
        }
        assertTrue(fromSecret.containsAll(placeholders), "trial Keycloak env lacks " + placeholders);
        String script = container.path("command").toString();
        for (String name : placeholders) {
            assertTrue(script.contains(name), "the start script must refuse an empty " + name);
        }
        assertTrue(script.contains("--import-realm"));

        // the chart-made Secret holds every one
        JsonNode secret = ChartRenderer.named(objects, "Secret", "ec-export-control-client-secrets").path("stringData");
        for (String name : placeholders) {
            assertFalse(secret.path(name).asText().isEmpty(), name);
        }
        // and the schema requires every one when the chart creates the Secret
        JsonNode schema = ChartRenderer.JSON.readTree(ChartRenderer.chartDir().resolve("values.schema.json").toFile());
        Set<String> required = new TreeSet<>();
        schema.at("/properties/keycloak/properties/clientSecrets/then/properties/values/required")
                .forEach(n -> required.add(n.asText()));
        assertEquals(placeholders, required);
        // and the helper the templates use lists exactly them
        String helpers = Files.readString(ChartRenderer.chartDir().resolve("templates/_helpers.tpl"));
        Matcher list = Pattern.compile("define \"export-control.realmSecretKeys\" -}}\\s*\\n([^\\n]+)").matcher(helpers);
        assertTrue(list.find());
        assertEquals(placeholders, new TreeSet<>(List.of(list.group(1).trim().split(" "))));
    }
}
