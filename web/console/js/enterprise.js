// The office's console: one enterprise by its credit code (#code=…) — its earlier subsidies
// (and their import), the credit register (add, correct, mark repaired, withdraw), fraud
// determinations (administrators) and the recovery account (administrators record money
// received back). This module also holds what the review pages share (queue.js,
// application.js, objections.js import it): the words for the API's codes, rule links to
// the policy, money in integer fen, the credit register's panel and the way an action
// reports its result. The page itself starts only on enterprise.html (body[data-page]).
//
// Ids a test uses (enterprise.html):
//   #enterprise-code, #enterprise-open, #enterprise-message[data-state]
//   #enterprise-history-table, #history-row-<n> (n from 0, the rows of the import form):
//     #history-<n>-year|amount|reference|recovered, #history-add-row, #history-submit,
//     #history-result[data-state]
//   credit register (also on application.html): #finding-table, #finding-<id> (a row),
//     #finding-<id>-correct|repair|withdraw (open the change form), #finding-change,
//     #finding-change-kind|date|source (correct), #finding-change-repaired (repair),
//     #finding-change-reason, #finding-change-submit, #finding-change-cancel,
//     #finding-change-result[data-state];
//     #finding-add-kind|date|source|reference, #finding-add-submit, #finding-add-result[data-state]
//   #enterprise-fraud (determinations), #fraud-kind, #fraud-date, #fraud-reference,
//     #fraud-confirm (checkbox), #fraud-submit, #fraud-result[data-state] (admin only)
//   #recovery-due, #recovery-recovered, #recovery-outstanding, #recovery-table,
//     #recovery-claim-<id> (a claim's row), #recovery-claim (select), #recovery-date,
//     #recovery-amount, #recovery-reference, #recovery-check, #recovery-submit,
//     #recovery-result[data-state] (admin only)

import { initConsole, call, can, show, yuan, field, h, bi, put } from "./session.js";
import { moment } from "../../js/common.js";

// ---------------------------------------------------------------------------------------
// Shared by the review pages.

/** Application statuses (ApplicationStatus), as officers read them. */
export const STATUS = {
  submitted: ["已受理，待评审", "Received, in review"],
  eligible: ["评审通过", "Reviewed: eligible"],
  refused: ["不予补助", "Refused"],
  withdrawn: ["已撤回/作废", "Withdrawn or voided"],
  proposed: ["拟补助（公示）", "Proposed (on notice)"],
  removed: ["已移出名单", "Removed from the list"],
  approved: ["区政府已审定", "Approved"],
  paid: ["已拨付", "Paid"],
};

/** The document kinds (functions/intake/src/documents.rs). */
export const DOC_KINDS = {
  loan_contract: ["贷款合同", "loan contract"],
  pledge_registration: ["质押登记证明", "pledge registration"],
  interest_statement: ["利息支付凭证", "interest statement"],
  repayment_proof: ["还款凭证", "repayment proof"],
};

/** PROC-REVIEW: the departments asked (rules::model::Department). */
export const DEPARTMENTS = [
  ["market_supervision", "区市场监管局", "District Market Supervision Bureau"],
  ["human_resources_social_security", "区人力社保局", "District Human Resources and Social Security Bureau"],
  ["emergency_management", "区应急局", "District Emergency Management Bureau"],
  ["fire_rescue", "区消防救援支队", "District Fire and Rescue Detachment"],
  ["ecology_environment", "区生态环境局", "District Ecology and Environment Bureau"],
  ["science_information", "区科信局", "District Science and Information Bureau"],
  ["tax", "区税务局", "District Tax Bureau"],
  ["urban_management", "区城管执法局", "District Urban Management Bureau"],
  ["zgc_mentougou_park", "中关村门头沟园管委会", "Zhongguancun Mentougou Park Committee"],
  ["town_street", "镇街", "Town or street office"],
  ["industry_authority", "行业主管部门", "Industry authority"],
  ["other", "其他部门（填写名称）", "Other department (give its name)"],
];

/** PROC-CREDIT: the kinds of credit finding. */
export const FINDINGS = [
  ["major_work_safety_accident", "安全生产领域较大及以上责任事故", "Major work-safety accident"],
  ["major_environmental_accident", "环境保护领域较大及以上责任事故", "Major environmental accident"],
  ["labour_relations_failure", "劳动关系领域未履行社会责任", "Failed social responsibilities in labour relations"],
  ["tax_non_compliance", "未依法纳税", "Did not pay tax lawfully"],
  ["serious_bad_credit_record", "信用信息严重不良纪录", "Seriously bad credit record"],
];

/** FRAUD: the kinds of determination. */
export const FRAUD_KINDS = [
  ["false_documents", "提供虚假材料", "False documents"],
  ["obtained_by_deception", "以欺骗手段骗取补助", "Subsidy obtained by deception"],
  ["ip_infringement", "知识产权侵权", "IP infringement"],
];

/** PROC-CREDIT: where the credit report was read (rules::model::CreditSource). */
export const CREDIT_SOURCES = [
  ["credit_china_beijing", "信用中国（北京）", "Credit China (Beijing)"],
  ["credit_china", "信用中国", "Credit China"],
];

