// The office's console: objections to a proposed list (PROC-OBJECT) — choose the notice,
// see its objections with their status, open one (the objector, the grounds, the evidence
// to view or download), and conclude its re-review: upheld (the entry removed, or with a
// new amount), partly upheld with the new amount, or dismissed, with the reasons in both
// languages. Before it is saved the page shows what the conclusion changes on the list:
// the line's amount before → after and the list's total before → after, computed in
// integer fen from the newest version of the round's list (GET /api/rounds/{year}/allocation),
// with the caps and the budget the service will hold it to (CAP-YEAR, BUDGET).
// The address keeps the choice: #notice=<id>&id=<tracking number>.
//
// Ids a test uses:
//   #objection-notice (select), #objection-notice-info, #objection-message[data-state],
//   #objection-counts, #objection-table, #objection-row-<ID> (data-status),
//   #objection-open-<ID> (opens it), #objection-detail (data-status), #objection-grounds,
//   #evidence-<n>-view, #evidence-<n>-download, #evidence-message[data-state], #evidence-preview,
//   #conclusion-form, #conclusion-outcome (select: upheld|partly_upheld|dismissed),
//   #conclusion-new-amount, #conclusion-reason (Chinese), #conclusion-reason-en,
//   #conclusion-preview (data-current, data-new, data-total-before, data-total-after,
//   data-unallocated-after, data-change), #conclusion-submit, #conclusion-result[data-state]

import {
  initConsole, call, act, succeeded, load, problem, outlet, writer, ruleLink, fen, fromFen, sumFen, yuan, moneyCell,
  table, field, options, ph, moment, h, bi, put,
} from "./session.js";
import { label, fileButtons } from "./review-kit.js";

const OBJ_STATUS = [
  ["received", "已受理，重审中", "Received, under re-review"],
  ["upheld", "异议成立", "Upheld"],
  ["partly_upheld", "异议部分成立", "Partly upheld"],
  ["dismissed", "异议不成立", "Dismissed"],
];
const ENTRY_STATUS = [["listed", "拟补助", "listed"], ["amended", "已调整", "amended"], ["removed", "已取消", "removed"], ["paid", "已拨付", "paid"]];
const OUTCOMES = [
  ["upheld", "异议成立（取消补助，或按新金额）", "Upheld (the entry removed, or a new amount)"],
  ["partly_upheld", "异议部分成立（调整金额）", "Partly upheld (a new amount)"],
  ["dismissed", "异议不成立（维持原名单）", "Dismissed (the entry stands)"],
];

const state = { notices: [], notice: null, objections: [], alloc: null, current: null };
const el = (id) => document.getElementById(id);
const hashParams = () => new URLSearchParams(location.hash.slice(1));

function setHash(notice, id) {
  const p = new URLSearchParams();
  if (notice) p.set("notice", notice);
  if (id) p.set("id", id);
  const next = `#${p.toString()}`;
  if (location.hash !== next) location.hash = next;
}

// ---------------------------------------------------------------------------------------
// The notice and its objections.

function noticeInfo(n) {
  const p = n.period;
  return [
    h("p", {}, h("strong", {}, bi(n.title_zh, n.title_en)), " · ",
      h("a", { href: `/notices/${encodeURIComponent(n.id)}` }, bi("公示原文", "The notice as published"))),
    h("p", { class: "hint" },
      bi("发布于 ", "Published "), moment(n.published_at),
      p ? [bi(`；公示期 ${p.first_day} 至 ${p.last_day}（${p.working_days} 个工作日）`, `; notice period ${p.first_day} to ${p.last_day} (${p.working_days} working days)`)] : null,
      n.objections_open ? bi("；正在受理异议", "; objections are taken") : bi("；异议期已结束", "; the period is over"),
      bi("；现名单合计 ", "; the list now totals "), h("span", { id: "objection-notice-total", "data-amount": n.current_total }, yuan(n.current_total))),
  ];
}

