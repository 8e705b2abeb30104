// The office's console: one enterprise by its credit code (#code=…) — its earlier subsidies
// (and their import), the credit register (add, correct, mark repaired, withdraw), fraud
// determinations (administrators) and the recovery account (administrators record money
// received back).
//
// Ids a test uses (enterprise.html):
//   #enterprise-code, #enterprise-open, #enterprise-message[data-state]
//   #enterprise-history-table, #history-row-<n> (n from 0, the rows of the import form):
//     #history-<n>-year|amount|reference|recovered, #history-add-row, #history-submit,
//     #history-result[data-state]
//   the credit register: #finding-* (review-kit.js)
//   #enterprise-fraud (determinations), #fraud-kind, #fraud-date, #fraud-reference,
//     #fraud-confirm (checkbox), #fraud-submit, #fraud-result[data-state] (admin only)
//   #recovery-due, #recovery-recovered, #recovery-outstanding, #recovery-table,
//     #recovery-claim-<id> (a claim's row), #recovery-claim (select), #recovery-date,
//     #recovery-amount, #recovery-reference, #recovery-check, #recovery-submit,
//     #recovery-result[data-state] (admin only)

import {
  initConsole, call, can, writer, act, succeeded, load, problem, outlet, ruleLink, fen, fromFen,
  yuan, moneyCell, table, field, options, ph, today, h, bi, put,
} from "./session.js";
import { FRAUD_KINDS, label, historyTable, creditRegister } from "./review-kit.js";

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
  const head = [h("h2", {}, bi("此前补助", "Earlier subsidies"), " ", ruleLink("CAP-YEAR"), " ", ruleLink("CAP-TIMES")),
    historyTable("enterprise-history-table", e.history, "enterprise-history")];
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
      if (!/^\d{4}$/.test(year)) return problem(out, `第 ${n + 1} 行：年度须为四位数字。`, `Row ${n + 1}: the year has four digits.`);
      if (fen(amount) === null) return problem(out, `第 ${n + 1} 行：金额格式应为 70000.00。`, `Row ${n + 1}: write the amount as 70000.00.`);
      const r = { year: Number(year), amount };
      if (reference) r.reference = reference;
      if (recovered) r.recovered = true;
      records.push(r);
    }
    if (!records.length) return problem(out, "请至少填写一行。", "Fill at least one row.");
    const r = await act(out, null, () => call("POST", `/api/enterprises/${encodeURIComponent(code)}/history`, { records }), (x) =>
      h("p", { class: "good" }, bi(`已导入 ${records.length} 条；现有 ${x.history.length} 条记录。`, `${records.length} imported; ${x.history.length} on record.`)));
    if (succeeded(r)) redraw(r.body);
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
      ? table("enterprise-fraud-table", [["情形", "Kind"], ["认定日期", "Determined on"], ["文号", "Reference"], ["应追回", "To recover", "num"], ["可再申报日期", "May apply from"]], rows)
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
    if (!kind.value) return problem(out, "请选择情形。", "Choose the kind.");
    if (!date.value) return problem(out, "请填写认定日期。", "Give the date of the determination.");
    if (!confirm.checked) return problem(out, "请先勾选确认。", "Tick the confirmation first.");
    const body = { kind: kind.value, determined_on: date.value };
    if (ref.value.trim()) body.reference = ref.value.trim();
    const r = await act(out, null, () => call("POST", `/api/enterprises/${encodeURIComponent(code)}/fraud`, body), (x) =>
      h("div", { class: "good", id: "fraud-answer", "data-to-recover": x.to_recover, "data-may-apply-from": x.may_apply_from },
        h("p", {}, bi("已记录认定", "Recorded"), " (", ruleLink(x.rule), ")", bi("：应追回 ", ": to recover "), yuan(x.to_recover),
          bi(`，${x.may_apply_from} 起方可再申报。`, `; may apply again from ${x.may_apply_from}.`)),
        x.stopped.length ? h("p", {}, bi("停止拨付的申报：", "Lines stopped: "),
          x.stopped.map((id, i) => [i ? ", " : "", h("a", { href: `application.html#id=${encodeURIComponent(id)}` }, id)])) : null));
    if (succeeded(r)) {
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
    rows.length ? table("recovery-table", [["编号", "Claim"], ["年度", "Year"], ["补助", "Subsidy"], ["认定日期", "Determined on"],
      ["应追回", "Due", "num"], ["已追回", "Received", "num"], ["未追回", "Outstanding", "num"]], rows)
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
    put(check, bi(`收款后该笔未追回 ${yuan(fromFen(left - a))}。`, `Outstanding after it: ${yuan(fromFen(left - a))}.`));
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
    if (fen(amount.value) === null || fen(amount.value) === 0n) return problem(out, "请填写金额，如 20000.00。", "Give the amount, e.g. 20000.00.");
    if (!date.value) return problem(out, "请填写到账日期。", "Give the date received.");
    if (!ref.value.trim()) return problem(out, "请填写凭证号。", "Give the receipt's reference.");
    const body = { claim_id: Number(claim.value), received_on: date.value, amount: amount.value.trim(), reference: ref.value.trim() };
    const r = await act(out, null, () => call("POST", `/api/enterprises/${encodeURIComponent(code)}/recoveries`, body), (x) =>
      h("p", { class: "good", "data-outstanding": x.recovery.outstanding }, bi("已登记。未追回合计：", "Recorded. Outstanding in all: "), yuan(x.recovery.outstanding)));
    if (succeeded(r)) redraw(r.body);
  });
  put(root, head, form);
}

start();