/** The words of a code from one of the lists above ([code, zh, en]); the code when unknown. */
export function label(list, code) {
  const row = list.find((r) => r[0] === code);
  return row ? bi(row[1], row[2]) : String(code ?? "—");
}

/** Both texts of a [zh, en] pair, or the raw code. */
export function words(map, code) {
  const w = map[code];
  return w ? bi(w[0], w[1]) : String(code ?? "—");
}

const english = () => document.documentElement.dataset.lang === "en";

/** <option>s in the page's language; they follow the switch (an option holds no spans). */
export function options(list, selected, placeholder) {
  const out = list.map(([v, zh, en]) =>
    h("option", { value: v, selected: v === selected, "data-zh": zh, "data-en": en }, english() ? en : zh));
  if (placeholder) {
    out.unshift(h("option", { value: "", selected: !selected, "data-zh": placeholder[0], "data-en": placeholder[1] },
      english() ? placeholder[1] : placeholder[0]));
  }
  return out;
}

document.addEventListener("langchange", (e) => {
  for (const o of document.querySelectorAll("option[data-zh]")) o.textContent = e.detail === "en" ? o.dataset.en : o.dataset.zh;
  for (const i of document.querySelectorAll("[data-ph-zh]")) i.placeholder = e.detail === "en" ? i.dataset.phEn : i.dataset.phZh;
});

/** A placeholder in both languages (swapped by the switch). */
export function ph(zh, en) {
  return { placeholder: english() ? en : zh, "data-ph-zh": zh, "data-ph-en": en };
}

/** Yes / no. */
export const yes = (b) => (b ? bi("是", "yes") : bi("否", "no"));

/** Today in the browser's calendar, as an ISO date. */
export function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

// Rule IDs link to the policy page at the site's root: the console lives under /console/,
// where the public pages' relative links (policy.html#…, from js/result.js and js/status.js)
// would lead nowhere.

/** A rule ID linked to its text in the policy. */
export function ruleLink(id) {
  return h("a", { href: `/policy.html#${encodeURIComponent(id)}`, class: "rule", "data-rule": id }, id);
}

/** Rule IDs, each linked, separated by commas. */
export function ruleLinks(ids) {
  return (ids || []).map((r, i) => [i ? ", " : "", ruleLink(r)]);
}

/** The public pages' relative links (policy.html#…, notices/…), re-pointed at the site's root. */
export function fixRuleLinks(root) {
  for (const a of root.querySelectorAll('a[href^="policy.html"]')) a.setAttribute("href", `/${a.getAttribute("href")}`);
  for (const a of root.querySelectorAll('a[href^="notices/"]')) a.setAttribute("href", `/${a.getAttribute("href")}`);
}

// Money: the API's text ("12345.67") in integer fen, never a float.

/** "12345.6" → 1234560n; null when it is not an amount. */
export function fen(text) {
  const m = /^\s*(\d+)(?:\.(\d{1,2}))?\s*$/.exec(String(text ?? ""));
  if (!m) return null;
  return BigInt(m[1]) * 100n + BigInt((m[2] || "").padEnd(2, "0"));
}

/** 1234560n → "12345.60". */
export function fenText(n) {
  const neg = n < 0n;
  const a = neg ? -n : n;
  return `${neg ? "-" : ""}${a / 100n}.${String(a % 100n).padStart(2, "0")}`;
}

/** The sum of amounts (texts), in fen. */
export function sumFen(list) {
  return list.reduce((s, m) => s + (fen(m) ?? 0n), 0n);
}

// Results: every action writes into an element with role=status and sets data-state to
// "pending" while it runs, then "done" or "refused" — a test waits for it.

/** An output element for an action's result. */
export function outlet(id) {
  return h("div", { id, class: "outlet", role: "status", "aria-live": "polite" });
}

export function busy(out, zh = "正在提交…", en = "Sending…") {
  out.dataset.state = "pending";
  put(out, h("p", { class: "hint" }, bi(zh, en)));
}

/** A refusal decided in the page (before any call). */
export function refuse(out, zh, en) {
  put(out, h("p", { class: "bad", role: "alert" }, bi(zh, en)));
  out.dataset.state = "refused";
  return false;
}

/** The answer of a call shown in `out` (session.js show), its state set; whether it was a 2xx. */
export function report(out, r, ok) {
  const good = show(out, r, ok);
  fixRuleLinks(out);
  out.dataset.state = good ? "done" : "refused";
  return good;
}

/** Runs `send` (a call), reporting its result in `out`; answers the response when 2xx. */
export async function act(out, send, ok) {
  busy(out);
  try {
    const r = await send();
    return report(out, r, ok) ? r : null;
  } catch (_) {
    refuse(out, "网络不可用，请稍后重试。", "The network is unavailable; please try again.");
    return null;
  }
}

