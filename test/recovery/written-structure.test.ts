/**
 * A string field that gets structure: a model asked for text writes an object or a list instead
 * (`props: {title: string, onClick: () => void}` for a string). What it wrote is the text it meant;
 * an unquoted path with brackets (`route: /post/[id]`) is text too, not a regex followed by junk.
 * Through the public recover(text, { schema }).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { recover } from "ballast/recovery";

const component = {
  type: "object",
  properties: { name: { type: "string" }, props: { type: "string" } },
  required: ["name", "props"],
  additionalProperties: false,
} as const;

function recovered(text: string, schema: object) {
  const r = recover(text, { schema: schema as never });
  assert.ok(r.ok, r.ok ? "" : r.error);
  return r;
}

test("an unquoted object where a string is wanted becomes the text it was written as", () => {
  const r = recovered("{name: PostCard, props: {title: string, author: Author, onClick: () => void}}", component);
  assert.deepEqual(r.value, { name: "PostCard", props: "{title: string, author: Author, onClick: () => void}" });
  assert.ok(r.steps.includes("text:source@props"));
});

test("a list where a string is wanted, inside a list of records, keeps its written text", () => {
  const schema = { type: "array", items: component };
  const text = '[\n  {"name": "A", "props": "{x: number}"},\n  {"name": "B", "props": [{x: 1, y: 2}, {x: 3, y: 4},\n ]}\n]';
  const r = recovered(text, schema);
  assert.deepEqual(r.value, [
    { name: "A", props: "{x: number}" },
    { name: "B", props: "[{x: 1, y: 2}, {x: 3, y: 4},\n ]" },
  ]);
});

test("a one-key object still gives its value to a string field, as before", () => {
  const r = recovered('{"name": "A", "props": {"value": "x"}}', component);
  assert.deepEqual(r.value, { name: "A", props: "x" });
});

test("an object branch of a union still wins over the written text", () => {
  const schema = {
    type: "object",
    properties: { props: { anyOf: [{ type: "string" }, { type: "object", properties: { title: { type: "string" } } }] } },
    required: ["props"],
  };
  const r = recovered("{props: {title: Hello}}", schema);
  assert.deepEqual(r.value, { props: { title: "Hello" } });
});

test("an unquoted path with brackets is text, not a regex with junk after it", () => {
  const schema = { type: "object", properties: { route: { type: "string" }, name: { type: "string" } }, required: ["route", "name"] };
  assert.deepEqual(recovered("{route: /post/[id], name: PostPage}", schema).value, { route: "/post/[id]", name: "PostPage" });
  const bare = recover("{route: /post/[id]}");
  assert.ok(bare.ok);
  assert.deepEqual(bare.value, { route: "/post/[id]" });
  // a regex literal before a delimiter stays one
  const regex = recover('{"re": /a\\/b/, "n": 1}');
  assert.ok(regex.ok);
  assert.deepEqual(regex.value, { re: "/a\\/b/", n: 1 });
});
