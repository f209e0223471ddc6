package org.exportcontrol.helm;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * Checks rendered manifests against the Kubernetes API types: each object is read into its
 * fabric8 model class (by apiVersion and kind), and any field the type does not know (a misspelt
 * or unknown field ends up in a model object's additionalProperties) anywhere in the object graph,
 * a wrong value type or an unknown kind is a violation. Custom resources are checked against their
 * own JSON schema kept in the test resources (schemas/).
 */
final class ManifestChecker {

    /** The built-in API types the chart may render. */
    static final Map<String, Class<?>> BUILT_IN = Map.of(
            "v1/ConfigMap", ConfigMap.class,
            "v1/Secret", Secret.class,
            "v1/Service", Service.class,
            "v1/ServiceAccount", ServiceAccount.class,
            "apps/v1/Deployment", Deployment.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class,
            "networking.k8s.io/v1/Ingress", Ingress.class);

    /** Custom resources and the JSON schema (test resources) each is validated with. */
    static final Map<String, String> CUSTOM = Map.of(
            "monitoring.coreos.com/v1/ServiceMonitor", "/schemas/servicemonitor-monitoring.coreos.com-v1.json");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ManifestChecker() {
    }

    /** Every violation in the given objects, as "Kind/name: problem" lines (empty when all is well). */
    static List<String> violations(List<ObjectNode> objects) {
        List<String> violations = new ArrayList<>();
        for (ObjectNode object : objects) {
            String type = object.path("apiVersion").asText() + "/" + object.path("kind").asText();
            String where = object.path("kind").asText() + "/" + object.path("metadata").path("name").asText();
            if (BUILT_IN.containsKey(type)) {
                try {
                    Object model = MAPPER.treeToValue(object, BUILT_IN.get(type));
                    walk(model, "", where, violations, new IdentityHashMap<>());
                } catch (IOException | IllegalArgumentException e) {
                    violations.add(where + ": does not read as " + type + ": " + e.getMessage());
                }
            } else if (CUSTOM.containsKey(type)) {
                for (ValidationMessage message : schema(CUSTOM.get(type)).validate(object)) {
                    violations.add(where + ": " + message.getMessage());
                }
            } else {
                violations.add(where + ": unknown API type " + type + " (neither a Kubernetes type checked here "
                        + "nor a custom resource with a schema in test resources)");
            }
        }
        return violations;
    }

    static JsonSchema schema(String resource) {
        try (InputStream in = ManifestChecker.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            JsonNode schema = MAPPER.readTree(in);
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(schema);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Walks the fabric8 object graph by its fields; reports every non-empty additionalProperties. */
    private static void walk(Object value, String path, String where, List<String> violations,
            Map<Object, Boolean> seen) {
        if (value == null || isLeaf(value.getClass())) {
            return;
        }
        if (value instanceof Collection<?> collection) {
            int i = 0;
            for (Object element : collection) {
                walk(element, path + "[" + i++ + "]", where, violations, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                walk(entry.getValue(), path + "[" + entry.getKey() + "]", where, violations, seen);
            }
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.") || seen.put(value, Boolean.TRUE) != null) {
            return;
        }
        for (Class<?> type = value.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                field.setAccessible(true);
                Object fieldValue;
                try {
                    fieldValue = field.get(value);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
                if (field.getName().equals("additionalProperties")) {
                    if (fieldValue instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        violations.add(where + ": unknown field(s) " + extra.keySet() + " at "
                                + (path.isEmpty() ? "/" : path) + " (" + value.getClass().getSimpleName() + ")");
                    }
                    continue;
                }
                walk(fieldValue, path + "." + field.getName(), where, violations, seen);
            }
        }
    }

    private static boolean isLeaf(Class<?> type) {
        return type.isPrimitive() || type.isEnum() || type.getName().startsWith("java.lang.")
                || Number.class.isAssignableFrom(type) || CharSequence.class.isAssignableFrom(type);
    }
}