function drawList() {
  const n = state.notice;
  const counts = new Map();
  for (const o of state.objections) counts.set(o.status, (counts.get(o.status) || 0) + 1);
  put(el("objection-counts"), state.objections.length
    ? h("ul", { class: "stages" }, OBJ_STATUS.map(([s]) => s).filter((s) => counts.has(s)).map((s) =>
      h("li", { id: `objection-count-${s}`, "data-count": counts.get(s) }, label(OBJ_STATUS, s), " ", h("strong", {}, String(counts.get(s))))))
    : null);
  const rows = state.objections.map((o) => {
    const entry = (n.current_entries || []).find((e) => e.number === o.entry);
    return h("tr", { id: `objection-row-${o.tracking_number}`, "data-status": o.status, class: state.current === o.tracking_number ? "current" : null },
      h("th", { scope: "row" }, h("a", { id: `objection-open-${o.tracking_number}`, href: `#notice=${encodeURIComponent(n.id)}&id=${encodeURIComponent(o.tracking_number)}` }, o.tracking_number)),
      h("td", { class: "num" }, String(o.entry)),
      h("td", {}, entry ? entry.enterprise_name : "—", h("br"), h("a", { href: `application.html#id=${encodeURIComponent(o.application_id)}` }, h("small", {}, o.application_id))),
      h("td", {}, moment(o.filed_at)),
      h("td", { class: `status status-${o.status}` }, label(OBJ_STATUS, o.status)),
      h("td", {}, o.concluded_at ? moment(o.concluded_at) : "—"),
      moneyCell(o.new_amount));
  });
  put(el("objection-list"), rows.length
    ? table("objection-table", [["受理编号", "Tracking number"], ["序号", "Entry", "num"], ["企业 / 申报", "Enterprise / application"],
      ["提出时间", "Filed"], ["状态", "Status"], ["重审时间", "Concluded"], ["新金额", "New amount", "num"]], rows)
    : h("p", { id: "objection-table", class: "hint", "data-empty": "true" }, bi("该公示没有收到异议。", "No objection to this notice.")));
}

async function loadAllocation(year) {
  const r = await call("GET", `/api/rounds/${year}/allocation`).catch(() => null);
  state.alloc = r && r.status === 200 ? r.body : null;
}

async function loadNotice(id) {
  const msg = el("objection-message");
  state.notice = null;
  state.objections = [];
  put(el("objection-list"));
  put(el("objection-notice-info"));
  put(el("objection-counts"));
  const n = await load(msg, `/api/notices/${encodeURIComponent(id)}`);
  if (!n) return false;
  const list = await load(msg, `/api/objections?notice=${encodeURIComponent(id)}`);
  if (!list) return false;
  state.notice = n;
  state.objections = list.objections || [];
  await loadAllocation(n.round_year);
  put(el("objection-notice-info"), noticeInfo(n));
  drawList();
  put(msg, h("p", { class: "hint" }, bi(`共 ${state.objections.length} 件异议。`, `${state.objections.length} objection(s).`)));
  msg.dataset.state = "done";
  return true;
}

// ---------------------------------------------------------------------------------------
// One objection.

/**
 * What a conclusion changes on the list, in fen: {current, next, totalBefore, totalAfter,
 * unallocatedAfter, change, problem: [zh, en, rule] | null}. Mirrors rules::re_review::apply.
 */
export function effect(alloc, applicationId, outcome, newAmountText) {
  const a = alloc && alloc.allocation;
  if (!a) return null;
  const line = a.lines.find((l) => l.id === applicationId);
  const totalBefore = sumFen(a.lines.map((l) => l.granted));
  const budget = fen(a.budget) ?? 0n;
  const unallocated = budget > totalBefore ? budget - totalBefore : 0n;
  const current = line ? fen(line.granted) ?? 0n : 0n;
  const capped = line ? fen(line.capped_amount) : null;
  const res = { line, current, next: current, totalBefore, totalAfter: totalBefore, unallocated, unallocatedAfter: unallocated, change: "none", problem: null };
  if (!line) {
    res.problem = ["该申报不在拟补助名单中。", "The application is not on the proposed list.", null];
    return res;
  }
  const text = String(newAmountText ?? "").trim();
  if (outcome === "dismissed" || !outcome) return res;
  let next;
  if (!text) {
    if (outcome === "partly_upheld") {
      res.problem = ["异议部分成立时须填写调整后的金额。", "A partly upheld objection needs the new amount.", null];
      res.change = "invalid";
      return res;
    }
    next = 0n;
  } else {
    next = fen(text);
    if (next === null) {
      res.problem = ["金额格式应为 12345.67。", "Write the amount as 12345.67.", null];
      res.change = "invalid";
      return res;
    }
    if (next === 0n || next === current) {
      res.problem = [`新的金额须大于 0 且不同于现拟补助金额 ${fromFen(current)} 元（取消补助请选“异议成立”且不填金额；维持原金额请选“异议不成立”）。`,
        `The new amount must be above 0 and differ from the current ${fromFen(current)} CNY (upheld without an amount removes the entry; dismissed keeps it).`, null];
      res.change = "invalid";
      return res;
    }
    if (next > current && capped !== null && next > capped) {
      res.problem = [`高于该项目的封顶金额 ${fromFen(capped)} 元。`, `Above the line's capped amount, ${fromFen(capped)} CNY.`, "CAP-YEAR"];
    } else if (next > current && next - current > unallocated) {
      res.problem = [`增加的金额超过预算余额 ${fromFen(unallocated)} 元。`, `The increase exceeds the budget left, ${fromFen(unallocated)} CNY.`, "BUDGET"];
    }
  }
  res.next = next;
  res.change = next === 0n ? "removed" : next < current ? "lowered" : "raised";
  res.totalAfter = totalBefore - current + next;
  res.unallocatedAfter = budget > res.totalAfter ? budget - res.totalAfter : 0n;
  return res;
}

