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

interface Place {
  depth: number;
  /** $defs being expanded on the way here (a recursive reference stops the walk). */
  active: Set<string>;
  key?: string | undefined;
  parent?: JsonSchema | undefined;
  inner?: boolean;
}

const join = (path: string, key: string) => (path === "(root)" ? key : `${path}.${key}`);

export function walkSchema(root: JsonSchema): Walk {
  const nodes: SchemaNode[] = [];
  const recursiveRefs: string[] = [];
  /** `at`: depth, $defs being expanded, the property name and object holding it, and whether the node is inside an array, map or union. */
  const visit = (schema: JsonSchema, path: string, at: Place) => {
    const { depth, active, key, parent, inner = false } = at;
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
      if (described) visit(described, path, { ...at, active: new Set([...active, name]) });
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
    for (const [k, child] of Object.entries(schema.properties ?? {}))
      visit(child, join(path, k), { depth: here, active, key: k, parent: schema });
    if (schema.items) visit(schema.items, `${path === "(root)" ? "" : path}[]`, { depth: here, active, inner: true });
    if (typeof schema.additionalProperties === "object")
      visit(schema.additionalProperties, join(path, "*"), { depth: here, active, inner: true });
    for (const branch of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) {
      visit(branch, path, { depth, active, key, parent, inner: true });
    }
  };
  visit(root, "(root)", { depth: 0, active: new Set(["#"]) });
  return { nodes, recursiveRefs };
}