/** GETs `path`; on a refusal, says it in `out` and answers null. */
export async function load(out, path) {
  out.dataset.state = "pending";
  put(out, h("p", { class: "hint" }, bi("正在加载…", "Loading…")));
  try {
    const r = await call("GET", path);
    if (r.status === 200) {
      put(out);
      out.dataset.state = "done";
      return r.body;
    }
    report(out, r);
  } catch (_) {
    refuse(out, "网络不可用，请稍后重试。", "The network is unavailable; please try again.");
  }
  return null;
}

/** The people who may write: officers and administrators (auditors read). */
export const writer = () => can("admin", "officer");

/** A table in a horizontally scrolling wrapper. */
export function table(id, heads, rows, caption) {
  return h("div", { class: "table-wrap", tabindex: 0 },
    h("table", { id },
      caption ? h("caption", {}, caption) : null,
      h("thead", {}, h("tr", {}, heads.map((x) => h("th", { scope: "col", class: x.num ? "num" : null }, x.label || x)))),
      h("tbody", {}, rows)));
}

export const col = (zh, en, num) => ({ label: bi(zh, en), num });

/** Money as a table cell. */
export const moneyCell = (m) => h("td", { class: "num", "data-amount": m ?? "" }, yuan(m));

/** Fetches a stored file (a document, a piece of evidence) as the signed-in person; a Blob. */
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
  return { blob: await r.blob(), sha256: r.headers.get("x-sha256") };
}

