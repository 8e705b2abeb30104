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
//
// Also here, for every console page: money in integer fen (never a float), tables, form
// fields and their options in both languages. The review pages' own vocabulary and widgets
// (the words for the API's codes, the credit register, the file buttons) are in review-kit.js.

import { api, bi, h, put, initPage, errorMessage, money, moment, copyButton, fact, lang } from "../../js/common.js";
import { relabelOptions } from "../../js/form.js";

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

/** Whether the signed-in person may write: officers and administrators (auditors read). */
export function writer() {
  return can("admin", "officer");
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

/** Rule IDs, each linked, separated by `sep`. */
export function ruleLinks(ids, sep = ", ") {
  return (ids || []).map((r, i) => [i ? sep : "", ruleLink(r)]);
}

/** What the public pages' modules draw (js/status.js's timeline) links relatively
 *  (policy.html#…, notices/…), which leads nowhere under /console/: re-pointed at the root. */
export function fixRuleLinks(root) {
  for (const a of root.querySelectorAll('a[href^="policy.html"]')) a.setAttribute("href", `/${a.getAttribute("href")}`);
  for (const a of root.querySelectorAll('a[href^="notices/"]')) a.setAttribute("href", `/${a.getAttribute("href")}`);
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

/** Whether a call answered 2xx (`r` may be null: the network failed). */
export function succeeded(r) {
  return !!r && r.status >= 200 && r.status < 300;
}

/** An output element for an action's outcome. */
export function outlet(id) {
  return h("div", { id, class: "outlet", role: "status", "aria-live": "polite" });
}

/** Says in `out` that something is under way (data-state "pending"). */
export function pending(out, zh = "正在处理…", en = "Working…") {
  out.dataset.state = "pending";
  put(out, h("p", { role: "status" }, bi(zh, en)));
}

/** Shows the outcome of a call in `out`: `ok(body)` on a 2xx, the refusal otherwise;
 *  sets `data-state` ("done" / "refused") on `out`; answers whether it succeeded. */
export function show(out, r, ok) {
  if (succeeded(r)) {
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

/** A refusal decided in the page, before any call (a field empty or malformed): one
 *  message [zh, en] or several, in `out` (data-state "refused"); answers false. */
export function problems(out, list) {
  put(out, h("div", { class: "bad refusal", role: "alert", "data-code": "form" },
    list.length === 1 ? h("p", {}, bi(list[0][0], list[0][1]))
      : h("ul", { class: "items" }, list.map(([zh, en]) => h("li", {}, bi(zh, en))))));
  out.dataset.state = "refused";
  return false;
}

/** One refusal decided in the page (see problems). */
export function problem(out, zh, en) {
  return problems(out, [[zh, en]]);
}

/**
 * Runs one action: `out` says it is working (data-state "pending"), `button` (if any) is
 * disabled meanwhile, `request()` makes the call; then the outcome is shown as `show` does.
 * Answers the response ({status, body}; see succeeded) or null when the network failed.
 */
export async function act(out, button, request, ok) {
  pending(out);
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

/** GETs `path`, saying so in `out`: answers the body on a 200 (`out` emptied, data-state
 *  "done"); otherwise `out` shows the refusal and it answers null. */
export async function load(out, path, zh = "正在加载…", en = "Loading…") {
  pending(out, zh, en);
  let r;
  try {
    r = await call("GET", path);
  } catch (_) {
    offline(out);
    return null;
  }
  if (r.status !== 200) {
    show(out, r);
    return null;
  }
  put(out);
  out.dataset.state = "done";
  return r.body;
}

/**
 * Fetches a stored file (a document, a piece of evidence, an export) as the signed-in
 * person: {blob, sha256 (x-sha256), name (Content-Disposition's, or null)}. A refusal is
 * thrown with the API's answer ({status, body}) as `answer`; a network failure without.
 */
export async function fetchFile(path) {
  const r = await call("GET", path, undefined, { raw: true });
  if (!r.ok) {
    let body = null;
    try {
      body = await r.json();
    } catch (_) {
      /* not JSON */
    }
    const e = new Error("refused");
    e.answer = { status: r.status, body };
    throw e;
  }
  const blob = await r.blob();
  const m = /filename\*=UTF-8''([^;]+)|filename="?([^";]+)"?/i.exec(r.headers.get("content-disposition") || "");
  return { blob, sha256: r.headers.get("x-sha256"), name: m ? decodeURIComponent(m[1] || m[2]) : null };
}

/** Saves what `url` (an object URL) holds as a download named `name`. */
export function saveAs(url, name) {
  const a = h("a", { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
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

/** An amount as the API writes it or a person types it ("12345.6", " 70000 ") → 1234560n
 *  (fen, exact); null for anything else (a negative amount too). */
export function fen(text) {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(String(text ?? "").trim());
  if (!m) return null;
  return BigInt(m[1]) * 100n + BigInt((m[2] || "").padEnd(2, "0"));
}

/** 1234560n → "12345.60". */
export function fromFen(v) {
  const neg = v < 0n;
  const a = neg ? -v : v;
  return `${neg ? "-" : ""}${a / 100n}.${String(a % 100n).padStart(2, "0")}`;
}

/** The exact sum of amounts given as text, in fen (what is not an amount counts 0). */
export function sumFen(list) {
  return list.reduce((acc, t) => acc + (fen(t) ?? 0n), 0n);
}

/** The exact sum of amounts given as text ("1.10", "2") → "3.10". */
export function sumMoney(list) {
  return fromFen(sumFen(list));
}

/** Whether `text` is an amount the API takes ("123", "123.4", "123.45"), not negative. */
export function isMoney(text) {
  return fen(text) !== null;
}

/** Money as a table cell (data-amount as the API wrote it). */
export function moneyCell(m) {
  return h("td", { class: "num", "data-amount": m ?? "" }, yuan(m));
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

/** <option>s from [value, zh, en] rows, born in the page's language (an option holds no
 *  spans: the switch relabels them, as on the public form); `placeholder` [zh, en] first. */
export function options(list, selected, placeholder) {
  const en = lang() === "en";
  const out = list.map(([v, zh, e]) => h("option", { value: v, selected: v === selected, "data-zh": zh, "data-en": e }, en ? e : zh));
  if (placeholder) {
    out.unshift(h("option", { value: "", selected: !selected, "data-zh": placeholder[0], "data-en": placeholder[1] },
      en ? placeholder[1] : placeholder[0]));
  }
  return out;
}

document.addEventListener("langchange", (e) => relabelOptions(document, e.detail));

/** A placeholder in both languages (common.js swaps it with the language). */
export function ph(zh, en) {
  return { placeholder: lang() === "en" ? en : zh, "data-ph-zh": zh, "data-ph-en": en };
}

/** Today in the browser's calendar, as an ISO date. */
export function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/** A table inside a horizontally scrolling wrapper (tablets): head cells [zh, en, class]
 *  ("num" for amounts). */
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
