// The office's console: one application (#id=…) as officers review it — the enterprise's
// declarations, loans and pledged rights, the documents (viewed in a new tab, downloaded,
// their SHA-256 checked), the decision with every rule linked to the policy, the
// enterprise's earlier subsidies and credit register, the flags (the same right pledged in
// another application…), its progress; the review form (department opinions asked and
// answered, the Credit China report, credit findings registered against the enterprise,
// verified interest, the officer's note) and the void with a reason. After a save the page
// shows the decision the API answered.
//
// Ids a test uses:
//   #app-message[data-state] (loaded: done), #app-summary, #app-status (data-status),
//   #app-flags (li #flag-<n>, data-kind), #app-enterprise (#app-industry: data-industry),
//   #app-loans-table (#loan-<n>),
//   #app-documents (#doc-<DOC-ID>-view, #doc-<DOC-ID>-download), #doc-message[data-state],
//   #doc-preview, #app-decision (#app-decision-outcome: data-outcome, data-provisional,
//   data-amount), #app-history, #app-progress, #app-review-record
//   review form (officers, while the application is in review): #review-form,
//     #review-opinion-add, #review-opinion-<n> (n from 0, in order),
//     #review-opinion-<n>-department|name|answered|objects|note|remove,
//     #review-credit-source|checked|reference|rating,
//     credit register (review-kit.js): #finding-add-kind|date|source|reference,
//       #finding-add-submit, #finding-add-result[data-state], #finding-<id>-correct|repair|withdraw,
//       #finding-change-*, #finding-change-result[data-state],
//     #review-interest-<n> (the n-th loan's verified interest), #review-note,
//     #review-submit, #review-outcome[data-state] (#review-outcome-decision: data-outcome,
//     data-provisional, data-status, data-amount)
//   void (officers, before the list): #void-reason, #void-submit, #void-result[data-state]

import {
  initConsole, call, act, succeeded, load, problem, outlet, writer, ruleLink, ruleLinks, biRules, fixRuleLinks,
  yuan, isMoney, moneyCell, table, field, options, ph, today, moment, h, bi, put,
} from "./session.js";
import {
  STATUS, DOC_KINDS, DEPARTMENTS, FINDINGS, FRAUD_KINDS, CREDIT_SOURCES, wordsOf, label, labels, historyTable,
  fileButtons, creditRegister,
} from "./review-kit.js";
import { percent, rules } from "../../js/common.js";
import { ApplicationForm } from "../../js/form.js";
import { timeline } from "../../js/status.js";

const LENDERS = [
  ["bank", "银行", "Bank"],
  ["microcredit_company", "小额贷款公司", "Microcredit company"],
  ["financial_leasing", "融资租赁公司", "Financial leasing company"],
  ["other_non_bank", "其他非银行机构", "Other non-bank lender"],
];
const PATENT_TYPES = [
  ["invention", "发明专利", "Invention patent"],
  ["utility_model", "实用新型专利", "Utility model patent"],
  ["design", "外观设计专利", "Design patent"],
  ["pct_invention", "PCT发明专利", "PCT invention"],
  ["pct_utility_model", "PCT实用新型", "PCT utility model"],
];
const FLAGS = [
  ["right_pledged_elsewhere", "同一知识产权在本年度其他企业的申报中质押", "The same right is pledged in another enterprise's application of the round"],
  ["loan_claimed_elsewhere", "同一笔贷款在其他申报中", "The same loan is claimed in another application"],
];
const EFFECT = [["pass", "符合", "pass"], ["refuse", "不符合", "refused"], ["limit", "限额", "limit"], ["note", "说明", "note"]];
const IN_REVIEW = ["submitted", "eligible", "refused"];

/** Yes / no. */
const yes = (b) => (b ? bi("是", "yes") : bi("否", "no"));

/**
 * An industry's name as the public form offers it (js/form.js): a key industry of the
 * rules (the wasm bundle's parameters) or of the round (its extra key industries), or
 * "other"; null when the code is none of these (or the names cannot be read).
 */