async function digest(blob) {
  if (!crypto.subtle) return null;
  const d = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

const EXT = { "application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png" };

/**
 * The buttons to view (a new tab; an image also below, in `preview`) and download a stored
 * file, reporting in `out`; `expected` is its SHA-256 as listed, checked after the fetch.
 */
export function fileButtons(idBase, path, name, contentType, expected, out, preview) {
  const get = async (view) => {
    // The tab is opened while the click still counts, then pointed at the file.
    const tab = view ? window.open("", "_blank") : null;
    busy(out, "正在获取文件…", "Fetching the file…");
    try {
      const { blob, sha256 } = await fetchFile(path);
      // Only a PDF or an image is shown, typed as listed; anything else is bytes to save.
      const type = EXT[contentType] ? contentType : "application/octet-stream";
      if (view && !EXT[contentType]) {
        if (tab) tab.close();
        return refuse(out, "该文件格式不能在浏览器中查看，请下载。", "This kind of file cannot be shown here; download it.");
      }
      const typed = blob.type !== type ? new Blob([blob], { type }) : blob;
      const url = URL.createObjectURL(typed);
      setTimeout(() => URL.revokeObjectURL(url), 120000);
      const sum = await digest(blob);
      const want = (expected || sha256 || "").toLowerCase();
      const check = sum && want
        ? (sum === want
          ? h("span", { class: "good", "data-sha256": "match" }, bi("SHA-256 校验一致。", "SHA-256 matches."))
          : h("span", { class: "bad", "data-sha256": "mismatch" }, bi(`SHA-256 不一致：${sum}`, `SHA-256 differs: ${sum}`)))
        : null;
      const link = h("a", { href: url, target: "_blank", rel: "noopener" }, bi("打开", "Open"));
      if (view) {
        if (tab) tab.location.href = url;
        if (preview && typed.type.startsWith("image/")) {
          const reader = new FileReader();
          reader.onload = () => put(preview, h("figure", {}, h("img", { src: reader.result, alt: name, class: "doc-image" }), h("figcaption", {}, name)));
          reader.readAsDataURL(typed);
        }
      } else {
        const a = h("a", { href: url, download: `${name}.${EXT[typed.type] || "bin"}` });
        document.body.append(a);
        a.click();
        a.remove();
      }
      put(out, h("p", { class: "good" }, view ? bi(`已打开 ${name}（`, `Opened ${name} (`) : bi(`已下载 ${name}（`, `Downloaded ${name} (`),
        link, bi("）。", ")."), " ", check));
      out.dataset.state = "done";
    } catch (e) {
      if (tab) tab.close();
      if (e.answer) report(out, e.answer);
      else refuse(out, "无法获取文件。", "The file could not be fetched.");
    }
  };
  return [
    h("button", { type: "button", class: "secondary small", id: `${idBase}-view`, onclick: () => get(true) }, bi("查看", "View")),
    " ",
    h("button", { type: "button", class: "secondary small", id: `${idBase}-download`, onclick: () => get(false) }, bi("下载", "Download")),
  ];
}

/** "2026-04-15T10:00:00+08:00" → "2026-04-15 10:00". */
export { moment };

// ---------------------------------------------------------------------------------------
// The credit register (PROC-CREDIT): on this page and on an application's.

/**
 * The credit register's panel for `code` in `root`: the findings with their changes and the
 * form to add one. `findings` is the EnterpriseView's list; `refresh()` loads it again and
 * answers it. `defaults()` (optional) gives {date, source, reference} for a new finding,
 * e.g. from the review's credit report.
 */
export function creditRegister(root, code, findings, refresh, defaults) {
  const list = h("div", { id: "finding-list" });
  const path = `/api/enterprises/${encodeURIComponent(code)}/credit-findings`;
  const canWrite = writer();

  // The change form, shown under the finding it changes.
  const change = { id: null, action: null };
  const cKind = h("select", { id: "finding-change-kind" }, options(FINDINGS));
  const cDate = h("input", { type: "date", id: "finding-change-date" });
  const cSource = h("input", { type: "text", id: "finding-change-source", maxlength: 200 });
  const cRepaired = h("input", { type: "date", id: "finding-change-repaired", value: today() });
  const cReason = h("textarea", { id: "finding-change-reason", maxlength: 500, rows: 2 });
  const cOut = outlet("finding-change-result");
  const cTitle = h("legend", {});
  const correctOnly = h("div", { class: "grid3" }, field("认定类型", "Kind", cKind), field("认定日期", "Date", cDate), field("来源（及报告编号）", "Source (and report reference)", cSource));
  const repairOnly = h("div", { class: "grid3" }, field("信用修复日期", "Repaired on", cRepaired));
  const cForm = h("form", { id: "finding-change", class: "panel", hidden: true, novalidate: true },
    h("fieldset", {}, cTitle, correctOnly, repairOnly,
      field("理由（记入审计日志）", "Reason (kept in the audit log)", cReason),
      h("p", { class: "tools" },
        h("button", { type: "submit", id: "finding-change-submit" }, bi("提交更改", "Save the change")),
        h("button", { type: "button", class: "secondary", id: "finding-change-cancel", onclick: () => { cForm.hidden = true; } }, bi("取消", "Cancel")))));
  cForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    const reason = cReason.value.trim();
    if (!reason) return refuse(cOut, "请填写理由。", "Give the reason.");
    let body;
    if (change.action === "correct") {
      body = { action: "correct", kind: cKind.value, date: cDate.value, source: cSource.value.trim(), reason };
    } else if (change.action === "repair") {
      body = { action: "repair", repaired_on: cRepaired.value, reason };
    } else {
      body = { action: "withdraw", reason };
    }
    const r = await act(cOut, () => call("POST", `${path}/${change.id}`, body), (f) =>
      h("p", { class: "good", "data-finding": f.id }, bi(`认定 #${f.id} 已更改。`, `Finding #${f.id} changed.`),
        " ", f.withdrawn_at ? bi("（已撤销）", "(withdrawn)") : f.repaired_on ? bi(`（${f.repaired_on} 起已修复）`, `(repaired from ${f.repaired_on})`) : null));
    if (r) {
      cForm.hidden = true;
      draw(await refresh());
    }
  });

  const open = (f, action) => {
    change.id = f.id;
    change.action = action;
    put(cTitle, action === "correct" ? bi(`更正认定 #${f.id}`, `Correct finding #${f.id}`)
      : action === "repair" ? bi(`标记认定 #${f.id} 已信用修复`, `Mark finding #${f.id} repaired`)
        : bi(`撤销认定 #${f.id}`, `Withdraw finding #${f.id}`));
    correctOnly.hidden = action !== "correct";
    repairOnly.hidden = action !== "repair";
    cKind.value = f.kind;
    cDate.value = f.date;
    cSource.value = f.source;
    cReason.value = "";
    put(cOut);
    delete cOut.dataset.state;
    cForm.hidden = false;
    const row = document.getElementById(`finding-${f.id}`);
    if (row) row.closest(".table-wrap").after(cForm);
    cReason.focus();
  };

  const draw = (items) => {
    const rows = (items || []).map((f) => h("tr", { id: `finding-${f.id}`, "data-counts": f.counts ? "true" : "false", class: f.withdrawn_at ? "removed" : null },
      h("td", {}, `#${f.id}`),
      h("td", {}, label(FINDINGS, f.kind)),
      h("td", {}, f.date),
      h("td", {}, f.source),
      h("td", {}, f.withdrawn_at ? bi(`已撤销（${moment(f.withdrawn_at)}）`, `withdrawn (${moment(f.withdrawn_at)})`)
        : f.repaired_on ? bi(`${f.repaired_on} 起信用修复`, `repaired from ${f.repaired_on}`) : bi("有效", "standing")),
      h("td", {}, f.counts ? bi("评审时计入", "counts at review") : bi("不计入", "does not count")),
      canWrite ? h("td", { class: "tools" }, f.withdrawn_at ? "—" : [
        h("button", { type: "button", class: "link", id: `finding-${f.id}-correct`, onclick: () => open(f, "correct") }, bi("更正", "Correct")),
        h("button", { type: "button", class: "link", id: `finding-${f.id}-repair`, onclick: () => open(f, "repair") }, bi("信用修复", "Repaired")),
        h("button", { type: "button", class: "link danger", id: `finding-${f.id}-withdraw`, onclick: () => open(f, "withdraw") }, bi("撤销", "Withdraw")),
      ]) : null));
    const heads = [col("编号", "No."), col("类型", "Kind"), col("认定日期", "Date"), col("来源", "Source"), col("状态", "State"), col("评审", "Review")];
    if (canWrite) heads.push(col("操作", "Change"));
    put(list, rows.length ? table("finding-table", heads, rows) : h("p", { id: "finding-table", class: "hint", "data-empty": "true" }, bi("信用记录中没有认定。", "The register holds no finding.")));
    if (!cForm.hidden && change.id) {
      const row = document.getElementById(`finding-${change.id}`);
      if (row) row.closest(".table-wrap").after(cForm);
      else cForm.hidden = true;
    }
  };

  // The form to add one: the report's date and reference with the source.
  let addForm = null;
  if (canWrite) {
    const d = defaults ? defaults() : {};
    const aKind = h("select", { id: "finding-add-kind" }, options(FINDINGS, null, ["请选择", "Choose"]));
    const aDate = h("input", { type: "date", id: "finding-add-date", value: d.date || today() });
    const aSource = h("input", { type: "text", id: "finding-add-source", maxlength: 160, value: d.source || "信用中国（北京）" });
    const aRef = h("input", { type: "text", id: "finding-add-reference", maxlength: 40, value: d.reference || "", ...ph("如 XYBJ-2026-000123", "e.g. XYBJ-2026-000123") });
    for (const i of [aDate, aSource, aRef]) i.addEventListener("input", () => { i.dataset.touched = "1"; });
    const aOut = outlet("finding-add-result");
    addForm = h("form", { id: "finding-add", class: "panel", novalidate: true },
      h("fieldset", {}, h("legend", {}, bi("登记信用认定", "Register a credit finding")),
        h("div", { class: "grid3" },
          field("类型", "Kind", aKind),
          field("认定/报告日期", "Date of the finding or report", aDate),
          field("来源", "Source", aSource),
          field("报告编号", "Report reference", aRef)),
        h("p", {}, h("button", { type: "submit", id: "finding-add-submit" }, bi("登记", "Register"))),
        aOut));
    addForm.addEventListener("submit", async (e) => {
      e.preventDefault();
      if (!aKind.value) return refuse(aOut, "请选择认定类型。", "Choose the kind of finding.");
      if (!aDate.value) return refuse(aOut, "请填写认定日期。", "Give the date.");
      const src = aSource.value.trim();
      const ref = aRef.value.trim();
      if (!src) return refuse(aOut, "请填写来源。", "Give the source.");
      const body = { kind: aKind.value, date: aDate.value, source: ref ? `${src}（${ref}）` : src };
      const r = await act(aOut, () => call("POST", path, body), (f) =>
        h("p", { class: "good", "data-finding": f.id }, bi(`已登记认定 #${f.id}。评审时按其当时状态判断（PROC-CREDIT）；已评审的申报需重新保存评审。`,
          `Finding #${f.id} registered. The review reads the register as it stands (PROC-CREDIT): save the review again for an application already reviewed.`)));
      if (r) {
        aKind.value = "";
        draw(await refresh());
      }
    });
    // The review's credit report fills the fields nobody typed in.
    addForm.refill = () => {
      if (!defaults) return;
      const x = defaults();
      if (!aDate.dataset.touched && x.date) aDate.value = x.date;
      if (!aSource.dataset.touched && x.source) aSource.value = x.source;
      if (!aRef.dataset.touched && x.reference !== undefined) aRef.value = x.reference;
    };
  }
  put(root, list, cForm, cOut, addForm);
  draw(findings);
  return { draw, refill: () => addForm && addForm.refill() };
}

