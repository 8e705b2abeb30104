// The office's console: the signed-in person's session and every call the console makes.
//
// The session is an HttpOnly cookie the page never sees (set by POST /api/session); state-
// changing calls carry the session's CSRF token in `X-CSRF-Token`, which the page learns
// from GET /api/session. Every console action goes through `call`, the same API the tests
// and automation use (they authenticate with a personal bearer token instead).
//
// Conventions every console page follows (a browser test relies on them):
// - every control and every output area has a stable id;
// - an action's outcome is written into its output element by `show` / `act`, which set
//   `data-state` on it: "pending" while the call runs, then "done" or "refused".
//
// No import of the wasm bundle or of the rule catalogue here: a rule ID in a message is
// linked to /policy.html#ID by its shape (linkRules).

import { api, bi, h, put, initPage, errorMessage, money, moment, copyButton, fact } from "../../js/common.js";

export { bi, h, put, money, moment, copyButton, fact };

let current = null;

/** The signed-in person ({account: {username, display_name, role}, csrf_token, expires_at}),
 *  or, when nobody is signed in, a redirect to the sign-in page (answers null). */
export async function session() {
  if (current) return current;
  const r = await api("GET", "/api/session");
  if (r.status === 200 && r.body && r.body.account) {
    current = r.body;
    return current;
  }
  const back = encodeURIComponent(location.pathname + location.search + location.hash);
  location.href = `/console/index.html?next=${back}`;
  return null;
}

/** Whether the signed-in person has one of `roles` ("admin", "officer", "auditor"). */
export function can(...roles) {
  return !!current && roles.includes(current.account.role);
}

/** The signed-in person's account ({username, display_name, role}), or null. */
export function me() {
  return current ? current.account : null;
}

/** The console shows what is stored now: every read is revalidated (ETag, 304) instead
 *  of taken from the browser's cache — public lists such as /api/notices may be kept for
 *  a minute, and an officer who has just published must see the notice. */
const FRESH = { cache: "no-cache" };

/**
 * Calls the API as the signed-in person: {status, body}. Writes carry the CSRF token; a 401
 * that says the session is gone (code `unauthorized`: expired, signed out elsewhere,
 * account disabled) goes to sign-in — another 401 (a wrong current password) is the
 * caller's to show. `raw: true` answers the Response itself (downloads).
 */
