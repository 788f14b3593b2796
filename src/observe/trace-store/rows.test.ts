// The writer's pure row builders and its named statements: a call's end gives the same columns whether its row is
// written whole or updated later, metadata mode keeps no text, and `@name` parameters bind by name (repeats too)
// with a missing one refused.
import assert from "node:assert/strict";
import { test } from "node:test";
import Database from "better-sqlite3";
import { attempt, callEvents, usage } from "../../../test/observe/helpers.js";
import { MissingParameterError, prepareNamed } from "./named-statement.js";
import { type CallEnd, type CallStart, callEndRow, gatherCall, gatheredCallRow } from "./rows.js";
import { createStoredTexts } from "./stored-texts.js";

function endedCall() {
  const events = callEvents({
    callId: "c1",
    attempts: [
      attempt({
        id: "c1.1",
        outcome: "timeout",
        estimated: true,
        usage: usage({ inputTokens: 40 }),
        error: { kind: "timeout", message: "slow" },
      }),
      attempt({ id: "c1.2", rung: 1, model: "backup", responseText: '{"ok":true}' }),
    ],
    model: "backup",
  });
  const start = events.find((e): e is CallStart => e.type === "call_start")!;
  const end = events.find((e): e is CallEnd => e.type === "call_end")!;
  return { start, end };
}

test("a call's end decides the same columns whether its row is written whole or updated later", () => {
  const { start, end } = endedCall();
  const texts = createStoredTexts({ content: "full", saveText: () => {} }).of([]);
  const g = gatherCall(start);
  g.end = end;
  const whole = gatheredCallRow(g, texts) as unknown as Record<string, unknown>;
  const later = callEndRow(end, 7, texts) as unknown as Record<string, unknown>;
  const shared = Object.keys(later).filter((k) => k !== "pk");
  assert.deepEqual(Object.fromEntries(shared.map((k) => [k, whole[k]])), Object.fromEntries(shared.map((k) => [k, later[k]])));
  assert.deepEqual([whole.fallback, whole.estimated, whole.input_tokens, whole.attempts], [1, 1, 140, 2]);
});

test("metadata mode: the row keeps no prompt, value, message or feedback text", () => {
  const { start, end } = endedCall();
  const texts = createStoredTexts({ content: "metadata", saveText: () => assert.fail("no text is saved") }).of([]);
  const g = gatherCall(start);
  g.end = end;
  const row = gatheredCallRow(g, texts);
  assert.deepEqual([row.prompt, row.value, row.prompt_feedback], [null, null, null]);
  assert.equal(row.errors, '[{"kind":"timeout"}]');
});

test("named parameters bind by name, a repeated one too; a row missing one is refused with its name", () => {
  const db = new Database(":memory:");
  db.exec("CREATE TABLE t (a, b, c)");
  const insert = prepareNamed<{ a: number; b: string }>(db, "INSERT INTO t (a, b, c) VALUES (@a, @b, @a + 1)");
  insert.run({ b: "x", a: 41 });
  assert.deepEqual(db.prepare("SELECT a, b, c FROM t").get(), { a: 41, b: "x", c: 42 });
  const fresh = prepareNamed<{ a: number; b: string }>(db, "INSERT INTO t (a, b) VALUES (@a, @b)");
  assert.throws(
    () => fresh.run({ a: 1 } as never),
    (e: unknown) => e instanceof MissingParameterError && e.parameter === "b",
  );
  db.close();
});
