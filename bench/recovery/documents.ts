/**
 * Synthetic documents for the recovery bench: a valid JSON array of records of a given size, and the same
 * records "broken" the way models break them (every string single-quoted, a trailing comma everywhere).
 */

export interface SampleRecord {
  id: number;
  name: string;
  score: number;
  active: boolean;
  tags: string[];
  address: { street: string; city: string; zip: string | null };
  note: string;
}

export function makeRecord(i: number): SampleRecord {
  return {
    id: i,
    name: `customer ${i}`,
    score: Math.round(((i * 7919) % 10000) * 1.37) / 100,
    active: i % 3 !== 0,
    tags: ["alpha", `group-${i % 17}`, "long tag with spaces"],
    address: { street: `${i} Main Street`, city: i % 2 ? "Lisbon" : "Osaka", zip: i % 5 ? `${10000 + i}` : null },
    note: "Lorem ipsum dolor sit amet, consectetur adipiscing elit; sed do eiusmod tempor.",
  };
}

/** Records until the document reaches `bytes` characters. */
export function makeRecords(bytes: number): SampleRecord[] {
  const out: SampleRecord[] = [];
  let size = 2;
  for (let i = 0; size < bytes; i++) {
    const record = makeRecord(i);
    out.push(record);
    size += JSON.stringify(record).length + 1;
  }
  return out;
}

export function validDocument(records: SampleRecord[]): string {
  return JSON.stringify(records);
}

function brokenValue(value: unknown): string {
  if (value === null || typeof value !== "object") {
    return typeof value === "string" ? `'${value}'` : JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => `${brokenValue(v)},`).join(" ")}]`;
  return `{${Object.entries(value)
    .map(([k, v]) => `'${k}': ${brokenValue(v)},`)
    .join(" ")}}`;
}

/** Single quotes everywhere and a trailing comma in every container, one record per line. */
export function brokenDocument(records: SampleRecord[]): string {
  return `[\n${records.map((r) => `${brokenValue(r)},`).join("\n")}\n]`;
}