async function industryName(code, year) {
  const [wasm, round] = await Promise.all([rules().catch(() => null), call("GET", `/api/rounds/${year}`).catch(() => null)]);
  let key = [];
  try {
    key = wasm ? wasm.defaultParameters().key_industries : [];
  } catch (_) {
    key = [];
  }
  const extra = round && round.status === 200 ? round.body.extra_key_industries || [] : [];
  // The form's own options (its method does not use the form itself): the same names.
  const o = ApplicationForm.prototype.industryOptions([...key, ...extra]).find((x) => x.value === code);
  return o ? bi(o.dataset.zh, o.dataset.en) : null;
}

const idOf = () => new URLSearchParams(location.hash.slice(1)).get("id") || "";
const el = (id) => document.getElementById(id);

// ---------------------------------------------------------------------------------------
// Reading the application.

function summary(v) {
  const e = v.application.enterprise;
  const facts = [
    ["申报编号", "Application", h("code", {}, v.id)],
    ["企业", "Enterprise", [e.name, " · ", h("a", { href: `enterprise.html#code=${encodeURIComponent(v.credit_code)}&name=${encodeURIComponent(e.name)}` }, h("code", {}, v.credit_code))]],
    ["年度", "Round", String(v.round_year)],
    ["提交时间", "Submitted", moment(v.submitted_at)],
    ["状态", "Status", h("strong", { id: "app-status", "data-status": v.status }, label(STATUS, v.status))],
    ["核定金额", "Amount found", h("span", { "data-amount": v.decision.amount }, yuan(v.decision.amount), v.decision.provisional ? bi("（暂定）", " (provisional)") : null)],
    ["收取费用", "Fee charged", yuan(v.fee_cny)],
  ];
  if (v.voided) {
    facts.push(["作废", "Voided", h("span", { id: "app-voided", class: "bad" },
      moment(v.voided.voided_at), " · ", v.voided.actor, " · ", v.voided.reason)]);
  }
  return facts.flatMap(([zh, en, val]) => [h("dt", {}, bi(zh, en)), h("dd", {}, val)]);
}

function flags(v) {
  const list = v.flags || [];
  if (!list.length) return h("p", { class: "hint", "data-empty": "true" }, bi("无。", "None."));
  return h("ul", { class: "flags" }, list.map((f, n) => h("li", { id: `flag-${n}`, class: "bad", "data-kind": f.kind },
    h("strong", {}, label(FLAGS, f.kind)), bi("：", ": "), bi(f.right_zh, f.right_en),
    f.applications.length ? [bi("；另见 ", "; see "), f.applications.map((a, i) => [i ? ", " : "", h("a", { href: `application.html#id=${encodeURIComponent(a)}` }, a)])] : null)));
}

function declarations(v) {
  const a = v.application;
  const e = a.enterprise;
  const parts = [h("dl", { class: "facts" },
    h("dt", {}, bi("企业名称", "Name")), h("dd", {}, e.name),
    h("dt", {}, bi("统一社会信用代码", "Credit code")), h("dd", {}, h("code", {}, e.credit_code)),
    h("dt", {}, bi("在本区依法登记注册", "Registered in the district")), h("dd", { "data-value": String(e.registered_in_district) }, yes(e.registered_in_district)),
    h("dt", {}, bi("在本区纳税", "Pays tax in the district")), h("dd", { "data-value": String(e.pays_tax_in_district) }, yes(e.pays_tax_in_district)),
    h("dt", {}, bi("所属行业", "Industry")), h("dd", { id: "app-industry", "data-industry": e.industry }, h("code", {}, e.industry)),
    h("dt", {}, bi("承诺材料真实有效", "Declared truthful")), h("dd", {}, yes(a.declared_truthful), " ", ruleLink("TRUTH")))];
  if (e.credit_findings && e.credit_findings.length) {
    parts.push(table("app-declared-credit", [["申报所列信用记录", "Credit findings declared"], ["日期", "Date"], ["来源", "Source"], ["修复日期", "Repaired on"]],
      e.credit_findings.map((f) => h("tr", {}, h("td", {}, label(FINDINGS, f.kind)), h("td", {}, f.date), h("td", {}, f.source), h("td", {}, f.resolved_on || "—")))));
  }
  if (e.fraud_findings && e.fraud_findings.length) {
    parts.push(table("app-declared-fraud", [["申报所列欺诈认定", "Fraud findings declared"], ["认定日期", "Determined on"], ["文号", "Reference"]],
      e.fraud_findings.map((f) => h("tr", {}, h("td", {}, label(FRAUD_KINDS, f.kind)), h("td", {}, f.determined_on), h("td", {}, f.reference || "—")))));
  }
  if (a.history && a.history.length) {
    parts.push(table("app-declared-history", [["申报所列此前补助（年度）", "Earlier subsidies declared (year)"], ["金额", "Amount", "num"], ["文号", "Reference"], ["已追回", "Recovered"]],
      a.history.map((r) => h("tr", {}, h("td", {}, String(r.year)), moneyCell(r.amount), h("td", {}, r.reference || "—"), h("td", {}, yes(r.recovered))))));
  }
  return parts;
}

