// Every credential form is redacted, whatever its case, and text without one comes back as it was.
import assert from "node:assert/strict";
import { test } from "node:test";
import { REDACTED, redactCredentials } from "../../src/observe/redact.js";
import { createRedactor, secretForms } from "../../src/observe/redactor.js";

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
    `ghp_${"a1B2c3D4e5".repeat(4)}`,
    `gho_${"a1B2c3D4e5".repeat(4)}`,
    `github_pat_${"11ABCDEFG0".repeat(3)}`,
    "xoxb-1234567890-0987654321-abcdefGHIJKL",
    "xoxp-1234567890-abcdefGHIJ",
    `sk_live_${"4eC39HqLyj".repeat(2)}`,
    `rk_test_${"4eC39HqLyj".repeat(2)}`,
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTQyIn0.c2lnbmF0dXJlLXZhbHVl",
    `ya29.${"a0AfH6SMB".repeat(3)}`,
  ];
  for (const c of credentials) {
    const out = redactCredentials(`before ${c} after`);
    assert.equal(out, `before ${REDACTED} after`, c);
  }
  for (const pair of [
    "api_key=abcdefgh12345",
    'client_secret: "abcdefgh12345"',
    '{\\"password\\":\\"abcdefgh12345\\"}',
    "X-API-KEY: abcdefgh12345",
    'Authorization: "abcdefgh12345"',
    "apikey=abcdefgh12345",
  ]) {
    const out = redactCredentials(pair);
    assert.ok(out.includes(REDACTED) && !out.includes("abcdefgh12345"), `${pair} -> ${out}`);
  }
  const plain = "The battery lasts two days; the screen is gorgeous. Score 9/10, would buy again.";
  assert.equal(redactCredentials(plain), plain);
});

test("every escaped form of a secret is redacted, longest first; the user's patterns apply too", () => {
  const secret = `Tr&"ust<Me>'42`;
  const forms = secretForms(secret);
  for (const text of [
    secret,
    "Tr&amp;&quot;ust&lt;Me>'42",
    "Tr&amp;&quot;ust&lt;Me&gt;&#39;42",
    JSON.stringify(secret),
    JSON.stringify(JSON.stringify(secret)),
  ]) {
    assert.ok(
      forms.some((f) => text.includes(f)),
      text,
    );
  }
  const redaction = createRedactor({ patterns: [/CUST-\d{6}/] }).forCall([secret]);
  assert.equal(redaction.text(`a ${JSON.stringify({ s: secret })} CUST-123456 b`), `a {"s":"${REDACTED}"} ${REDACTED} b`);
  assert.deepEqual(redaction.value({ [secret]: [secret, 1] }), { [REDACTED]: [REDACTED, 1] });
  const plain = { a: "nothing here" };
  assert.equal(redaction.value(plain), plain, "unchanged values are not copied");
});
