package org.exportcontrol.helm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;

/** Renders the chart through the real Helm library (helm-java) and parses what it renders. */
final class ChartRenderer {

    static final String RELEASE = "ec";
    static final String NAMESPACE = "export-control";
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();

    /** The value sets every rendering test covers (helm/export-control/ci). */
    static final List<String> VALUE_SETS = List.of("minimal-values.yaml", "production-values.yaml",
            "ingress-tls-values.yaml");

    private ChartRenderer() {
    }

    static Path chartDir() {
        return Paths.get(System.getProperty("chart.dir", "export-control")).toAbsolutePath().normalize();
    }

    static Path repoRoot() {
        return Paths.get(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    }

    static Path valueSet(String name) {
        return chartDir().resolve("ci").resolve(name);
    }

    /** helm template of the chart in {@code chart} with the given values files and --set pairs. */
    static String template(Path chart, List<Path> valuesFiles, Map<String, Object> sets) {
        TemplateCommand command = new Helm(chart).template().withName(RELEASE).withNamespace(NAMESPACE);
        for (Path file : valuesFiles) {
            command = command.withValuesFile(file);
        }
        for (Map.Entry<String, Object> set : sets.entrySet()) {
            command = command.set(set.getKey(), set.getValue());
        }
        return command.call();
    }

    static String template(String valueSet) {
        return template(chartDir(), List.of(valueSet(valueSet)), Map.of());
    }

    /** Every object of a multi-document YAML stream (empty documents dropped). */
    static List<ObjectNode> parse(String manifests) {
        List<ObjectNode> objects = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(manifests)) {
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode node = it.next();
                if (node instanceof ObjectNode object && object.size() > 0) {
                    objects.add(object);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("rendered manifests are not YAML", e);
        }
        return objects;
    }

    static List<ObjectNode> render(String valueSet) {
        return parse(template(valueSet));
    }

    static List<ObjectNode> ofKind(List<ObjectNode> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    static ObjectNode named(List<ObjectNode> objects, String kind, String name) {
        return ofKind(objects, kind).stream().filter(o -> name.equals(o.path("metadata").path("name").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " named " + name));
    }

    /** Copies the chart to {@code target} (for tests that add a template or change a file). */
    static Path copyChart(Path target) throws IOException {
        Path source = chartDir();
        try (var files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path to = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(file, to);
                }
            }
        }
        return target;
    }
}