function right(r) {
  if (r.kind === "patent") {
    const t = wordsOf(PATENT_TYPES, r.patent_type);
    return bi(`${t[0]} ${r.application_number}（权利人：${r.owner}）`, `${t[1]} ${r.application_number} (owner: ${r.owner})`);
  }
  if (r.kind === "trademark") {
    return bi(`${r.well_known ? "驰名" : ""}商标 第${r.registration_number}号（权利人：${r.owner}）`, `${r.well_known ? "Well-known trademark" : "Trademark"} No. ${r.registration_number} (owner: ${r.owner})`);
  }
  if (r.kind === "copyright") return bi(`著作权 ${r.registration_number || ""}（权利人：${r.owner}）`, `Copyright ${r.registration_number || ""} (owner: ${r.owner})`);
  return bi(`其他权利 ${r.description}（权利人：${r.owner}）`, `Other right ${r.description} (owner: ${r.owner})`);
}

function loans(v) {
  const rows = v.application.loans.flatMap((l, n) => [
    h("tr", { id: `loan-${n}`, "data-contract": l.contract_number },
      h("th", { scope: "row" }, l.contract_number),
      h("td", {}, l.lender_name, h("br"), h("small", { class: "hint" }, label(LENDERS, l.lender_kind))),
      moneyCell(l.principal),
      h("td", {}, `${l.start_date} – ${l.maturity_date}`),
      h("td", {}, l.final_repayment_date || "—"),
      h("td", { class: l.overdue ? "bad" : null }, yes(!!l.overdue)),
      moneyCell(l.interest_paid),
      moneyCell(l.verified_interest_paid)),
    h("tr", { class: "sub" }, h("td", { colspan: 8 }, bi("质押权利：", "Pledged rights: "),
      h("ul", { class: "plain" }, l.pledged_rights.map((r) => h("li", { "data-kind": r.kind }, right(r)))))),
  ]);
  return table("app-loans-table", [["合同编号", "Contract"], ["贷款机构", "Lender"], ["本金", "Principal", "num"], ["期限", "Term"],
    ["最后还款日", "Final repayment"], ["逾期", "Overdue"], ["申报利息", "Interest declared", "num"], ["核实利息", "Interest verified", "num"]], rows);
}

function documents(v) {
  const out = el("doc-message");
  const preview = el("doc-preview");
  const docs = v.documents || [];
  const missing = DOC_KINDS.map(([k]) => k).filter((k) => !docs.some((d) => d.kind === k));
  const rows = docs.map((d) => {
    const name = `${v.id}-${d.kind}-${d.id}`;
    const path = `/api/applications/${encodeURIComponent(v.id)}/documents/${encodeURIComponent(d.id)}`;
    return h("tr", { id: `doc-${d.id}`, "data-kind": d.kind },
      h("td", {}, label(DOC_KINDS, d.kind)),
      h("td", {}, h("code", {}, d.id)),
      h("td", {}, d.content_type),
      h("td", { class: "num" }, d.size_bytes < 1048576 ? `${Math.max(1, Math.round(d.size_bytes / 1024))} KB` : `${(d.size_bytes / 1048576).toFixed(1)} MB`),
      h("td", {}, moment(d.uploaded_at)),
      h("td", {}, h("code", { title: d.sha256 }, `${d.sha256.slice(0, 12)}…`)),
      h("td", { class: "tools" }, fileButtons(`doc-${d.id}`, path, name, d.content_type, d.sha256, out, preview)));
  });
  return [
    rows.length ? table("app-documents-table", [["类别", "Kind"], ["编号", "Id"], ["格式", "Type"], ["大小", "Size", "num"], ["上传时间", "Uploaded"], ["SHA-256", "SHA-256"], ["操作", "Open"]], rows)
      : h("p", { class: "hint", "data-empty": "true" }, bi("尚未提交材料。", "No document yet.")),
    h("p", { id: "app-documents-missing", class: missing.length ? "warn" : "ok", "data-missing": missing.join(" ") },
      missing.length ? [bi("未提交：", "Missing: "), labels(DOC_KINDS, missing)]
        : bi("四类材料均已提交。", "Every kind of document is in.")),
  ];
}

