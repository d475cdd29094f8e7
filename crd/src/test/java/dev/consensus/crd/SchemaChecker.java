package dev.consensus.crd;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a resource against the generated CRD's OpenAPI schema the way an API server does for the
 * parts that matter here: types, int-or-string, required fields, bounds, patterns, enums, and
 * unknown fields (refused, as kubectl's strict field validation refuses them). It does not run the
 * CEL rules (x-kubernetes-validations); only an API server does. Test code: the point is to show
 * the generated schema says what we mean.
 */
final class SchemaChecker {

  /** Fields the API server handles itself at the root, outside the schema's properties. */
  private static final Set<String> ROOT_FIELDS = Set.of("apiVersion", "kind", "metadata");

  private final List<String> errors = new ArrayList<>();

  private SchemaChecker() {
  }

  /** Every schema violation in {@code resource}, as "path: problem". */
  static List<String> check(JSONSchemaProps root, JsonNode resource) {
    SchemaChecker checker = new SchemaChecker();
    checker.object(root, resource, "", ROOT_FIELDS);
    return checker.errors;
  }

  private void value(JSONSchemaProps schema, JsonNode node, String path) {
    if (Boolean.TRUE.equals(schema.getXKubernetesIntOrString())) {
      if (!node.isIntegralNumber() && !node.isTextual()) {
        errors.add(path + ": must be an integer or a string");
      }
      return;
    }
    String type = schema.getType();
    if (type == null) {
      return;
    }
    switch (type) {
      case "object" -> object(schema, node, path, Set.of());
      case "array" -> array(schema, node, path);
      case "string" -> string(schema, node, path);
      case "integer" -> number(schema, node, path, node.isIntegralNumber());
      case "number" -> number(schema, node, path, node.isNumber());
      case "boolean" -> {
        if (!node.isBoolean()) {
          errors.add(path + ": must be a boolean");
        }
      }
      default -> errors.add(path + ": unknown schema type " + type);
    }
  }

  private void object(JSONSchemaProps schema, JsonNode node, String path, Set<String> passThrough) {
    if (!node.isObject()) {
      errors.add(path + ": must be an object");
      return;
    }
    Map<String, JSONSchemaProps> properties = schema.getProperties();
    if (schema.getRequired() != null) {
      for (String required : schema.getRequired()) {
        if (!node.has(required)) {
          errors.add(path + "." + required + ": Required value");
        }
      }
    }
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String fieldPath = path + "." + field.getKey();
      if (passThrough.contains(field.getKey())) {
        continue;
      }
      if (properties != null && properties.containsKey(field.getKey())) {
        value(properties.get(field.getKey()), field.getValue(), fieldPath);
      } else if (schema.getAdditionalProperties() != null && schema.getAdditionalProperties().getSchema() != null) {
        value(schema.getAdditionalProperties().getSchema(), field.getValue(), fieldPath);
      } else if (!Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields())) {
        errors.add(fieldPath + ": unknown field");
      }
    }
  }

  private void array(JSONSchemaProps schema, JsonNode node, String path) {
    if (!node.isArray()) {
      errors.add(path + ": must be an array");
      return;
    }
    for (int i = 0; i < node.size(); i++) {
      if (schema.getItems() != null && schema.getItems().getSchema() != null) {
        value(schema.getItems().getSchema(), node.get(i), path + "[" + i + "]");
      }
    }
  }

  private void string(JSONSchemaProps schema, JsonNode node, String path) {
    if (!node.isTextual()) {
      errors.add(path + ": must be a string");
      return;
    }
    String text = node.asText();
    if (schema.getPattern() != null && !java.util.regex.Pattern.compile(schema.getPattern()).matcher(text).find()) {
      errors.add(path + ": should match '" + schema.getPattern() + "'");
    }
    if (schema.getEnum() != null && !schema.getEnum().isEmpty() && schema.getEnum().stream().noneMatch(e -> e.asText().equals(text))) {
      errors.add(path + ": Unsupported value: \"" + text + "\"");
    }
  }

  private void number(JSONSchemaProps schema, JsonNode node, String path, boolean rightType) {
    if (!rightType) {
      errors.add(path + ": must be of type " + schema.getType());
      return;
    }
    double value = node.asDouble();
    if (schema.getMinimum() != null && value < schema.getMinimum()) {
      errors.add(path + ": should be greater than or equal to " + schema.getMinimum().longValue());
    }
    if (schema.getMaximum() != null && value > schema.getMaximum()) {
      errors.add(path + ": should be less than or equal to " + schema.getMaximum().longValue());
    }
  }
}
