/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The dashboard's front end: a hash router over six views, each a fetch of its JSON endpoint rendered with plain
 * DOM calls (text only, never HTML from the store) and uPlot charts. The overview and the traces list refresh
 * every 5 s while the tab is visible.
 */
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import "./style.css";
import { DASH, int, ms, pct, taskName, usd, when } from "./format.js";

type Json = any;
type Child = Node | string | null | undefined | false;

function h(tag: string, attrs: Record<string, string | undefined> = {}, ...children: Array<Child | Child[]>): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) el.setAttribute(k, v);
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

const VIEWS = [
  ["overview", "Overview"],
  ["health", "Structured output"],
  ["cache", "Cache"],
  ["guard", "Guard"],
  ["feedback", "Prompt feedback"],
  ["traces", "Traces"],
] as const;
const LIVE = new Set(["overview", "traces"]);
const REFRESH_MS = 5000;

interface Route {
  view: string;
  id?: string;
  params: URLSearchParams;
}

function route(): Route {
  const [path = "", query = ""] = location.hash.replace(/^#\/?/, "").split("?");
  const params = new URLSearchParams(query);
  if (!params.has("since")) params.set("since", "24h");
  const [view = "overview", id] = path.split("/");
  return {
    view: VIEWS.some(([v]) => v === view) || view === "trace" ? view : "overview",
    id: id ? decodeURIComponent(id) : undefined,
    params,
  };
}

const hrefOf = (view: string, params: URLSearchParams): string => `#/${view}?${params.toString()}`;

async function getJson(path: string, params?: URLSearchParams): Promise<Json> {
  const res = await fetch(`${path}${params ? `?${params.toString()}` : ""}`, { credentials: "same-origin" });
  const body = await res.json();
  if (!res.ok) throw new Error(body?.message ?? `HTTP ${res.status}`);
  return body;
}

const card = (label: string, metric: string, text: string): HTMLElement =>
  h("div", { class: "card" }, h("div", { class: "label" }, label), h("div", { class: "value", "data-metric": metric }, text));

function table(head: string[], rows: Array<Array<Child>>, opts: { numeric?: number[]; id?: string } = {}): HTMLElement {
  const num = new Set(opts.numeric ?? []);
  return h(
    "table",
    { "data-table": opts.id },
    h("thead", {}, h("tr", {}, ...head.map((t, i) => h("th", { class: num.has(i) ? "num" : undefined }, t)))),
    h("tbody", {}, ...rows.map((r) => h("tr", {}, ...r.map((c, i) => h("td", { class: num.has(i) ? "num" : undefined }, c ?? DASH))))),
  );
}

const callLink = (id: string, params: URLSearchParams): HTMLElement =>
  h("a", { href: hrefOf(`trace/${encodeURIComponent(id)}`, params), "data-call": id }, id.slice(0, 13));

const charts: uPlot[] = [];
function chart(
  title: string,
  data: uPlot.AlignedData,
  names: string[],
  opts: { bars?: boolean; y?: (v: number) => string; stepS?: number } = {},
): HTMLElement {
  const pad = opts.stepS ?? 86_400;
  const box = h("div", { class: "panel chart", "data-chart": title });
  if (data[0].length === 0) {
    box.append(h("p", { class: "muted" }, `${title}: no data in this window`));
    return box;
  }
  const colors = ["#2b6cb0", "#dd6b20", "#2f855a", "#9b2c2c", "#6b46c1", "#b7791f", "#319795"];
  requestAnimationFrame(() => {
    const u = new uPlot(
      {
        title,
        width: Math.max(300, box.clientWidth - 20),
        height: 220,
        series: [
          {},
          ...names.map((n, i) => ({
            label: n,
            stroke: colors[i % colors.length],
            fill: opts.bars ? `${colors[i % colors.length]}88` : undefined,
            width: 2,
            paths: opts.bars ? uPlot.paths.bars!({ size: [0.6, 60] }) : undefined,
            points: { show: data[0].length < 3 },
          })),
        ],
        // one point: show a step either side instead of uPlot's default span of years
        scales: { x: { time: true, range: (_u, min, max) => (min === max ? [min - pad, max + pad] : [min - pad / 2, max + pad / 2]) } },
        axes: [{}, { values: (_u, vals) => vals.map((v) => (opts.y ? opts.y(v) : String(v))), size: 70 }],
      },
      data,
      box,
    );
    charts.push(u);
  });
  return box;
}

// ---- views ----

async function overviewView(params: URLSearchParams): Promise<HTMLElement> {
  const d = await getJson("/api/overview", params);
  const s = d.summary;
  const byDay = d.spend_per_day;
  return h(
    "div",
    { "data-view": "overview" },
    h(
      "div",
      { class: "cards" },
      card("Calls", "calls", int(s.calls)),
      card("Spend", "spend_usd", usd(s.spend_usd)),
      card("p50 latency", "p50_ms", ms(s.p50_ms)),
      card("p95 latency", "p95_ms", ms(s.p95_ms)),
      card("p99 latency", "p99_ms", ms(s.p99_ms)),
      card("Success", "success_share", pct(s.success_share)),
      card("Errors", "error_share", pct(s.error_share)),
      card("Fallback", "fallback_share", pct(s.fallback_share)),
      card("Breaker openings", "breaker_openings", int(s.breaker_openings)),
    ),
    s.unknown_cost_attempts > 0
      ? h("p", { class: "muted" }, `${s.unknown_cost_attempts} attempts with an unknown price are not in the spend`)
      : null,
    s.estimated_cost_attempts > 0
      ? h(
          "p",
          { class: "muted", "data-metric": "estimated_cost_attempts" },
          `${s.estimated_cost_attempts} attempts were cut short before the provider reported usage: their tokens and cost in the spend are estimated`,
        )
      : null,
    h(
      "div",
      { class: "row2" },
      chart("Spend per model per day ($)", [byDay.t, ...byDay.models.map((m: string) => byDay[m])], byDay.models, {
        bars: true,
        y: (v) => `$${v}`,
        stepS: 86_400,
      }),
      chart("Latency (ms)", [d.latency.t, d.latency.p50, d.latency.p95, d.latency.p99], ["p50", "p95", "p99"], {
        stepS: d.latency.bucket_ms / 1000,
      }),
    ),
    h("h2", {}, "Models"),
    h(
      "div",
      { class: "panel" },
      table(
        ["model", "provider", "attempts", "uptime", "provider errors", "breaker opens", "spend", "p50"],
        d.models.map((m: Json) => [
          m.model,
          m.provider,
          int(m.attempts),
          pct(m.uptime),
          pct(m.error_rate),
          int(m.breaker_openings),
          usd(m.spend_usd),
          ms(m.p50_ms),
        ]),
        { numeric: [2, 3, 4, 5, 6, 7], id: "models" },
      ),
    ),
  );
}

function countTable(title: string, rows: Array<{ key: string; n: number }>, id: string): HTMLElement {
  const max = Math.max(1, ...rows.map((r) => r.n));
  return h(
    "div",
    { class: "panel" },
    h("h2", {}, title),
    rows.length === 0
      ? h("p", { class: "muted" }, "none in this window")
      : table(
          ["", "count", ""],
          rows.map((r) => [r.key, int(r.n), h("span", { class: "bar", style: `width:${Math.round((r.n / max) * 120)}px` })]),
          { numeric: [1], id },
        ),
  );
}

async function healthView(params: URLSearchParams): Promise<HTMLElement> {
  const d = await getJson("/api/health", params);
  return h(
    "div",
    { "data-view": "health" },
    h(
      "div",
      { class: "cards" },
      card("Calls", "calls", int(d.calls)),
      card("Valid on the first try", "first_try_valid_share", pct(d.first_try_valid_share)),
      card("Repaired", "repaired_share", pct(d.repaired_share)),
      card("Re-asked", "reasked_share", pct(d.reasked_share)),
      card("Fell back", "fallback_share", pct(d.fallback_share)),
      card("Hardcoded default", "hardcoded_share", pct(d.hardcoded_share)),
      card("Rejected", "error_share", pct(d.error_share)),
    ),
    h(
      "div",
      { class: "row2" },
      countTable("Repairs by recovery step", d.recovery_steps, "recovery"),
      countTable(
        "Cascade depth (rungs used)",
        d.depth.map((r: Json) => ({ key: `${r.key} rung${r.key === "1" ? "" : "s"}`, n: r.n })),
        "depth",
      ),
      countTable("Fields that fail most", d.fields, "fields"),
      countTable("Validation issues", d.issues, "issues"),
      countTable("Errors calls rejected with", d.errors, "errors"),
    ),
  );
}

async function cacheView(params: URLSearchParams): Promise<HTMLElement> {
  const d = await getJson("/api/cache", params);
  return h(
    "div",
    { "data-view": "cache" },
    h(
      "div",
      { class: "cards" },
      card("Cached input", "cached_input_share", pct(d.cached_input_share)),
      card("Cached tokens", "cached_input_tokens", int(d.cached_input_tokens)),
      card("Saved (catalogue prices)", "saved_usd", usd(d.saved_usd)),
      card("Cache busters", "cache_busters", int(d.cache_busters)),
    ),
    d.unpriced_tokens > 0
      ? h("p", { class: "muted" }, `${d.unpriced_tokens} cached tokens of models the price catalogue does not know are not in "saved"`)
      : null,
    h("h2", {}, "Tasks"),
    h(
      "div",
      { class: "panel" },
      table(
        ["task", "calls", "input tokens", "cached input", "saved", "cache busters", "busted sections", "tokens lost"],
        d.tasks.map((t: Json) => [
          taskName(t.task),
          int(t.calls),
          int(t.input_tokens),
          pct(t.cached_input_share),
          usd(t.saved_usd),
          int(t.cache_busters),
          t.busted_sections.join(", ") || DASH,
          int(t.tokens_lost),
        ]),
        { numeric: [1, 2, 3, 4, 5, 7], id: "tasks" },
      ),
    ),
    h("h2", {}, "Cache-buster events (the stable section that changed)"),
    h(
      "div",
      { class: "panel" },
      d.busters.length === 0
        ? h("p", { class: "muted" }, "none in this window")
        : table(
            ["when", "task", "section", "tokens lost", "call"],
            d.busters.map((b: Json) => [when(b.ts), taskName(b.task), b.section, int(b.tokens_lost), callLink(b.call_id, params)]),
            { numeric: [3], id: "busters" },
          ),
    ),
  );
}

async function guardView(params: URLSearchParams): Promise<HTMLElement> {
  const d = await getJson("/api/guard", params);
  const o = d.over_time;
  return h(
    "div",
    { "data-view": "guard" },
    h(
      "div",
      { class: "cards" },
      card("No reveal", "none", int(d.totals.none)),
      card("Authorized", "authorized", int(d.totals.authorized)),
      card("Self-reported", "self_reported", int(d.totals.self_reported)),
      card("Silent leak", "silent", int(d.totals.silent)),
    ),
    chart("Private-context outcomes", [o.t, ...o.outcomes.map((k: string) => o[k])], o.outcomes, { bars: true, stepS: o.bucket_ms / 1000 }),
    h("h2", {}, "Calls with a private context (newest first)"),
    h(
      "div",
      { class: "panel" },
      d.calls.length === 0
        ? h("p", { class: "muted" }, "none in this window")
        : table(
            ["when", "task", "model", "outcome", "call"],
            d.calls.map((c: Json) => [
              when(c.started_at),
              taskName(c.task),
              c.model,
              h("span", { class: c.outcome === "silent" || c.outcome === "self_reported" ? "bad" : undefined }, c.outcome),
              callLink(c.id, params),
            ]),
            { id: "guard-calls" },
          ),
    ),
  );
}

async function feedbackView(params: URLSearchParams): Promise<HTMLElement> {
  const d = await getJson("/api/feedback", params);
  if (d.tasks.length === 0)
    return h(
      "div",
      { "data-view": "feedback" },
      h("p", { class: "muted" }, "No prompt feedback in this window (turn it on with promptFeedback: true on a task)."),
    );
  return h(
    "div",
    { "data-view": "feedback" },
    ...d.tasks.map((t: Json) =>
      h(
        "div",
        { class: "panel", "data-task": t.task },
        h(
          "h2",
          {},
          `${taskName(t.task)}: ${t.with_feedback} of ${t.calls} calls left feedback (${pct(t.with_feedback / Math.max(1, t.calls))})`,
        ),
        table(
          ["count", "complaint", "wordings", "last seen", "examples"],
          t.clusters.map((c: Json) => [
            int(c.count),
            c.text,
            int(c.variants),
            when(c.last_seen),
            h("span", {}, ...c.examples.flatMap((id: string) => [callLink(id, params), " "])),
          ]),
          { numeric: [0, 2], id: "feedback" },
        ),
      ),
    ),
  );
}

async function tracesView(params: URLSearchParams): Promise<HTMLElement> {
  const d = await getJson("/api/traces", params);
  const outcome = (c: Json): Child =>
    c.error_kind
      ? h("span", { class: "bad" }, `error: ${c.error_kind}`)
      : c.hardcoded
        ? h("span", { class: "bad" }, "hardcoded")
        : (c.source ?? "running");
  return h(
    "div",
    { "data-view": "traces" },
    h("p", { class: "muted" }, `${d.calls.length} newest calls`),
    h(
      "div",
      { class: "panel" },
      table(
        ["when", "call", "task", "model", "outcome", "attempts", "latency", "tokens in/out", "cost"],
        d.calls.map((c: Json) => [
          when(c.started_at),
          callLink(c.id, params),
          taskName(c.task),
          c.model,
          outcome(c),
          int(c.attempts),
          ms(c.latency_ms),
          `${c.input_tokens}/${c.output_tokens}`,
          usd(c.cost_usd),
        ]),
        { numeric: [5, 6, 8], id: "traces" },
      ),
    ),
  );
}

async function traceView(id: string, params: URLSearchParams): Promise<HTMLElement> {
  const d = await getJson(`/api/trace/${encodeURIComponent(id)}`);
  const c = d.call;
  const attemptLine = (a: Json): HTMLElement =>
    h(
      "li",
      { "data-attempt": String(a.seq) },
      h("span", { class: a.winner ? "winner" : undefined }, `#${a.seq} ${a.kind} ${a.outcome}${a.winner ? " (won)" : ""}`),
      ` ${ms(a.latency_ms)} · in ${a.input_tokens} (cached ${a.cached_input_tokens}) · out ${a.output_tokens} · ${usd(a.cost_usd)}`,
      a.estimated ? h("span", { class: "muted", "data-estimated": "" }, " (estimated: cut short, counted locally)") : "",
      a.recovery_steps?.length ? ` · repaired: ${a.recovery_steps.join(", ")}` : "",
      a.error_kind ? h("span", { class: "bad" }, ` · ${a.error_kind}${a.error_message ? `: ${a.error_message}` : ""}`) : "",
    );
  const attempts = d.rungs.flatMap((r: Json) => r.attempts);
  return h(
    "div",
    { "data-view": "trace" },
    h("p", {}, h("a", { href: hrefOf("traces", params) }, "← traces")),
    h("h2", { "data-call-id": c.id }, `Call ${c.id}`),
    h(
      "div",
      { class: "cards" },
      card("Task", "task", taskName(c.task)),
      card("Outcome", "outcome", c.error_kind ? `error: ${c.error_kind}` : (c.source ?? "running")),
      card("Model", "model", c.model ?? DASH),
      card("Latency", "latency_ms", ms(c.latency_ms)),
      card(c.estimated ? "Cost (estimated)" : "Cost", "cost_usd", usd(c.cost_usd)),
      card("Tokens in / out", "tokens", `${c.input_tokens} / ${c.output_tokens}`),
    ),
    h("h2", {}, "Attempts"),
    h(
      "div",
      { class: "panel" },
      h(
        "ul",
        { class: "tree", "data-tree": "" },
        ...d.rungs.map((r: Json) =>
          h("li", {}, h("strong", {}, `rung ${r.rung}: ${r.model}`), h("ul", {}, ...r.attempts.map(attemptLine))),
        ),
      ),
    ),
    h("h2", {}, "Prompt"),
    h(
      "div",
      { class: "panel" },
      Array.isArray(c.prompt)
        ? c.prompt.map((s: Json) =>
            h("div", {}, h("p", { class: "muted" }, `${s.role} · ${s.name}${s.stable ? " · stable" : ""}`), h("pre", {}, s.content ?? "")),
          )
        : h("p", { class: "muted" }, "not stored (metadata mode)"),
    ),
    h("h2", {}, "Responses: raw and after JSON recovery"),
    ...attempts
      .filter((a: Json) => typeof a.response_text === "string")
      .map((a: Json) =>
        h(
          "div",
          { class: "panel row2", "data-response": String(a.seq) },
          h("div", {}, h("p", { class: "muted" }, `#${a.seq} ${a.model}: raw`), h("pre", { "data-raw": "" }, a.response_text)),
          h(
            "div",
            {},
            h("p", { class: "muted" }, `#${a.seq}: repaired${a.recovery_steps?.length ? "" : " (parsed as is)"}`),
            h("pre", { "data-repaired": "" }, a.repaired_json ?? "(not recoverable)"),
          ),
        ),
      ),
    c.value !== null && c.value !== undefined
      ? [h("h2", {}, "Value returned"), h("div", { class: "panel" }, h("pre", { "data-value": "" }, JSON.stringify(c.value, null, 2)))]
      : [],
    c.prompt_feedback ? [h("h2", {}, "Prompt feedback"), h("div", { class: "panel" }, h("pre", {}, String(c.prompt_feedback)))] : [],
    d.events.length > 0
      ? [
          h("h2", {}, "Events"),
          h(
            "div",
            { class: "panel" },
            table(
              ["when", "type", "model", "data"],
              d.events.map((e: Json) => [when(e.ts), e.type, e.model, JSON.stringify(e.data)]),
            ),
          ),
        ]
      : [],
  );
}

// ---- shell ----

const main = document.getElementById("view")!;
const status = document.getElementById("status")!;
const form = document.getElementById("filters") as HTMLFormElement;
let timer: ReturnType<typeof setTimeout> | undefined;
let generation = 0;

async function fillFilters(): Promise<void> {
  const f = await getJson("/api/filters");
  const fill = (name: string, values: string[], label: (v: string) => string) => {
    const select = form.elements.namedItem(name) as HTMLSelectElement;
    for (const v of values) select.append(h("option", { value: v }, label(v)));
  };
  fill("task", f.tasks, taskName);
  fill("model", f.models, (v) => v);
}

async function render(): Promise<void> {
  const mine = ++generation;
  clearTimeout(timer);
  const r = route();
  for (const name of ["since", "task", "model"]) {
    const select = form.elements.namedItem(name) as HTMLSelectElement;
    const v = r.params.get(name) ?? (name === "since" ? "24h" : "*");
    if (![...select.options].some((o) => o.value === v)) select.append(h("option", { value: v }, v));
    select.value = v;
  }
  const nav = document.getElementById("nav")!;
  nav.replaceChildren(
    ...VIEWS.map(([v, label]) => h("a", { href: hrefOf(v, r.params), class: v === r.view ? "active" : undefined, "data-nav": v }, label)),
  );
  try {
    const views: Record<string, (p: URLSearchParams) => Promise<HTMLElement>> = {
      overview: overviewView,
      health: healthView,
      cache: cacheView,
      guard: guardView,
      feedback: feedbackView,
      traces: tracesView,
    };
    const el = r.view === "trace" && r.id ? await traceView(r.id, r.params) : await views[r.view]!(r.params);
    if (mine !== generation) return;
    for (const c of charts.splice(0)) c.destroy();
    main.replaceChildren(el);
    status.textContent = `updated ${new Date().toLocaleTimeString()}${LIVE.has(r.view) ? " · refreshes every 5 s" : ""}`;
    document.body.dataset.ready = String(mine);
  } catch (error) {
    if (mine !== generation) return;
    main.replaceChildren(h("div", { class: "error" }, `Could not load this view: ${(error as Error).message}`));
  }
  if (LIVE.has(r.view))
    timer = setTimeout(
      () => (document.visibilityState === "visible" ? void render() : (timer = setTimeout(render, REFRESH_MS))),
      REFRESH_MS,
    );
}

form.addEventListener("change", () => {
  const r = route();
  for (const name of ["since", "task", "model"]) {
    const v = (form.elements.namedItem(name) as HTMLSelectElement).value;
    if (v === "*") r.params.delete(name);
    else r.params.set(name, v);
  }
  location.hash = hrefOf(r.view === "trace" ? "traces" : r.view, r.params);
});
window.addEventListener("hashchange", () => void render());
void fillFilters()
  .catch(() => undefined)
  .then(render);