/** A decision (rules::Decision) with every rule linked; `status` the application's after it. */
function decisionView(d, status, id) {
  const ok = d.outcome === "eligible";
  const loansTable = table(`${id}-loans`, [["合同编号", "Contract"], ["结果", "Result"], ["比例", "Rate"], ["计入利息", "Interest counted", "num"], ["补助上限", "Ceiling", "num"]],
    d.loans.map((l) => h("tr", { class: l.eligible ? "ok" : "bad", "data-contract": l.contract_number },
      h("th", { scope: "row" }, l.contract_number),
      h("td", {}, l.eligible ? bi("符合", "eligible") : bi("不符合", "not eligible"), l.refused_by.length ? [" (", ruleLinks(l.refused_by), ")"] : null),
      h("td", {}, l.rate == null ? "—" : percent(l.rate), l.rate_rule ? [" ", ruleLink(l.rate_rule)] : null),
      moneyCell(l.interest_counted), moneyCell(l.ceiling_amount))));
  const node = h("div", { id, class: `outcome ${d.provisional ? "incomplete" : ok ? "ok" : "bad"}`, "data-outcome": d.outcome, "data-provisional": String(d.provisional), "data-amount": d.amount, "data-status": status || null },
    h("p", { class: "big" }, d.provisional ? bi("暂定：", "Provisional: ") : null, ok ? bi("符合条件", "Eligible") : bi("不符合条件", "Not eligible"),
      d.refused_by.length ? [" (", ruleLinks(d.refused_by), ")"] : null),
    h("p", {}, bi(`${d.year} 年度补助金额：`, `Subsidy for ${d.year}: `), h("strong", {}, yuan(d.amount)), bi("；上限合计 ", "; ceilings in total "), yuan(d.ceiling_total),
      status ? [bi("；申报状态：", "; status: "), label(STATUS, status)] : null),
    d.provisional ? h("p", { class: "hint" }, bi("评审尚未完成（各部门意见均已回复、信用报告已记录后方为最终结论）。", "The review is not final until every department asked has answered and the credit report is recorded.")) : null,
    d.caps.length ? h("ul", { class: "caps" }, d.caps.map((c) => h("li", {}, ruleLink(c.rule), bi("：由 ", ": from "), yuan(c.before), bi(" 减至 ", " to "), yuan(c.after)))) : null,
    loansTable,
    h("ol", { class: "reasons" }, d.reasons.map((r) => h("li", { class: `effect-${r.effect}`, "data-rule": r.rule },
      h("span", { class: `badge ${r.effect}` }, label(EFFECT, r.effect)), " ", ruleLink(r.rule),
      r.loan ? h("span", { class: "loan-ref" }, ` [${r.loan}]`) : null, bi("：", ": "), biRules(r.zh, r.en)))));
  return node;
}