export async function call(method, path, body, { raw = false, headers = {} } = {}) {
  const hs = { ...headers };
  if (method !== "GET" && method !== "HEAD" && current) hs["x-csrf-token"] = current.csrf_token;
  if (raw) {
    const init = { ...FRESH, method, headers: hs, credentials: "same-origin" };
    if (body !== undefined) {
      init.headers["content-type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const res = await fetch(path, init);
    if (res.status === 401) await ended(res.headers.get("content-type") || "", () => res.clone().json());
    return res;
  }
  const r = await api(method, path, body, hs, FRESH);
  if (r.status === 401 && path !== "/api/session") await ended("application/json", async () => r.body);
  return r;
}

/** After a 401: back to sign-in when the session is gone. */
async function ended(type, read) {
  let code = null;
  if (type.includes("json")) {
    try {
      const b = await read();
      code = b && b.error ? b.error.code : null;
    } catch (_) {
      code = null;
    }
  }
  if (code === null || code === "unauthorized") {
    current = null;
    await session();
  }
}

/** Words that look like a rule ID but are not one. */
const NOT_RULES = new Set(["CNY", "PDF", "JPEG", "PNG", "CSV", "XLSX", "JSON", "HTTP", "HTTPS", "API", "URL", "UTF", "ID", "SHA", "CSRF", "XML", "HTML", "TOKEN"]);
const CANDIDATE = /(?<![A-Za-z0-9_-])([A-Z]{2,}(?:-[A-Z][A-Z0-9]*)*)(?![A-Za-z0-9_-])/g;

/** Whether `id` found at `at` in `s` is a rule ID: hyphenated (PROC-OBJECT) anywhere, a
 *  single word (FRAUD, BUDGET) only inside brackets or a list of IDs: （FRAUD）, (PROC-X, BUDGET). */
function isRule(s, id, at) {
  if (NOT_RULES.has(id)) return false;
  if (id.includes("-")) return true;
  if (id.length < 4) return false;
  const before = s.slice(0, at).trimEnd().slice(-1);
  const after = s.slice(at + id.length).trimStart().slice(0, 1);
  return "(（、,，".includes(before) && before !== "" && ")）、,，".includes(after) && after !== "";
}

/** A link to a rule on the policy page: the ID, linked to /policy.html#ID. */
export function ruleLink(id) {
  return h("a", { href: `/policy.html#${id}`, class: "rule", "data-rule": id }, id);
}

/** A text with every rule ID in it (`…（PROC-OBJECT）`, `(PROC-REVIEW)`) linked to the
 *  policy page, as nodes. */
export function linkRules(text) {
  const s = String(text ?? "");
  const out = [];
  let last = 0;
  for (const m of s.matchAll(CANDIDATE)) {
    if (!isRule(s, m[1], m.index)) continue;
    out.push(s.slice(last, m.index), ruleLink(m[1]));
    last = m.index + m[1].length;
  }
  out.push(s.slice(last));
  return out.filter((x) => x !== "");
}

/** Both languages, each with its rule IDs linked. */
export function biRules(zh, en) {
  const f = document.createDocumentFragment();
  f.append(
    h("span", { class: "l-zh", lang: "zh-CN" }, linkRules(zh)),
    h("span", { class: "l-en", lang: "en" }, linkRules(en ?? zh)),
  );
  return f;
}

/**
 * An API refusal as the page shows it: the message in the reader's language with each rule
 * ID linked to the policy, and the items concerned (applications, objections) listed.
 */
export function refusal(body) {
  const e = body && body.error;
  if (!e) return h("div", { class: "bad refusal", role: "alert", "data-state": "refused" }, h("p", {}, errorMessage(body)));
  const items = Array.isArray(e.items) && e.items.length
    ? h("ul", { class: "items" }, e.items.map((i) => h("li", { "data-item": i }, h("code", {}, i))))
    : null;
  const fields = Array.isArray(e.errors) && e.errors.length
    ? h("ul", { class: "items" }, e.errors.map((x) => h("li", { "data-field": x.field }, biRules(x.message_zh, x.message_en))))
    : null;
  return h(
    "div",
    { class: "bad refusal", role: "alert", "data-code": e.code, "data-state": "refused" },
    h("p", {}, biRules(e.message_zh, e.message_en)),
    items ? h("p", { class: "items-head" }, bi("涉及：", "Concerned:")) : null,
    items,
    fields,
  );
}

/** Shows the outcome of a call in `out`: `ok(body)` on a 2xx, the refusal otherwise;
 *  sets `data-state` ("done" / "refused") on `out`; answers whether it succeeded. */
export function show(out, r, ok) {
  if (r.status >= 200 && r.status < 300) {
    put(out, ok ? ok(r.body) : h("p", { class: "good ok", role: "status" }, bi("已保存。", "Saved.")));
    out.dataset.state = "done";
    return true;
  }
  put(out, refusal(r.body));
  out.dataset.state = "refused";
  return false;
}

/** Says in `out` that the network failed (data-state "refused"). */
export function offline(out) {
  put(out, h("div", { class: "bad refusal", role: "alert", "data-code": "network" },
    h("p", {}, bi("网络不可用，请稍后重试。", "The network is unavailable; please try again."))));
  out.dataset.state = "refused";
}

/**
 * Runs one action: `out` says it is working (data-state "pending"), `button` is disabled
 * meanwhile, `request()` makes the call; then the outcome is shown as `show` does. Answers
 * the response ({status, body}) or null when the network failed.
 */
export async function act(out, button, request, ok) {
  out.dataset.state = "pending";
  put(out, h("p", { role: "status" }, bi("正在处理…", "Working…")));
  if (button) button.disabled = true;
  try {
    const r = await request();
    show(out, r, ok);
    return r;
  } catch (_) {
    offline(out);
    return null;
  } finally {
    if (button) button.disabled = false;
  }
}

/** A short success message in both languages (role=status). */
export function done(zh, en, ...more) {
  return h("div", { class: "ok done", role: "status" }, h("p", {}, bi(zh, en)), ...more);
}

/** The console's pages, in the header's order: [file, zh, en, roles that see it]. */
export const PAGES = [
  ["dashboard.html", "工作台", "Dashboard", ["admin", "officer", "auditor"]],
  ["queue.html", "申报审核", "Applications", ["admin", "officer", "auditor"]],
  ["allocation.html", "分配与拨付", "Allocation & payment", ["admin", "officer", "auditor"]],
  ["objections.html", "异议重审", "Objections", ["admin", "officer", "auditor"]],
  ["enterprise.html", "企业档案", "Enterprises", ["admin", "officer", "auditor"]],
  ["accounts.html", "账户与日志", "Accounts & audit", ["admin", "officer", "auditor"]],
];

/** A role's name in both languages. */
export const ROLES = {
  admin: ["管理员", "administrator"],
  officer: ["审核人员", "officer"],
  auditor: ["审计人员", "auditor"],
};

/**
 * Sets up a console page: language switch, the session (or sign-in), the navigation for
 * the person's role, who is signed in and the sign-out button. Answers the session.
 */
export async function initConsole() {
  initPage();
  const s = await session();
  if (!s) return null;
  document.documentElement.dataset.role = s.account.role;
  const nav = document.getElementById("console-nav");
  if (nav) {
    const here = location.pathname.split("/").pop();
    put(nav, PAGES.filter((p) => p[3].includes(s.account.role)).map(([file, zh, en]) =>
      h("a", { href: file, id: `nav-${file.replace(".html", "")}`, "aria-current": file === here ? "page" : null }, bi(zh, en))));
  }
  const who = document.getElementById("who");
  if (who) {
    const role = ROLES[s.account.role] || [s.account.role, s.account.role];
    const out = h("button", { type: "button", id: "sign-out", class: "secondary" }, bi("退出", "Sign out"));
    out.addEventListener("click", async () => {
      try {
        await call("DELETE", "/api/session");
      } catch (_) {
        /* signed out below anyway */
      }
      current = null;
      location.href = "/console/index.html";
    });
    put(who, h("span", { id: "who-name" }, s.account.display_name), " ",
      h("span", { class: "muted", id: "who-role", "data-role": s.account.role }, "(", bi(role[0], role[1]), ")"), " ", out);
  }
  return s;
}

/** Money as the API writes it ("12345.67") shown with grouping, never through a float. */
export function yuan(text) {
  if (text === null || text === undefined || text === "") return "—";
  const [i, f] = String(text).split(".");
  const neg = i.startsWith("-");
  const digits = neg ? i.slice(1) : i;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${neg ? "-" : ""}¥${grouped}${f ? "." + f.padEnd(2, "0") : ".00"}`;
}

/** "12345.6" → 1234560n (fen, exact); null for text that is not an amount. */
export function fen(text) {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(String(text ?? "").trim());
  if (!m) return null;
  const v = BigInt(m[2]) * 100n + BigInt((m[3] || "").padEnd(2, "0") || "0");
  return m[1] ? -v : v;
}

/** 1234560n → "12345.60". */
export function fromFen(v) {
  const neg = v < 0n;
  const a = neg ? -v : v;
  return `${neg ? "-" : ""}${a / 100n}.${String(a % 100n).padStart(2, "0")}`;
}

/** The exact sum of amounts given as text ("1.10", "2") → "3.10". */
export function sumMoney(list) {
  return fromFen(list.reduce((acc, t) => acc + (fen(t) ?? 0n), 0n));
}

/** Whether `text` is an amount the API takes ("123", "123.4", "123.45"), not negative. */
export function isMoney(text) {
  return /^\d+(\.\d{1,2})?$/.test(String(text ?? "").trim());
}

/** `f(item)` over `items`, at most `n` at a time; answers the results in order. */
export async function pool(items, n, f) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}

/** A label and its control, both languages: label("评审结论", "Conclusion", control). */
export function field(zh, en, control, hint) {
  return h("label", { class: "field" }, h("span", { class: "label" }, bi(zh, en)), control,
    hint ? h("small", { class: "hint" }, hint) : null);
}

/** A table inside a horizontally scrolling wrapper (tablets): head cells [zh, en]. */
export function table(id, head, rows, caption) {
  return h("div", { class: "table-wrap", tabindex: 0 },
    h("table", { id },
      caption ? h("caption", {}, caption) : null,
      h("thead", {}, h("tr", {}, head.map(([zh, en, cls]) => h("th", { scope: "col", class: cls || null }, bi(zh, en))))),
      h("tbody", {}, rows)));
}

/** The round's year from the page's address (?year=), or null. */
export function yearParam() {
  const y = new URLSearchParams(location.search).get("year");
  return y && /^\d{4}$/.test(y) ? Number(y) : null;
}

/** A round's stage in both languages, as the API names it. */
export function stageName(round) {
  return bi(round.stage_zh || round.stage, round.stage_en || round.stage);
}
