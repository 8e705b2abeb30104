// Shared by every page: the language switch, a tiny DOM helper, the API and the wasm bundle.

import { OFFICE } from "./office.js";

const LANG_KEY = "lang";

/** The page's language: "zh" (default) or "en". */
export function lang() {
  return document.documentElement.dataset.lang === "en" ? "en" : "zh";
}

function applyLang(l) {
  const root = document.documentElement;
  root.dataset.lang = l;
  root.lang = l === "en" ? "en" : "zh-CN";
  const b = document.getElementById("lang-toggle");
  if (b) {
    // The button names the other language, in that language.
    b.textContent = l === "en" ? "中文" : "English";
    b.lang = l === "en" ? "zh-CN" : "en";
    b.setAttribute("aria-pressed", l === "en" ? "true" : "false");
  }
  for (const el of document.querySelectorAll("[data-ph-zh]")) {
    el.placeholder = l === "en" ? el.dataset.phEn : el.dataset.phZh;
  }
  // Accessible names in one language (an attribute cannot hold both spans).
  for (const el of document.querySelectorAll("[data-label-zh]")) {
    el.setAttribute("aria-label", l === "en" ? el.dataset.labelEn : el.dataset.labelZh);
  }
  const t = document.querySelector("meta[name=title-en]");
  if (t) {
    if (!root.dataset.titleZh) root.dataset.titleZh = document.title;
    document.title = l === "en" ? t.content : root.dataset.titleZh;
  }
  document.dispatchEvent(new CustomEvent("langchange", { detail: l }));
}

/** Wires the language toggle (persisted in localStorage) and marks the current page. */
export function initPage() {
  let l = "zh";
  try {
    l = localStorage.getItem(LANG_KEY) === "en" ? "en" : "zh";
  } catch (_) {
    /* storage disabled: Chinese */
  }
  applyLang(l);
  const b = document.getElementById("lang-toggle");
  if (b) {
    b.addEventListener("click", () => {
      const next = lang() === "en" ? "zh" : "en";
      try {
        localStorage.setItem(LANG_KEY, next);
      } catch (_) {
        /* not persisted */
      }
      applyLang(next);
    });
  }
  showOffice();
  const here = location.pathname.split("/").pop() || "index.html";
  for (const a of document.querySelectorAll("header nav a")) {
    if (a.getAttribute("href") === here) a.setAttribute("aria-current", "page");
  }
}

/** The office's contact where the page has a placeholder for it, once the office set it. */
function showOffice() {
  for (const el of document.querySelectorAll("[data-office]")) {
    const v = OFFICE[el.dataset.office];
    if (!v) continue;
    put(el, bi(v.zh, v.en));
    el.classList.remove("placeholder");
  }
}

/**
 * Creates an element: h("p", {class: "x"}, "text", child...). Attributes starting with
 * "on" are listeners; `null`/`false` attributes are skipped; strings become text nodes.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Both languages; CSS shows the page's one. */
export function bi(zh, en) {
  const f = document.createDocumentFragment();
  f.append(
    h("span", { class: "l-zh", lang: "zh-CN" }, zh),
    h("span", { class: "l-en", lang: "en" }, en ?? zh),
  );
  return f;
}