function reviewRecord(v) {
  const r = v.review;
  if (!r) return h("p", { class: "hint", "data-empty": "true" }, bi("尚未记录评审。", "No review recorded yet."));
  const ops = r.opinions || [];
  const cr = r.credit_report;
  return [
    ops.length ? table("app-review-opinions", [["征求意见的部门", "Department asked"], ["回复日期", "Answered on"], ["意见", "Opinion"], ["备注", "Note"]],
      ops.map((o) => h("tr", { "data-department": o.department, "data-answered": o.answered_on ? "true" : "false" },
        h("td", {}, o.department === "other" ? o.name : label(DEPARTMENTS, o.department)),
        h("td", {}, o.answered_on || h("span", { class: "warn" }, bi("待回复", "awaited"))),
        h("td", { class: o.objects ? "bad" : null }, o.answered_on ? (o.objects ? bi("不同意补助", "objects") : bi("无异议", "no objection")) : "—"),
        h("td", {}, o.note || "")))) : h("p", { class: "warn" }, bi("未征求任何部门意见。", "No department was asked.")),
    h("p", { id: "app-review-credit" }, bi("信用报告：", "Credit report: "), cr
      ? [label(CREDIT_SOURCES, cr.source), ` · ${cr.checked_on} · ${cr.reference}`, cr.public_credit_rating ? bi(` · 综合评价 ${cr.public_credit_rating}`, ` · rating ${cr.public_credit_rating}`) : null]
      : h("span", { class: "warn" }, bi("未记录", "not recorded"))),
    r.note ? h("p", {}, bi("评审意见：", "Officer's note: "), r.note) : null,
  ];
}

async function history(v) {
  const root = el("app-history");
  const out = outlet("app-history-message");
  put(root, out);
  const e = await load(out, `/api/enterprises/${encodeURIComponent(v.credit_code)}`);
  if (!e) return null;
  put(root, out,
    historyTable("app-history-table", e.history),
    e.fraud_findings.length ? h("p", { class: "bad", id: "app-history-fraud" }, bi("欺诈认定：", "Fraud determinations: "),
      e.fraud_findings.map((f, i) => [i ? "；" : "", label(FRAUD_KINDS, f.kind), ` ${f.determined_on}`, bi(`，${f.may_apply_from} 起方可再申报`, `, may apply from ${f.may_apply_from}`)]), " ", ruleLink("FRAUD")) : null,
    h("p", {}, h("a", { href: `enterprise.html#code=${encodeURIComponent(v.credit_code)}&name=${encodeURIComponent(v.application.enterprise.name)}` },
      bi("企业档案（导入此前补助、信用记录、追回）", "The enterprise's record (import earlier subsidies, credit register, recoveries)"))));
  return e;
}

// ---------------------------------------------------------------------------------------
// The review form.