function preview(out, o, outcome, amount) {
  const e = effect(state.alloc, o.application_id, outcome, amount);
  for (const k of ["current", "new", "totalBefore", "totalAfter", "unallocatedAfter", "change"]) delete out.dataset[k];
  if (!e) {
    return put(out, h("p", { class: "warn" }, bi("尚未取得该年度的拟补助名单，无法预览。", "The round's list could not be read; no preview.")));
  }
  if (!outcome) return put(out, h("p", { class: "hint" }, bi("选择重审结论后，这里显示它对名单的影响。", "Choose the conclusion to see what it changes on the list.")));
  out.dataset.change = e.change;
  out.dataset.current = fromFen(e.current);
  out.dataset.totalBefore = fromFen(e.totalBefore);
  if (e.change !== "invalid") {
    out.dataset.new = fromFen(e.next);
    out.dataset.totalAfter = fromFen(e.totalAfter);
    out.dataset.unallocatedAfter = fromFen(e.unallocatedAfter);
  }
  const arrow = (a, b) => [h("span", { class: "before" }, yuan(fromFen(a))), " → ", h("strong", { class: "after" }, yuan(fromFen(b)))];
  const what = {
    none: bi("维持原名单，金额和合计不变。", "The entry stands: nothing changes."),
    removed: bi("取消该项目的补助（移出名单）。", "The entry is removed from the list."),
    lowered: bi("调减该项目的补助金额。", "The entry's amount is lowered."),
    raised: bi("调增该项目的补助金额（不超过封顶金额和预算余额）。", "The entry's amount is raised (within its cap and the budget left)."),
    invalid: null,
  }[e.change];
  put(out,
    h("p", {}, h("strong", {}, bi("保存前预览：", "Before saving: ")), what),
    e.line ? h("table", { class: "preview" },
      h("tbody", {},
        h("tr", {}, h("th", { scope: "row" }, bi(`第 ${o.entry} 项（${e.line.enterprise}）`, `Entry ${o.entry} (${e.line.enterprise})`)),
          h("td", { class: "num", id: "conclusion-preview-line" }, e.change === "invalid" ? yuan(fromFen(e.current)) : arrow(e.current, e.next))),
        h("tr", {}, h("th", { scope: "row" }, bi("名单合计", "The list's total")),
          h("td", { class: "num", id: "conclusion-preview-total" }, e.change === "invalid" ? yuan(fromFen(e.totalBefore)) : arrow(e.totalBefore, e.totalAfter))),
        h("tr", {}, h("th", { scope: "row" }, bi("预算余额", "Budget left")),
          h("td", { class: "num", id: "conclusion-preview-unallocated" }, e.change === "invalid" ? yuan(fromFen(e.unallocated)) : arrow(e.unallocated, e.unallocatedAfter))))) : null,
    e.line ? h("p", { class: "hint" }, bi(`名单第 ${state.alloc.version} 版；该项目封顶金额 `, `List version ${state.alloc.version}; the line's capped amount `), yuan(e.line.capped_amount), bi("；预算 ", "; budget "), yuan(state.alloc.allocation.budget)) : null,
    e.problem ? h("p", { class: "bad", id: "conclusion-preview-problem" }, e.problem[2] ? [ruleLink(e.problem[2]), " "] : null, bi(e.problem[0], e.problem[1])) : null);
}