// ---------------------------------------------------------------------------------------
// The enterprise page.

const codeOf = () => new URLSearchParams(location.hash.slice(1)).get("code") || "";

async function start() {
  const s = await initConsole();
  if (!s) return;
  const input = document.getElementById("enterprise-code");
  document.getElementById("enterprise-lookup").addEventListener("submit", (e) => {
    e.preventDefault();
    const c = input.value.trim().toUpperCase();
    if (c) location.hash = `code=${encodeURIComponent(c)}`;
  });
  window.addEventListener("hashchange", () => show1(codeOf()));
  await show1(codeOf());
}

async function show1(code) {
  const input = document.getElementById("enterprise-code");
  const msg = document.getElementById("enterprise-message");
  const body = document.getElementById("enterprise");
  input.value = code;
  put(body);
  if (!code) {
    put(msg, h("p", { class: "hint" }, bi("输入统一社会信用代码查看企业档案。", "Enter a credit code to see the enterprise's record.")));
    msg.dataset.state = "done";
    return;
  }
  const path = `/api/enterprises/${encodeURIComponent(code)}`;
  const e = await load(msg, path);
  if (!e) return;
  const name = new URLSearchParams(location.hash.slice(1)).get("name");
  document.getElementById("enterprise-title").replaceChildren(bi("企业档案", "Enterprise record"), " · ", name || code);
  const refresh = async () => {
    const r = await call("GET", path);
    return r.status === 200 ? r.body : null;
  };
  const hist = h("section", { id: "enterprise-history" });
  const credit = h("section", { id: "enterprise-credit" });
  const fraud = h("section", { id: "enterprise-fraud-section" });
  const recovery = h("section", { id: "enterprise-recovery" });
  const summary = h("dl", { class: "facts", id: "enterprise-summary" });
  // Drawn again with every change below, so the counts never lag behind the sections.
  const drawSummary = (x) => put(summary,
    h("dt", {}, bi("统一社会信用代码", "Credit code")), h("dd", {}, h("code", {}, x.credit_code)),
    name ? [h("dt", {}, bi("名称（申报所填）", "Name (as applied)")), h("dd", {}, name)] : null,
    h("dt", {}, bi("此前补助", "Earlier subsidies")), h("dd", {}, bi(`${x.history.length} 次`, `${x.history.length}`)),
    h("dt", {}, bi("信用认定（计入）", "Credit findings (counting)")), h("dd", { id: "enterprise-summary-findings" }, String(x.credit_findings.filter((f) => f.counts).length)),
    h("dt", {}, bi("欺诈认定", "Fraud determinations")), h("dd", { id: "enterprise-summary-fraud" }, String(x.fraud_findings.length)),
    h("dt", {}, bi("待追回", "Outstanding")), h("dd", { id: "enterprise-summary-outstanding", "data-amount": x.recovery.outstanding }, yuan(x.recovery.outstanding)));
  put(body, summary, hist, credit, fraud, recovery);
  const redraw = (x) => {
    if (!x) return;
    drawSummary(x);
    drawHistory(hist, code, x, redraw);
    drawFraud(fraud, code, x, redraw);
    drawRecovery(recovery, code, x, redraw);
  };
  redraw(e);
  put(credit, h("h2", {}, bi("信用记录", "Credit register"), " ", ruleLink("PROC-CREDIT")), h("div", { id: "enterprise-credit-panel" }));
  creditRegister(document.getElementById("enterprise-credit-panel"), code, e.credit_findings, async () => {
    const x = await refresh();
    if (x) drawSummary(x);
    return x ? x.credit_findings : [];
  });
}

