/**
 * Walks a JSON Schema once, yielding every sub-schema with its field path (`a.b[].c`), its object depth and
 * its property name, following `$defs` once each (a `$ref` seen again is a recursive schema).
 */
import type { JsonSchema } from "../../core/index.js";

export interface SchemaNode {
  schema: JsonSchema;
  path: string;
  /** How many objects enclose this node (the root object is depth 1). */
  depth: number;
  /** The property name this node is the value of, when it is one. */
  key?: string;
  /** The object that holds this node as a property. */
  parent?: JsonSchema;
  /** A branch of a union (or an array's items): its description lives on the enclosing node. */
  inner?: boolean;
}

export interface Walk {
  nodes: SchemaNode[];
  /** `$ref`s that point back to a definition being walked (recursive schemas). */
  recursiveRefs: string[];
}

const join = (path: string, key: string) => (path === "(root)" ? key : `${path}.${key}`);

export function walkSchema(root: JsonSchema): Walk {
  const nodes: SchemaNode[] = [];
  const recursiveRefs: string[] = [];
  const visit = (
    schema: JsonSchema,
    path: string,
    depth: number,
    active: Set<string>,
    key?: string,
    parent?: JsonSchema,
    inner = false,
  ) => {
    if (schema.$ref) {
      const ref = schema.$ref;
      const name = ref === "#" ? "#" : ref.replace(/^#\/\$defs\//, "");
      if (active.has(name)) {
        recursiveRefs.push(`${path} -> ${ref}`);
        return;
      }
      const target = ref === "#" ? root : root.$defs?.[name];
      // A description next to the $ref describes the field: keep it on the definition's node.
      const described = target && schema.description ? { ...target, description: schema.description } : target;
      if (described) visit(described, path, depth, new Set([...active, name]), key, parent, inner);
      return;
    }
    const isObject = schema.type === "object" || schema.properties !== undefined;
    const here = isObject ? depth + 1 : depth;
    nodes.push({
      schema,
      path,
      depth: here,
      ...(key !== undefined ? { key } : {}),
      ...(parent ? { parent } : {}),
      ...(inner ? { inner } : {}),
    });
    for (const [k, child] of Object.entries(schema.properties ?? {})) visit(child, join(path, k), here, active, k, schema);
    if (schema.items) visit(schema.items, `${path === "(root)" ? "" : path}[]`, here, active, undefined, undefined, true);
    if (typeof schema.additionalProperties === "object")
      visit(schema.additionalProperties, join(path, "*"), here, active, undefined, undefined, true);
    for (const branch of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) {
      visit(branch, path, depth, active, key, parent, true);
    }
  };
  visit(root, "(root)", 0, new Set(["#"]));
  return { nodes, recursiveRefs };
}