function conclusionForm(o) {
  const outcome = h("select", { id: "conclusion-outcome" }, options(OUTCOMES, null, ["请选择重审结论", "Choose the conclusion"]));
  const amount = h("input", { type: "text", id: "conclusion-new-amount", inputmode: "decimal", ...ph("如 80000.00", "e.g. 80000.00") });
  const amountField = field("调整后的金额（元）", "New amount (CNY)", amount,
    h("span", { id: "conclusion-new-amount-hint" }));
  const zh = h("textarea", { id: "conclusion-reason", maxlength: 2000, rows: 3, ...ph("经复核，……", "中文理由（公示）") });
  const en = h("textarea", { id: "conclusion-reason-en", maxlength: 2000, rows: 3, ...ph("On re-review, …", "On re-review, … (published)") });
  const pv = h("div", { id: "conclusion-preview", class: "panel preview-box", role: "status", "aria-live": "polite" });
  const submit = h("button", { type: "submit", id: "conclusion-submit" }, bi("保存重审结论", "Save the conclusion"));
  const sync = () => {
    const k = outcome.value;
    amountField.hidden = k === "dismissed" || !k;
    amount.disabled = amountField.hidden;
    put(el("conclusion-new-amount-hint") || amountField.querySelector("#conclusion-new-amount-hint"),
      k === "partly_upheld" ? bi("必填。", "Required.") : k === "upheld" ? bi("选填：不填则取消该项目补助；填写则补助金额改为该数。", "Optional: empty removes the entry; an amount replaces its amount.") : "");
    preview(pv, o, k, amount.disabled ? "" : amount.value);
  };
  outcome.addEventListener("change", sync);
  amount.addEventListener("input", sync);
  const form = h("form", { id: "conclusion-form", class: "panel", novalidate: true },
    h("fieldset", {}, h("legend", {}, bi("重审结论", "Re-review conclusion"), " ", ruleLink("PROC-OBJECT")),
      field("结论", "Conclusion", outcome), amountField,
      h("div", { class: "grid2" }, field("理由（中文，将在公示中公布）", "Reasons in Chinese (published)", zh), field("理由（英文）", "Reasons in English", en)),
      pv,
      h("p", {}, submit)));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const out = el("conclusion-result");
    const k = outcome.value;
    if (!k) return problem(out, "请选择重审结论。", "Choose the conclusion.");
    if (zh.value.trim().length < 2 || en.value.trim().length < 2) return problem(out, "请用中英文写明理由。", "Give the reasons in Chinese and in English.");
    const body = { outcome: k, reasons_zh: zh.value.trim(), reasons_en: en.value.trim() };
    if (k !== "dismissed" && amount.value.trim()) body.new_amount = amount.value.trim();
    const r = await act(out, submit, () => call("POST", `/api/objections/${encodeURIComponent(o.tracking_number)}/conclusion`, body), (x) =>
      h("div", { class: "good", id: "conclusion-answer", "data-status": x.status, "data-new-amount": x.new_amount ?? "" },
        h("p", {}, bi(`异议 ${x.tracking_number} 重审结论已保存：`, `Objection ${x.tracking_number} concluded: `), h("strong", {}, label(OBJ_STATUS, x.status)),
          x.new_amount ? [bi("，新金额 ", "; new amount "), yuan(x.new_amount)] : null,
          bi(`（${moment(x.concluded_at)}，公示更新第 ${x.notice_update ?? "—"} 条）。`, ` (${moment(x.concluded_at)}; notice update ${x.notice_update ?? "—"}).`))));
    if (succeeded(r)) {
      await loadNotice(state.notice.id);
      await openObjection(o.tracking_number, { keepResult: true });
    }
  });
  sync();
  return form;
}