function reviewForm(v, enterprise, refreshView) {
  const root = el("app-review");
  if (!writer()) return put(root);
  if (!IN_REVIEW.includes(v.status)) {
    return put(root, h("p", { class: "hint", id: "review-closed" }, bi("该申报已不在评审阶段，不能再修改评审记录。", "The application is no longer in review; its record cannot change.")));
  }
  const prior = v.review || {};
  const opinions = h("div", { id: "review-opinions" });
  const used = () => [...opinions.querySelectorAll('select[data-f="department"]')].map((s) => s.value);
  const renumber = () => {
    [...opinions.children].forEach((row, n) => {
      row.id = `review-opinion-${n}`;
      put(row.querySelector("legend"), bi(`部门意见 ${n + 1}`, `Opinion ${n + 1}`));
      for (const c of row.querySelectorAll("[data-f]")) c.id = `review-opinion-${n}-${c.dataset.f}`;
    });
  };
  const opinionRow = (o = {}) => {
    const first = DEPARTMENTS.find(([d]) => d !== "other" && !used().includes(d));
    const dep = h("select", { "data-f": "department" }, options(DEPARTMENTS, o.department || (first ? first[0] : "other")));
    const name = h("input", { type: "text", "data-f": "name", value: o.name || "", maxlength: 100 });
    const nameField = field("部门名称", "Department's name", name);
    nameField.hidden = dep.value !== "other";
    dep.addEventListener("change", () => { nameField.hidden = dep.value !== "other"; });
    const answered = h("input", { type: "date", "data-f": "answered", value: o.answered_on || "", max: today() });
    const objects = h("input", { type: "checkbox", "data-f": "objects", checked: !!o.objects });
    const note = h("input", { type: "text", "data-f": "note", value: o.note || "", maxlength: 2000 });
    const row = h("fieldset", { class: "opinion sub" }, h("legend", {}),
      h("div", { class: "row" },
        field("部门", "Department", dep), nameField,
        field("回复日期（未回复留空）", "Answered on (empty while awaited)", answered),
        h("label", { class: "field check" }, objects, bi("部门不同意补助", "The department objects")),
        field("备注", "Note", note)),
      h("p", {}, h("button", { type: "button", class: "link danger", "data-f": "remove", onclick: () => { row.remove(); renumber(); } }, bi("删除此部门", "Remove"))));
    opinions.append(row);
    renumber();
    return row;
  };
  for (const o of prior.opinions || []) opinionRow(o);

  const cr = prior.credit_report || {};
  const source = h("select", { id: "review-credit-source" }, options(CREDIT_SOURCES, cr.source || "credit_china_beijing"));
  const checked = h("input", { type: "date", id: "review-credit-checked", value: cr.checked_on || "", max: today() });
  const reference = h("input", { type: "text", id: "review-credit-reference", value: cr.reference || "", maxlength: 100, ...ph("如 XYBJ-2026-000123", "e.g. XYBJ-2026-000123") });
  const rating = h("input", { type: "text", id: "review-credit-rating", value: cr.public_credit_rating || "", maxlength: 20, ...ph("如 A", "e.g. A") });

  const loansList = v.application.loans;
  const interest = loansList.map((l, n) => h("input", { type: "text", id: `review-interest-${n}`, inputmode: "decimal", value: l.verified_interest_paid || "", "data-contract": l.contract_number, ...ph(l.interest_paid, l.interest_paid) }));
  const note = h("textarea", { id: "review-note", maxlength: 2000, rows: 3 }, prior.note || "");
  const out = outlet("review-outcome");
  const register = h("div", { id: "review-credit-register" });

  const submit = h("button", { type: "button", id: "review-submit" }, bi("保存评审", "Save the review"));
  put(root,
    h("div", { id: "review-form", class: "panel review-form" },
      h("fieldset", {}, h("legend", {}, bi("部门意见", "Department opinions"), " ", ruleLink("PROC-REVIEW")),
        h("p", { class: "hint" }, bi("列出征求意见的部门；部门回复后填写回复日期；部门不同意补助时勾选。", "List the departments asked; give the date once one answers; tick when it objects.")),
        opinions,
        h("p", {}, h("button", { type: "button", class: "secondary", id: "review-opinion-add", onclick: () => opinionRow().querySelector("select").focus() }, bi("添加部门", "Add a department")))),
      h("fieldset", {}, h("legend", {}, bi("信用报告", "Credit report"), " ", ruleLink("PROC-CREDIT")),
        h("div", { class: "grid3" },
          field("来源", "Source", source), field("查询日期", "Checked on", checked),
          field("报告编号", "Reference", reference), field("公共信用综合评价", "Public credit rating", rating))),
      h("fieldset", {}, h("legend", {}, bi("信用认定（企业信用记录）", "Credit findings (the enterprise's register)")),
        h("p", { class: "hint" }, bi("登记、更正、撤销或标记修复即时生效，记入企业信用记录；评审按保存评审时的记录判断。",
          "Registering, correcting, withdrawing or marking a finding repaired takes effect at once in the enterprise's register; the review reads the register as it stands when saved.")),
        register),
      h("fieldset", {}, h("legend", {}, bi("核实的利息", "Interest verified"), " ", ruleLink("SUB-BASE")),
        h("p", { class: "hint" }, bi("按银行利息支付凭证核实的已付利息；留空则按申报数计算。", "The interest paid as the bank statements show it; leave empty to count the declared amount.")),
        h("div", { class: "grid3" }, loansList.map((l, n) => field(`合同 ${l.contract_number}（申报 ${l.interest_paid}）`, `Contract ${l.contract_number} (declared ${l.interest_paid})`, interest[n])))),
      field("评审意见", "Officer's note", note),
      h("p", {}, submit)),
    out);

  // The credit register, its new finding dated and referenced from the report above.
  const defaults = () => {
    const s = CREDIT_SOURCES.find((x) => x[0] === source.value);
    return { date: checked.value || today(), source: s ? s[1] : "信用中国（北京）", reference: reference.value.trim() };
  };
  const reg = creditRegister(register, v.credit_code, enterprise ? enterprise.credit_findings : [], async () => {
    const r = await call("GET", `/api/enterprises/${encodeURIComponent(v.credit_code)}`);
    return r.status === 200 ? r.body.credit_findings : [];
  }, defaults);
  for (const c of [source, checked, reference]) c.addEventListener(c.tagName === "SELECT" ? "change" : "input", () => reg.refill());

  submit.addEventListener("click", async () => {
    for (const c of root.querySelectorAll("[aria-invalid]")) c.removeAttribute("aria-invalid");
    const body = { opinions: [] };
    for (const row of opinions.children) {
      const get = (f) => row.querySelector(`[data-f="${f}"]`);
      const o = { department: get("department").value };
      if (o.department === "other") o.name = get("name").value.trim();
      if (get("answered").value) o.answered_on = get("answered").value;
      if (get("objects").checked) o.objects = true;
      if (get("note").value.trim()) o.note = get("note").value.trim();
      body.opinions.push(o);
    }
    if (checked.value || reference.value.trim() || rating.value.trim()) {
      body.credit_report = { source: source.value, checked_on: checked.value, reference: reference.value.trim() };
      if (rating.value.trim()) body.credit_report.public_credit_rating = rating.value.trim();
    }
    const sent = [];
    body.verified_interest = [];
    interest.forEach((i, n) => {
      if (!i.value.trim()) return;
      body.verified_interest.push({ contract_number: loansList[n].contract_number, interest_paid: i.value.trim() });
      sent.push(n);
    });
    const bad = interest.find((i) => i.value.trim() && !isMoney(i.value));
    if (bad) {
      bad.setAttribute("aria-invalid", "true");
      bad.focus();
      return problem(out, "核实的利息应写作 12345.67。", "Write verified interest as 12345.67.");
    }
    if (note.value.trim()) body.note = note.value.trim();
    const r = await act(out, submit, () => call("POST", `/api/applications/${encodeURIComponent(v.id)}/review`, body), (x) =>
      h("div", {}, h("p", { class: "good" }, bi(`评审已保存：${x.id}。`, `Review saved: ${x.id}.`)), decisionView(x.decision, x.status, "review-outcome-decision")));
    if (!r) return;
    if (succeeded(r)) refreshView();
    else markFields(r.body, sent);
  });
}