/** Earlier subsidies (CAP-YEAR, CAP-TIMES) and their import. */
function drawHistory(root, code, e, redraw) {
  const rows = e.history.map((r, i) => h("tr", { id: `enterprise-history-${i}` },
    h("td", {}, String(r.year)), moneyCell(r.amount), h("td", {}, r.reference || "—"), h("td", {}, r.recovered ? bi("已追回（仍计次数）", "recovered (still counts)") : "—")));
  const head = [h("h2", {}, bi("此前补助", "Earlier subsidies"), " ", ruleLink("CAP-YEAR"), " ", ruleLink("CAP-TIMES")),
    rows.length ? table("enterprise-history-table", [col("年度", "Year"), col("金额", "Amount", true), col("文号", "Reference"), col("追回", "Recovered")], rows)
      : h("p", { id: "enterprise-history-table", class: "hint", "data-empty": "true" }, bi("没有此前补助的记录。", "No earlier subsidy on record."))];
  if (!writer()) return put(root, head);
  const lines = h("div", { id: "history-rows" });
  const out = root.querySelector("#history-result") || outlet("history-result");
  const addRow = () => {
    const n = lines.children.length;
    lines.append(h("div", { class: "row", id: `history-row-${n}` },
      field("年度", "Year", h("input", { type: "number", id: `history-${n}-year`, min: 2000, max: 2100, step: 1 })),
      field("金额（元）", "Amount (CNY)", h("input", { type: "text", id: `history-${n}-amount`, inputmode: "decimal", ...ph("如 70000.00", "e.g. 70000.00") })),
      field("文号", "Reference", h("input", { type: "text", id: `history-${n}-reference`, ...ph("如 门知〔2024〕5号", "e.g. 门知〔2024〕5号") })),
      h("label", { class: "field check" }, h("input", { type: "checkbox", id: `history-${n}-recovered` }), bi("已追回", "Recovered"))));
  };
  addRow();
  const form = h("form", { id: "history-import", class: "panel", novalidate: true },
    h("fieldset", {}, h("legend", {}, bi("导入此前补助", "Import earlier subsidies")),
      h("p", { class: "hint" }, bi("本系统之前发放的补助，用于年度上限和次数限制。", "Subsidies granted before this system, for the yearly cap and the number of times.")),
      lines,
      h("p", { class: "tools" },
        h("button", { type: "button", class: "secondary", id: "history-add-row", onclick: addRow }, bi("再加一行", "Add a row")),
        h("button", { type: "submit", id: "history-submit" }, bi("导入", "Import"))),
      out));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const records = [];
    for (let n = 0; n < lines.children.length; n++) {
      const year = document.getElementById(`history-${n}-year`).value.trim();
      const amount = document.getElementById(`history-${n}-amount`).value.trim();
      const reference = document.getElementById(`history-${n}-reference`).value.trim();
      const recovered = document.getElementById(`history-${n}-recovered`).checked;
      if (!year && !amount && !reference) continue;
      if (!/^\d{4}$/.test(year)) return refuse(out, `第 ${n + 1} 行：年度须为四位数字。`, `Row ${n + 1}: the year has four digits.`);
      if (fen(amount) === null) return refuse(out, `第 ${n + 1} 行：金额格式应为 70000.00。`, `Row ${n + 1}: write the amount as 70000.00.`);
      const r = { year: Number(year), amount };
      if (reference) r.reference = reference;
      if (recovered) r.recovered = true;
      records.push(r);
    }
    if (!records.length) return refuse(out, "请至少填写一行。", "Fill at least one row.");
    const r = await act(out, () => call("POST", `/api/enterprises/${encodeURIComponent(code)}/history`, { records }), (x) =>
      h("p", { class: "good" }, bi(`已导入 ${records.length} 条；现有 ${x.history.length} 条记录。`, `${records.length} imported; ${x.history.length} on record.`)));
    if (r) redraw(r.body);
  });
  put(root, head, form);
}