/** Replaces an element's children. */
export function put(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** Calls the API on this origin; answers {status, body} (body parsed when JSON). `options`
 *  adds to fetch's init (the console revalidates every read: `{cache: "no-cache"}`). */
export async function api(method, path, body, headers = {}, options = {}) {
  const init = { ...options, method, headers: { ...headers } };
  if (body !== undefined) {
    init.headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const r = await fetch(path, init);
  let data = null;
  const text = await r.text();
  try {
    data = text ? JSON.parse(text) : null;
  } catch (_) {
    data = { raw: text };
  }
  return { status: r.status, body: data };
}

/**
 * GET `path` with a receipt token (Authorization: Bearer), saying in `out` that it is
 * looking and, when it fails, why; answers the body, or null.
 */
export async function getWithToken(out, path, token) {
  put(out, h("p", { role: "status" }, bi("正在查询…", "Looking up…")));
  try {
    const r = await api("GET", path, undefined, { authorization: `Bearer ${token}` });
    if (r.status === 200) return r.body;
    put(out, h("p", { class: "bad", role: "alert" }, errorMessage(r.body)));
  } catch (_) {
    put(out, h("p", { class: "bad", role: "alert" }, bi("网络不可用，请稍后重试。", "The network is unavailable; please try again.")));
  }
  return null;
}

/**
 * Whether every one of `controls` is filled; the empty ones are marked, `out` says so (in
 * `zh` / `en`) and the first of them takes the focus.
 */
export function filled(out, controls, zh, en) {
  const empty = controls.filter((c) => !c.value.trim());
  for (const c of controls) c.toggleAttribute("aria-invalid", empty.includes(c));
  if (!empty.length) return true;
  put(out, h("p", { class: "bad", role: "alert" }, bi(zh, en)));
  empty[0].focus();
  return false;
}

/** A fact of a `dl.facts`: its label in both languages and its value. */
export function fact(zh, en, ...value) {
  return [h("dt", {}, bi(zh, en)), h("dd", {}, ...value)];
}

/** An API error ({error:{message_zh,message_en}}) or wasm errors as bilingual text. */
export function errorMessage(body) {
  if (body && body.error) {
    // The message says what is wrong in words; the field's path is for the form, which
    // shows a message at its field, not for reading.
    const e = body.error;
    return bi(e.message_zh, e.message_en);
  }
  if (body && Array.isArray(body.errors)) {
    return bi(
      body.errors.map((e) => e.zh).join("；"),
      body.errors.map((e) => e.en).join("; "),
    );
  }
  return bi("出现错误，请稍后重试。", "Something went wrong; please try again.");
}

let wasmPromise = null;

/** Loads the browser bundle once; answers an object whose functions return parsed JSON. */
export function rules() {
  if (!wasmPromise) {
    wasmPromise = import("../pkg/precheck.js").then(async (m) => {
      await m.default({ module_or_path: m.wasmUrl });
      const wrap = (f) => (...args) => JSON.parse(f(...args));
      return {
        precheck: wrap(m.precheck),
        defaultParameters: wrap(m.default_parameters),
        ruleCatalogue: wrap(m.rule_catalogue),
        checkCreditCode: wrap(m.check_credit_code),
        checkPatentNumber: wrap(m.check_patent_number),
        amountInCapitals: wrap(m.amount_in_capitals),
      };
    });
  }
  return wasmPromise;
}

/**
 * A button that copies `text` and says whether it could (a receipt's number and token).
 * The clicked element is kept before the await: currentTarget is gone after it.
 */
export function copyButton(text, zh, en) {
  return h(
    "button",
    {
      type: "button",
      class: "secondary copy",
      onclick: async (e) => {
        const button = e.currentTarget;
        try {
          await navigator.clipboard.writeText(text);
          put(button, bi("已复制", "Copied"));
        } catch (_) {
          put(button, bi("无法复制，请手动保存", "Cannot copy; save it by hand"));
        }
      },
    },
    bi(zh, en),
  );
}

/**
 * Prints `el` alone (a receipt): the page is marked so the print stylesheet hides all but
 * `el` and the elements it sits in, until the print is done.
 */
export function printOnly(el) {
  const path = [];
  for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) path.push(p);
  path.forEach((p) => p.classList.add("print-path"));
  el.classList.add("printing");
  document.body.classList.add("print-one");
  const done = () => {
    path.forEach((p) => p.classList.remove("print-path"));
    el.classList.remove("printing");
    document.body.classList.remove("print-one");
  };
  window.addEventListener("afterprint", done, { once: true });
  window.print();
}

/** A button that prints `el()` alone (see printOnly). */
export function printButton(el) {
  return h("button", { type: "button", class: "secondary print", onclick: () => printOnly(el()) }, bi("打印回执", "Print the receipt"));
}

/** "0.60" → "60%". */
export function percent(rate) {
  return rate == null ? "—" : `${Math.round(Number(rate) * 100)}%`;
}

/** "120000.00" → "120,000.00". */
export function money(m) {
  if (m == null) return "—";
  const [i, f] = String(m).split(".");
  return i.replace(/\B(?=(\d{3})+(?!\d))/g, ",") + (f !== undefined ? "." + f : "");
}

/** "2026-04-15T10:00:00+08:00" → "2026-04-15 10:00". */
export function moment(s) {
  if (!s) return "—";
  return String(s).replace("T", " ").replace(/:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)$/, "");
}