async function openObjection(id, { keepResult = false } = {}) {
  const detail = el("objection-detail");
  state.current = id;
  if (!keepResult) {
    put(el("conclusion-result"));
    delete el("conclusion-result").dataset.state;
  }
  for (const tr of document.querySelectorAll("#objection-table tr.current")) tr.classList.remove("current");
  const row = el(`objection-row-${id}`);
  if (row) row.classList.add("current");
  const out = outlet("objection-detail-message");
  put(detail, out);
  const o = await load(out, `/api/objections/${encodeURIComponent(id)}`);
  if (!o || state.current !== id) return;
  const n = state.notice;
  const entry = n && (n.current_entries || []).find((e) => e.number === o.entry);
  detail.dataset.status = o.status;
  const evOut = outlet("evidence-message");
  const evPreview = h("div", { id: "evidence-preview" });
  const evidence = (o.evidence || []).map((f) => h("tr", { id: `evidence-${f.number}` },
    h("td", { class: "num" }, String(f.number)), h("td", {}, f.file_name), h("td", {}, f.content_type),
    h("td", { class: "num" }, `${Math.max(1, Math.round(f.size_bytes / 1024))} KB`),
    h("td", {}, h("code", { title: f.sha256 }, `${String(f.sha256).slice(0, 12)}…`)),
    h("td", { class: "tools" }, fileButtons(`evidence-${f.number}`, f.url && f.url.startsWith("/api/") ? f.url : `/api/objections/${encodeURIComponent(o.tracking_number)}/evidence/${f.number}`,
      `${o.tracking_number}-${f.number}-${f.file_name.replace(/\.[A-Za-z0-9]+$/, "")}`, f.content_type, f.sha256, evOut, evPreview))));
  const concluded = o.status !== "received";
  put(detail,
    h("h2", {}, bi(`异议 ${o.tracking_number}`, `Objection ${o.tracking_number}`)),
    h("dl", { class: "facts" },
      h("dt", {}, bi("状态", "Status")), h("dd", { id: "objection-status", "data-status": o.status }, label(OBJ_STATUS, o.status)),
      h("dt", {}, bi("所涉项目", "Entry")), h("dd", {}, bi(`公示第 ${o.entry} 项`, `Entry ${o.entry}`), entry ? [" · ", entry.enterprise_name, " · ", yuan(entry.amount), entry.status ? [" · ", label(ENTRY_STATUS, entry.status)] : null] : null,
        " · ", h("a", { href: `application.html#id=${encodeURIComponent(o.application_id)}` }, o.application_id)),
      h("dt", {}, bi("提出时间", "Filed")), h("dd", {}, moment(o.filed_at)),
      h("dt", {}, bi("异议人", "Objector")), h("dd", {}, o.objector.name, " · ", o.objector.contact, " · ", o.objector.relation,
        h("small", { class: "hint" }, bi("（不公开）", " (never published)")))),
    h("h3", {}, bi("异议理由", "Grounds")),
    h("p", { id: "objection-grounds", class: "prose" }, o.grounds),
    h("h3", {}, bi("证据材料", "Evidence")),
    evidence.length ? table("evidence-table", [["序号", "No.", "num"], ["文件名", "File"], ["格式", "Type"], ["大小", "Size", "num"], ["SHA-256", "SHA-256"], ["操作", "Open"]], evidence)
      : h("p", { class: "hint", "data-empty": "true" }, bi("未附证据。", "No evidence attached.")),
    evOut, evPreview,
    concluded ? h("div", { id: "objection-conclusion", class: "panel" },
      h("h3", {}, bi("重审结论", "Re-review conclusion")),
      h("p", {}, h("strong", {}, label(OBJ_STATUS, o.status)), o.new_amount ? [bi("；新金额 ", "; new amount "), yuan(o.new_amount)] : null,
        o.concluded_at ? [bi("；", "; "), moment(o.concluded_at)] : null),
      o.reasons_zh || o.reasons_en ? h("p", { class: "prose" }, bi(o.reasons_zh || "", o.reasons_en || "")) : null)
      : writer() ? conclusionForm(o) : h("p", { class: "hint" }, bi("尚待重审。", "Awaiting its re-review.")));
  out.remove();
}

// ---------------------------------------------------------------------------------------

async function route() {
  const p = hashParams();
  const noticeId = p.get("notice") || (state.notices[0] && state.notices[0].id);
  if (!noticeId) return;
  const sel = el("objection-notice");
  if (sel.value !== noticeId) sel.value = noticeId;
  if (!state.notice || state.notice.id !== noticeId) {
    put(el("objection-detail"));
    state.current = null;
    if (!(await loadNotice(noticeId))) return;
  }
  const id = p.get("id");
  if (id && id !== state.current) await openObjection(id);
  else if (!id) {
    state.current = null;
    put(el("objection-detail"));
    put(el("conclusion-result"));
  }
}

async function main() {
  const s = await initConsole();
  if (!s) return;
  const msg = el("objection-message");
  const body = await load(msg, "/api/notices");
  if (!body) return;
  state.notices = body.notices.filter((n) => n.kind === "proposed_list");
  const sel = h("select", { id: "objection-notice" }, options(state.notices.map((n) =>
    [n.id, `${n.id} · ${n.title_zh}${n.objections_open ? "（异议期内）" : ""}`, `${n.id} · ${n.title_en}${n.objections_open ? " (period open)" : ""}`])));
  put(el("objection-notice-choice"), field("公示", "Notice", sel));
  if (!state.notices.length) {
    sel.disabled = true;
    put(msg, h("p", { class: "hint" }, bi("还没有发布拟补助名单公示。", "No proposed list has been published yet.")));
    msg.dataset.state = "done";
    return;
  }
  sel.addEventListener("change", () => setHash(sel.value, null));
  window.addEventListener("hashchange", route);
  await route();
}

main();
