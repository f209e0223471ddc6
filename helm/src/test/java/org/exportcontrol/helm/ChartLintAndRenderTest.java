package org.exportcontrol.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;

/** helm lint --strict is clean, and every value set renders into objects the Kubernetes API types accept. */
class ChartLintAndRenderTest {

    @Test
    void lintStrictIsClean() {
        LintResult result = new Helm(ChartRenderer.chartDir()).lint().strict().call();
        assertFalse(result.isFailed(), () -> "helm lint --strict failed: " + result.getMessages());
        assertTrue(result.getMessages().stream().noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]")),
                () -> "helm lint --strict reported: " + result.getMessages());
    }

    @ParameterizedTest
    @ValueSource(strings = {"minimal-values.yaml", "production-values.yaml", "ingress-tls-values.yaml"})
    void everyRenderedObjectIsAValidKubernetesObject(String valueSet) {
        List<ObjectNode> objects = ChartRenderer.render(valueSet);
        assertTrue(objects.size() >= 5 * 5, "too few objects rendered: " + objects.size());
        assertEquals(List.of(), ManifestChecker.violations(objects));
    }
}
