// Every credential form is redacted, whatever its case, and text without one comes back as it was.
import assert from "node:assert/strict";
import { test } from "node:test";
import { REDACTED, redactCredentials } from "../../src/observe/redact.js";

test("each credential form is redacted; plain text is returned unchanged", () => {
  const credentials = [
    "sk-proj-ABCDEFGHIJKLMNOPQRST",
    "sk-ant-api03-abcdefghijklmnopqrstuvwxyz",
    "bearer abcdefghijk.lmnop",
    "BEARER abcdefghijk.lmnop",
    "AKIAABCDEFGHIJKLMNOP",
    "ASIAABCDEFGHIJKLMNOP",
    `AIza${"a".repeat(35)}`,
    "gsk-abcdefghijklmnopqrstuv",
    "pplx-abcdefghijklmnopqrstuv",
    "xai-abcdefghijklmnopqrstuv",
  ];
  for (const c of credentials) {
    const out = redactCredentials(`before ${c} after`);
    assert.equal(out, `before ${REDACTED} after`, c);
  }
  for (const pair of ["api_key=abcdefgh12345", "X-API-KEY: abcdefgh12345", 'Authorization: "abcdefgh12345"', "apikey=abcdefgh12345"]) {
    const out = redactCredentials(pair);
    assert.ok(out.includes(REDACTED) && !out.includes("abcdefgh12345"), `${pair} -> ${out}`);
  }
  const plain = "The battery lasts two days; the screen is gorgeous. Score 9/10, would buy again.";
  assert.equal(redactCredentials(plain), plain);
});