/** Fraud determinations (FRAUD) and, for administrators, the form to record one. */
function drawFraud(root, code, e, redraw) {
  const rows = e.fraud_findings.map((f, i) => h("tr", { id: `enterprise-fraud-${i}` },
    h("td", {}, label(FRAUD_KINDS, f.kind)), h("td", {}, f.determined_on), h("td", {}, f.reference || "—"),
    moneyCell(f.to_recover), h("td", {}, f.may_apply_from)));
  const head = [h("h2", {}, bi("欺诈认定", "Fraud determinations"), " ", ruleLink("FRAUD")),
    h("div", { id: "enterprise-fraud" }, rows.length
      ? table("enterprise-fraud-table", [col("情形", "Kind"), col("认定日期", "Determined on"), col("文号", "Reference"), col("应追回", "To recover", true), col("可再申报日期", "May apply from")], rows)
      : h("p", { class: "hint", "data-empty": "true" }, bi("没有欺诈认定。", "No determination.")))];
  // Kept across redraws: the answer stays on screen after the account is drawn again.
  const out = root.querySelector("#fraud-result") || outlet("fraud-result");
  if (!can("admin")) return put(root, head);
  const kind = h("select", { id: "fraud-kind" }, options(FRAUD_KINDS, null, ["请选择", "Choose"]));
  const date = h("input", { type: "date", id: "fraud-date", value: today() });
  const ref = h("input", { type: "text", id: "fraud-reference", ...ph("如 门知执〔2026〕9号", "e.g. 门知执〔2026〕9号") });
  const confirm = h("input", { type: "checkbox", id: "fraud-confirm" });
  const form = h("form", { id: "fraud-form", class: "panel danger-zone", novalidate: true },
    h("fieldset", {}, h("legend", {}, bi("记录欺诈认定（管理员）", "Record a fraud determination (administrators)")),
      h("p", { class: "hint" }, bi("记录后：已拨付的补助全额追回，未拨付的已审定项目停止拨付，三年内不得申报。",
        "Once recorded: every subsidy paid is due back in full, approved lines not yet paid are stopped, and the enterprise may not apply for three years.")),
      h("div", { class: "grid3" }, field("情形", "Kind", kind), field("认定日期", "Determined on", date), field("认定文号", "Reference", ref)),
      h("label", { class: "field check" }, confirm, bi("已核对认定文书，确认记录", "I have checked the determination and record it")),
      h("p", {}, h("button", { type: "submit", class: "secondary danger", id: "fraud-submit" }, bi("记录认定", "Record the determination"))),
      out));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!kind.value) return refuse(out, "请选择情形。", "Choose the kind.");
    if (!date.value) return refuse(out, "请填写认定日期。", "Give the date of the determination.");
    if (!confirm.checked) return refuse(out, "请先勾选确认。", "Tick the confirmation first.");
    const body = { kind: kind.value, determined_on: date.value };
    if (ref.value.trim()) body.reference = ref.value.trim();
    const r = await act(out, () => call("POST", `/api/enterprises/${encodeURIComponent(code)}/fraud`, body), (x) =>
      h("div", { class: "good", id: "fraud-answer", "data-to-recover": x.to_recover, "data-may-apply-from": x.may_apply_from },
        h("p", {}, bi("已记录认定", "Recorded"), " (", ruleLink(x.rule), ")", bi("：应追回 ", ": to recover "), yuan(x.to_recover),
          bi(`，${x.may_apply_from} 起方可再申报。`, `; may apply again from ${x.may_apply_from}.`)),
        x.stopped.length ? h("p", {}, bi("停止拨付的申报：", "Lines stopped: "),
          x.stopped.map((id, i) => [i ? ", " : "", h("a", { href: `application.html#id=${encodeURIComponent(id)}` }, id)])) : null));
    if (r) {
      const fresh = await call("GET", `/api/enterprises/${encodeURIComponent(code)}`);
      if (fresh.status === 200) redraw(fresh.body);
    }
  });
  put(root, head, form);
}