/** The fields a refusal names (errors[].field, or error.field), marked in the form. */
function markFields(body, sentLoans) {
  const e = (body && body.error) || {};
  const names = [...(Array.isArray(e.errors) ? e.errors.map((x) => x.field) : []), e.field].filter(Boolean);
  const toId = (f) => {
    let m = /^opinions\[(\d+)\]\.(\w+)/.exec(f);
    if (m) return `review-opinion-${m[1]}-${{ answered_on: "answered" }[m[2]] || m[2]}`;
    m = /^credit_report\.(\w+)/.exec(f);
    if (m) return `review-credit-${{ checked_on: "checked", public_credit_rating: "rating" }[m[1]] || m[1]}`;
    m = /^verified_interest\[(\d+)\]/.exec(f);
    if (m && sentLoans[Number(m[1])] !== undefined) return `review-interest-${sentLoans[Number(m[1])]}`;
    return f === "note" ? "review-note" : null;
  };
  let first = null;
  for (const f of names) {
    const c = el(toId(f) || "");
    if (c) {
      c.setAttribute("aria-invalid", "true");
      first = first || c;
    }
  }
  if (first) first.focus();
}

// ---------------------------------------------------------------------------------------
// Void.

function voidForm(v, refreshView) {
  const root = el("app-void");
  const section = el("void-section");
  section.hidden = !writer() || !IN_REVIEW.includes(v.status);
  if (section.hidden) return put(root);
  const reason = h("textarea", { id: "void-reason", minlength: 4, maxlength: 1000, rows: 3,
    ...ph("如：冒用企业名义提交，企业已来函说明。", "e.g. Filed in the enterprise's name by someone else; the enterprise wrote to say so.") });
  const out = outlet("void-result");
  const form = h("form", { id: "void-form", class: "panel danger-zone", novalidate: true },
    h("p", { class: "hint" }, bi("作废冒用企业名义提交的申报（列入名单前）：申报变为撤回，其贷款可由企业本身重新申报；理由、经办人和时间均记录在案。",
      "Void an application filed in the enterprise's name by someone else (before the list): it becomes withdrawn and its loans are free for the enterprise's own application; the reason, the officer and the moment are kept.")),
    field("作废理由", "Reason", reason),
    h("p", {}, h("button", { type: "submit", class: "secondary danger", id: "void-submit" }, bi("作废该申报", "Void the application"))),
    out);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (reason.value.trim().length < 4) return problem(out, "请写明作废理由（至少 4 个字）。", "Give the reason (4 characters at least).");
    const r = await act(out, null, () => call("POST", `/api/applications/${encodeURIComponent(v.id)}/void`, { reason: reason.value.trim() }), (x) =>
      h("p", { class: "good", "data-status": x.status }, bi(`已作废：${x.id}（${moment(x.voided.voided_at)}，${x.voided.actor}）。`, `Voided: ${x.id} (${moment(x.voided.voided_at)}, ${x.voided.actor}).`)));
    if (succeeded(r)) refreshView({ keepVoid: true });
  });
  put(root, form);
}

