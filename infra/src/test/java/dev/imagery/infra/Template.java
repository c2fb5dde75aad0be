package dev.imagery.infra;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The parsed template, with the few navigation helpers the tests need. */
final class Template {

    private final Map<String, Object> root;

    private Template(Map<String, Object> root) {
        this.root = root;
    }

    static Template load(Path file) {
        return new Template(CloudFormationYaml.load(file));
    }

    Map<String, Object> section(String name) {
        return map(root.get(name));
    }

    Map<String, Object> resource(String logicalId) {
        Map<String, Object> resource = map(section("Resources").get(logicalId));
        if (resource == null) {
            throw new AssertionError("The template has no resource " + logicalId);
        }
        return resource;
    }

    Map<String, Object> properties(String logicalId) {
        return map(resource(logicalId).get("Properties"));
    }

    String type(String logicalId) {
        return (String) resource(logicalId).get("Type");
    }

    /** Logical ids of the resources of one type, in template order. */
    List<String> ofType(String type) {
        return section("Resources").entrySet().stream()
                .filter(entry -> type.equals(map(entry.getValue()).get("Type")))
                .map(Map.Entry::getKey)
                .toList();
    }

    Map<String, Object> parameter(String name) {
        return map(section("Parameters").get(name));
    }

    // ------------------------------------------------------------ intrinsic functions

    /** The name in {"Ref": name}, or null when the value is something else. */
    static String ref(Object value) {
        return value instanceof Map<?, ?> function && function.size() == 1 && function.get("Ref") instanceof String name
                ? name : null;
    }

    /** "Resource.Attribute" for {"Fn::GetAtt": [Resource, Attribute]}, or null. */
    static String getAtt(Object value) {
        return value instanceof Map<?, ?> function && function.get("Fn::GetAtt") instanceof List<?> parts
                ? parts.get(0) + "." + parts.get(1) : null;
    }

    /** The string of {"Fn::Sub": string}, or null. */
    static String sub(Object value) {
        return value instanceof Map<?, ?> function && function.get("Fn::Sub") instanceof String text ? text : null;
    }

    /** The two branches of {"Fn::If": [condition, then, else]}, or the value itself. */
    static List<Object> branches(Object value) {
        if (value instanceof Map<?, ?> function && function.get("Fn::If") instanceof List<?> parts) {
            return List.of(parts.get(1), parts.get(2));
        }
        return List.of(value);
    }

    // ------------------------------------------------------------ plain navigation

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value == null ? null : (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        if (value == null) {
            return List.of();
        }
        return value instanceof List<?> items ? (List<Object>) items : List.of(value);
    }

    /** Follows map keys and list indexes; null as soon as a step is missing. */
    static Object at(Object value, Object... path) {
        Object current = value;
        for (Object step : path) {
            if (current instanceof Map<?, ?> map) {
                current = map.get(step);
            } else if (current instanceof List<?> list && step instanceof Integer index && index < list.size()) {
                current = list.get(index);
            } else {
                return null;
            }
        }
        return current;
    }
}