/** The recovery account (FRAUD): claims, money received, outstanding; administrators record receipts. */
function drawRecovery(root, code, e, redraw) {
  const acc = e.recovery;
  const rows = acc.claims.map((c) => [
    h("tr", { id: `recovery-claim-${c.id}`, "data-outstanding": c.outstanding },
      h("td", {}, `#${c.id}`), h("td", {}, String(c.year)), h("td", {}, c.subsidy), h("td", {}, c.determined_on),
      moneyCell(c.due), moneyCell(c.recovered), moneyCell(c.outstanding)),
    c.received.length ? h("tr", { class: "sub" }, h("td", {}), h("td", { colspan: 6 },
      h("ul", { class: "plain" }, c.received.map((x) => h("li", {}, x.received_on, " · ", yuan(x.amount), " · ", x.reference))))) : null,
  ]);
  const head = [h("h2", {}, bi("追回台账", "Recovery account"), " ", ruleLink("FRAUD")),
    h("dl", { class: "facts" },
      h("dt", {}, bi("应追回", "Due")), h("dd", { id: "recovery-due", "data-amount": acc.due }, yuan(acc.due)),
      h("dt", {}, bi("已追回", "Received")), h("dd", { id: "recovery-recovered", "data-amount": acc.recovered }, yuan(acc.recovered)),
      h("dt", {}, bi("未追回", "Outstanding")), h("dd", { id: "recovery-outstanding", "data-amount": acc.outstanding }, yuan(acc.outstanding))),
    rows.length ? table("recovery-table", [col("编号", "Claim"), col("年度", "Year"), col("补助", "Subsidy"), col("认定日期", "Determined on"),
      col("应追回", "Due", true), col("已追回", "Received", true), col("未追回", "Outstanding", true)], rows)
      : h("p", { id: "recovery-table", class: "hint", "data-empty": "true" }, bi("没有追回事项。", "Nothing is due back."))];
  const out = root.querySelector("#recovery-result") || outlet("recovery-result");
  const open = acc.claims.filter((c) => (fen(c.outstanding) ?? 0n) > 0n);
  if (!can("admin") || !open.length) return put(root, head, out.dataset.state ? out : null);
  const claim = h("select", { id: "recovery-claim" }, open.map((c) =>
    h("option", { value: String(c.id), "data-outstanding": c.outstanding }, `#${c.id} · ${c.year} · ${yuan(c.outstanding)}`)));
  const date = h("input", { type: "date", id: "recovery-date", value: today() });
  const amount = h("input", { type: "text", id: "recovery-amount", inputmode: "decimal", ...ph("如 20000.00", "e.g. 20000.00") });
  const ref = h("input", { type: "text", id: "recovery-reference", maxlength: 100, ...ph("缴款书号或银行流水号", "Receipt or bank reference") });
  const check = h("p", { id: "recovery-check", class: "hint", "aria-live": "polite" });
  const recheck = () => {
    const c = open.find((x) => String(x.id) === claim.value);
    const a = fen(amount.value);
    if (!c) return put(check);
    const left = fen(c.outstanding);
    if (!amount.value.trim()) return put(check, bi(`该笔未追回 ${yuan(c.outstanding)}。`, `Outstanding on this claim: ${yuan(c.outstanding)}.`));
    if (a === null) return put(check, h("span", { class: "bad" }, bi("金额格式应为 20000.00。", "Write the amount as 20000.00.")));
    if (a > left) return put(check, h("span", { class: "bad" }, bi(`超过未追回余额 ${yuan(c.outstanding)}（FRAUD）。`, `More than the outstanding ${yuan(c.outstanding)} (FRAUD).`)));
    put(check, bi(`收款后该笔未追回 ${yuan(fenText(left - a))}。`, `Outstanding after it: ${yuan(fenText(left - a))}.`));
  };
  claim.addEventListener("change", recheck);
  amount.addEventListener("input", recheck);
  recheck();
  const form = h("form", { id: "recovery-form", class: "panel", novalidate: true },
    h("fieldset", {}, h("legend", {}, bi("登记追回款（管理员）", "Record money received back (administrators)")),
      h("div", { class: "grid3" }, field("追回事项", "Claim", claim), field("到账日期", "Received on", date),
        field("金额（元）", "Amount (CNY)", amount), field("凭证号", "Reference", ref)),
      check,
      h("p", {}, h("button", { type: "submit", id: "recovery-submit" }, bi("登记", "Record"))),
      out));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (fen(amount.value) === null || fen(amount.value) === 0n) return refuse(out, "请填写金额，如 20000.00。", "Give the amount, e.g. 20000.00.");
    if (!date.value) return refuse(out, "请填写到账日期。", "Give the date received.");
    if (!ref.value.trim()) return refuse(out, "请填写凭证号。", "Give the receipt's reference.");
    const body = { claim_id: Number(claim.value), received_on: date.value, amount: amount.value.trim(), reference: ref.value.trim() };
    const r = await act(out, () => call("POST", `/api/enterprises/${encodeURIComponent(code)}/recoveries`, body), (x) =>
      h("p", { class: "good", "data-outstanding": x.recovery.outstanding }, bi("已登记。未追回合计：", "Recorded. Outstanding in all: "), yuan(x.recovery.outstanding)));
    if (r) redraw(r.body);
  });
  put(root, head, form);
}

if (document.body && document.body.dataset.page === "enterprise") start();