// ---------------------------------------------------------------------------------------

let generation = 0;

async function open(id) {
  const gen = ++generation;
  const msg = el("app-message");
  const app = el("app");
  app.hidden = true;
  if (!id) {
    put(msg, h("p", { class: "hint" }, bi("请从", "Open an application from "), h("a", { href: "queue.html" }, bi("申报审核", "the queue")), bi("列表中打开一件申报。", ".")));
    msg.dataset.state = "done";
    return;
  }
  const path = `/api/applications/${encodeURIComponent(id)}`;
  const v = await load(msg, path);
  if (!v || gen !== generation) return;
  const draw = (x) => {
    put(el("app-title"), bi("申报 ", "Application "), x.id, " · ", x.application.enterprise.name);
    put(el("app-summary"), summary(x));
    put(el("app-flags"), flags(x));
    put(el("app-decision"), decisionView(x.decision, x.status, "app-decision-outcome"));
    put(el("app-progress"), timeline(x));
    fixRuleLinks(el("app-progress"));
    put(el("app-review-record"), reviewRecord(x));
    put(el("app-loans"), loans(x));
  };
  draw(v);
  put(el("app-enterprise"), declarations(v));
  industryName(v.application.enterprise.industry, v.round_year).then((name) => {
    if (name && gen === generation) put(el("app-industry"), name);
  });
  put(el("app-documents"), documents(v));
  put(el("doc-message"));
  put(el("doc-preview"));
  app.hidden = false;
  put(msg);
  msg.dataset.state = "done";
  const refreshView = async ({ keepVoid } = {}) => {
    const r = await call("GET", path);
    if (r.status !== 200 || gen !== generation) return;
    draw(r.body);
    if (!keepVoid) voidForm(r.body, refreshView);
    else el("void-submit").disabled = true;
    if (!IN_REVIEW.includes(r.body.status)) {
      const f = el("review-form");
      if (f) for (const c of f.querySelectorAll("input, select, textarea, button")) c.disabled = true;
    }
  };
  const enterprise = await history(v);
  if (gen !== generation) return;
  reviewForm(v, enterprise, refreshView);
  voidForm(v, refreshView);
}

async function main() {
  const s = await initConsole();
  if (!s) return;
  // The table of contents scrolls without touching the address (#id=… stays).
  for (const a of document.querySelectorAll("nav.toc a")) {
    a.addEventListener("click", (e) => {
      const target = document.querySelector(a.getAttribute("href"));
      if (!target) return;
      e.preventDefault();
      target.scrollIntoView();
      const h2 = target.querySelector("h2");
      if (h2) {
        h2.tabIndex = -1;
        h2.focus({ preventScroll: true });
      }
    });
  }
  let current = idOf();
  window.addEventListener("hashchange", () => {
    const id = idOf();
    if (id && id !== current) {
      current = id;
      open(id);
    }
  });
  await open(current);
}

main();
