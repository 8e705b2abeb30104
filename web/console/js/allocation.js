// Allocation to payment for one round (?year=): the proposed list computed against the
// budget and its versions, the notice of the list, the government's approval line by line,
// the payments, the payments notice and the exports.
//
// Ids a test uses:
//   #alloc-year (select: the round), #alloc-round (its stage)
//   #alloc-compute (disabled at a stage where the API refuses it, #alloc-compute-why says
//     why), #alloc-status (data-state), #alloc-summary (#alloc-budget,
//     #alloc-requested, #alloc-granted, #alloc-scaled, #alloc-factor, #alloc-unallocated,
//     #alloc-version), #alloc-lines-table (tr[data-id])
//   #alloc-version-a, #alloc-version-b, #alloc-diff, #alloc-diff-result (#alloc-diff-table,
//     tr[data-id][data-change=added|removed|changed])
//   #alloc-notice (the published notice), #alloc-publish (disabled but for an allocated
//     round, #alloc-publish-why says why), #alloc-publish-status (data-state;
//     #alloc-publish-period, #alloc-publish-ends)
//   #approval-reference, #approval-date, #approval-line-<ID>-decision (approved|reduced|
//     rejected), #approval-line-<ID>-amount (reduced only), #approval-line-<ID>-note,
//     #approval-submit, #approval-status (data-state), #approval-recorded (after)
//   #payment-date, #payment-reference (batch), #payment-line-<ID>-include (checkbox),
//     #payment-line-<ID>-reference, #payment-submit, #payment-status (data-state; li per line
//     with data-id and data-state)
//   #payments-notice, #payments-notice-status (data-state), #payments-notice-current
//   #export-list (proposed|approved|paid), #export-csv, #export-xlsx, #export-status (data-state)

import {
  initConsole, call, can, act, succeeded, show, done, offline, pending, problems, fetchFile, saveAs, bi, h, put, yuan,
  moment, fen, fromFen, isMoney, sumMoney, pool, table, yearParam, stageName, biRules, ruleLink, refusal,
} from "./session.js";

const $ = (id) => document.getElementById(id);

let year = null;
let round = null;
/** Application id → its summary (name, credit code, status, amount). */
let apps = new Map();
/** The newest version of the list (AllocationView), or null. */
let alloc = null;
/** The round's notices (summaries from GET /api/notices). */
let notices = [];
/** Application id → its detail's progress (approval, payment), for approved rounds. */
let progress = new Map();

const DECISIONS = [
  ["approved", "批准", "approved"],
  ["reduced", "核减", "reduced"],
  ["rejected", "不予批准", "rejected"],
];

async function main() {
  const s = await initConsole();
  if (!s) return;
  document.body.classList.toggle("is-admin", can("admin"));
  document.body.classList.toggle("is-officer", can("admin", "officer"));
  const rr = await call("GET", "/api/rounds");
  const rounds = rr.status === 200 ? rr.body.rounds || [] : [];
  year = yearParam() || (rounds[0] && rounds[0].year) || null;
  const pick = $("alloc-year");
  put(pick, rounds.map((r) => h("option", { value: r.year, selected: r.year === year }, String(r.year))));
  pick.addEventListener("change", () => {
    location.href = `allocation.html?year=${pick.value}`;
  });
  if (!year) {
    put($("alloc-round"), bi("还没有申报轮次。", "There is no round yet."));
    return;
  }
  wire();
  await load();
}

/** Reads the round, its applications, the newest list and the notices; draws every section. */
async function load() {
  let d;
  try {
    d = await Promise.all([
      call("GET", `/api/rounds/${year}`),
      call("GET", `/api/applications?round=${year}`),
      call("GET", `/api/rounds/${year}/allocation`),
      call("GET", "/api/notices"),
    ]);
  } catch (_) {
    offline($("alloc-summary"));
    return;
  }
  const [r, a, l, n] = d;
  if (r.status !== 200) {
    put($("alloc-round"), refusal(r.body));
    return;
  }
  round = r.body;
  apps = new Map((a.status === 200 ? a.body.applications || [] : []).map((x) => [x.id, x]));
  alloc = l.status === 200 ? l.body : null;
  notices = n.status === 200 ? (n.body.notices || []).filter((x) => x.round_year === year) : [];
  progress = new Map();
  if (round.approved_on) {
    const decided = [...apps.values()].filter((x) => ["approved", "paid", "removed"].includes(x.status));
    const details = await pool(decided, 6, (x) => call("GET", `/api/applications/${encodeURIComponent(x.id)}`).catch(() => null));
    decided.forEach((x, i) => {
      const dd = details[i];
      if (dd && dd.status === 200 && dd.body.progress) progress.set(x.id, dd.body.progress);
    });
  }
  put($("alloc-round"), bi("阶段：", "Stage: "), h("strong", { id: "alloc-stage", "data-stage": round.stage }, stageName(round)),
    " · ", h("a", { href: `dashboard.html?year=${year}` }, bi("工作台", "dashboard")));
  drawAllocation(l);
  drawStageButtons();
  drawVersions();
  drawNotice();
  drawApproval();
  drawPayments();
  // The approval and the payments are recorded by administrators: others read them only.
  if (!can("admin")) {
    for (const c of document.querySelectorAll("#approval-form :is(input, select), #payment-form :is(input, select)")) c.disabled = true;
  }
  drawPaymentsNotice();
  drawExports();
}

function nameOf(id) {
  const a = apps.get(id);
  return a ? a.enterprise_name : "";
}

// ---- The list --------------------------------------------------------------------------

/** budget / requested, rounded toward zero to 6 places, as the service states it. */
function factor(budget, requested) {
  const b = fen(budget);
  const q = fen(requested);
  if (b === null || q === null || q === 0n) return null;
  const f = (b * 1000000n) / q;
  return `${f / 1000000n}.${String(f % 1000000n).padStart(6, "0")}`;
}

function drawAllocation(l) {
  const sum = $("alloc-summary");
  const lines = $("alloc-lines");
  if (!alloc) {
    // Nothing computed yet: what the round would ask of the budget (before the caps).
    const eligible = [...apps.values()].filter((x) => x.status === "eligible");
    const unreviewed = [...apps.values()].filter((x) => x.status === "submitted");
    put(sum, h("dl", { class: "facts", id: "alloc-preview" },
      h("dt", {}, bi("预算", "Budget")), h("dd", { id: "alloc-budget", class: "num" }, yuan(round.budget)),
      h("dt", {}, bi("评审通过的申报", "Reviewed eligible")), h("dd", { class: "num" }, bi(`${eligible.length} 件，测算 ${yuan(sumMoney(eligible.map((x) => x.amount)))}（未计上限与预算）`,
        `${eligible.length}, ${yuan(sumMoney(eligible.map((x) => x.amount)))} before caps and budget`)),
      h("dt", {}, bi("尚未评审", "Not reviewed")), h("dd", { class: "num" }, String(unreviewed.length))),
    l && l.status !== 404 ? refusal(l.body) : h("p", { class: "muted", id: "alloc-none" }, bi("尚未计算分配。", "Not computed yet.")));
    put(lines);
    return;
  }
  const a = alloc.allocation;
  const f = a.scaled && a.reading === "proportional" ? factor(a.budget, a.requested_total) : null;
  const reading = { proportional: ["同比例核减", "one factor for all"], first_come_first_served: ["按申报先后", "first come, first served"] }[a.reading] || [a.reading, a.reading];
  put(sum, h("dl", { class: "facts alloc-facts" },
    h("dt", {}, bi("版本", "Version")), h("dd", { id: "alloc-version", "data-version": alloc.version }, String(alloc.version)),
    h("dt", {}, bi("预算", "Budget")), h("dd", { id: "alloc-budget", class: "num" }, yuan(a.budget)),
    h("dt", {}, bi("申请总额（核定上限后）", "Requested (after caps)")), h("dd", { id: "alloc-requested", class: "num" }, yuan(a.requested_total)),
    h("dt", {}, bi("拟补助总额", "Granted")), h("dd", { id: "alloc-granted", class: "num" }, yuan(a.granted_total)),
    h("dt", {}, bi("是否按预算核减", "Scaled to the budget")), h("dd", { id: "alloc-scaled", "data-scaled": String(a.scaled) },
      a.scaled ? bi(`是（${reading[0]}）`, `yes (${reading[1]})`) : bi("否，预算充足", "no, the budget suffices")),
    f ? [h("dt", {}, bi("核减比例", "Scaling factor")), h("dd", { id: "alloc-factor", class: "num" }, bi(`约 ${f}`, `about ${f}`))] : null,
    h("dt", {}, bi("未分配（取整余额）", "Left unallocated (the fen left)")), h("dd", { id: "alloc-unallocated", class: "num" }, yuan(a.unallocated))));
  put(lines, table("alloc-lines-table", [
    ["申报编号", "Application"], ["企业", "Enterprise"], ["测算金额", "Ceiling", "num"], ["核定上限后", "After caps", "num"],
    ["拟补助", "Granted", "num"], ["依据", "Reasons"],
  ], a.lines.map((x) => h("tr", { "data-id": x.id },
    h("th", { scope: "row" }, h("code", {}, x.id)),
    h("td", {}, nameOf(x.id) || "—", h("div", { class: "muted" }, x.enterprise)),
    h("td", { class: "num" }, yuan(x.ceiling_amount)),
    h("td", { class: "num" }, yuan(x.capped_amount)),
    h("td", { class: "num strong" }, yuan(x.granted)),
    h("td", {}, reasons(x.reasons))))));
}

function reasons(list) {
  if (!list || !list.length) return "—";
  return h("ul", { class: "reasons compact" }, list.map((r) => h("li", { "data-rule": r.rule },
    ruleLink(r.rule), " ", biRules(r.zh, r.en))));
}

/**
 * "计算分配" and "发布公示" are disabled, the reason shown beside them, at a stage where the
 * API refuses them for sure: the list is computed under review or once allocated (BUDGET),
 * and published only once allocated (PROC-NOTICE). The API's refusal stays the backstop.
 */
function drawStageButtons() {
  const now = [round.stage_zh || round.stage, round.stage_en || round.stage];
  const before = ["open", "closed", "under_review"].includes(round.stage);
  const compute = ["under_review", "allocated"].includes(round.stage) ? null
    : [`只有评审阶段或已形成名单的年度可以计算拟补助名单（BUDGET）；当前阶段：${now[0]}。`,
      `The list is computed during review or once allocated (BUDGET); the round is now: ${now[1]}.`];
  const publish = round.stage === "allocated" ? null
    : before ? ["尚未形成拟补助名单：先计算分配（PROC-NOTICE）。", "There is no proposed list yet: compute the allocation first (PROC-NOTICE)."]
      : [`拟补助名单已公示（PROC-NOTICE）；当前阶段：${now[0]}。`, `The proposed list is already published (PROC-NOTICE); the round is now: ${now[1]}.`];
  for (const [id, why] of [["alloc-compute", compute], ["alloc-publish", publish]]) {
    $(id).disabled = !!why;
    put($(`${id}-why`), why ? biRules(why[0], why[1]) : null);
  }
}

function wire() {
  $("alloc-compute").addEventListener("click", async () => {
    const r = await act($("alloc-status"), $("alloc-compute"), () => call("POST", `/api/rounds/${year}/allocation`),
      (b) => done(`已计算：第 ${b.version} 版，拟补助 ${yuan(b.allocation.granted_total)}。`,
        `Computed: version ${b.version}, ${yuan(b.allocation.granted_total)} granted.`));
    if (succeeded(r)) await load();
  });
  $("alloc-diff").addEventListener("click", diff);
  $("alloc-publish").addEventListener("click", publish);
  $("approval-form").addEventListener("submit", approve);
  $("payment-form").addEventListener("submit", pay);
  $("payments-notice").addEventListener("click", publishPayments);
  $("export-list").addEventListener("change", drawExports);
  $("export-csv").addEventListener("click", (e) => download(e, "csv"));
  $("export-xlsx").addEventListener("click", (e) => download(e, "xlsx"));
}

// ---- Versions ----------------------------------------------------------------------------

function drawVersions() {
  const n = alloc ? alloc.version : 0;
  const opts = (sel) => Array.from({ length: n }, (_, i) => h("option", { value: i + 1, selected: i + 1 === sel }, `第 ${i + 1} 版 · v${i + 1}`));
  put($("alloc-version-a"), opts(Math.max(1, n - 1)));
  put($("alloc-version-b"), opts(n));
  $("alloc-diff").disabled = n < 1;
  if (n < 2) put($("alloc-diff-result"), h("p", { class: "muted" }, bi(n ? "只有一个版本。" : "尚无版本。", n ? "There is one version only." : "No version yet.")));
  else put($("alloc-diff-result"));
}

async function diff() {
  const out = $("alloc-diff-result");
  const va = Number($("alloc-version-a").value);
  const vb = Number($("alloc-version-b").value);
  pending(out, "正在比较…", "Comparing…");
  let ra;
  let rb;
  try {
    [ra, rb] = await Promise.all([
      call("GET", `/api/rounds/${year}/allocation?version=${va}`),
      call("GET", `/api/rounds/${year}/allocation?version=${vb}`),
    ]);
  } catch (_) {
    offline(out);
    return;
  }
  if (ra.status !== 200 || rb.status !== 200) {
    show(out, ra.status !== 200 ? ra : rb);
    return;
  }
  const A = new Map(ra.body.allocation.lines.map((x) => [x.id, x]));
  const B = new Map(rb.body.allocation.lines.map((x) => [x.id, x]));
  const ids = [...new Set([...A.keys(), ...B.keys()])].sort();
  const rows = [];
  for (const id of ids) {
    const x = A.get(id);
    const y = B.get(id);
    let change = null;
    if (!x) change = "added";
    else if (!y) change = "removed";
    else if (x.granted !== y.granted || x.capped_amount !== y.capped_amount || x.ceiling_amount !== y.ceiling_amount) change = "changed";
    if (!change) continue;
    const delta = (fen(y ? y.granted : "0") ?? 0n) - (fen(x ? x.granted : "0") ?? 0n);
    const label = { added: ["新增", "added"], removed: ["移除", "removed"], changed: ["变化", "changed"] }[change];
    rows.push(h("tr", { "data-id": id, "data-change": change },
      h("th", { scope: "row" }, h("code", {}, id)),
      h("td", {}, nameOf(id) || (y || x).enterprise),
      h("td", {}, bi(label[0], label[1])),
      h("td", { class: "num" }, x ? yuan(x.granted) : "—"),
      h("td", { class: "num" }, y ? yuan(y.granted) : "—"),
      h("td", { class: "num" }, `${delta > 0n ? "+" : ""}${fromFen(delta)}`)));
  }
  const ta = ra.body.allocation;
  const tb = rb.body.allocation;
  put(out, h("div", { role: "status" },
    h("p", { id: "alloc-diff-summary" }, bi(`第 ${va} 版 → 第 ${vb} 版：${rows.length} 项变化；拟补助总额 ${yuan(ta.granted_total)} → ${yuan(tb.granted_total)}。`,
      `Version ${va} → version ${vb}: ${rows.length} line(s) changed; granted ${yuan(ta.granted_total)} → ${yuan(tb.granted_total)}.`)),
    rows.length ? table("alloc-diff-table", [["申报编号", "Application"], ["企业", "Enterprise"], ["变化", "Change"],
      [`第 ${va} 版`, `Version ${va}`, "num"], [`第 ${vb} 版`, `Version ${vb}`, "num"], ["差额", "Difference", "num"]], rows)
      : h("p", {}, bi("两个版本的名单相同。", "The two versions list the same amounts."))));
  out.dataset.state = "done";
}

// ---- The notice of the list --------------------------------------------------------------

function period(n, ids = true) {
  const p = n.period;
  if (!p) return null;
  return [
    h("span", { id: ids ? "alloc-publish-period" : null }, bi(`公示期 ${p.first_day} 至 ${p.last_day}，共 ${p.working_days} 个工作日`,
      `Notice period ${p.first_day} to ${p.last_day}, ${p.working_days} working days`)),
    bi("；", "; "),
    h("span", { id: ids ? "alloc-publish-ends" : null }, bi(`异议受理至 ${moment(p.ends_at)} 止`, `objections until ${moment(p.ends_at)}`)),
  ];
}

function drawNotice() {
  const n = notices.find((x) => x.kind === "proposed_list");
  const box = $("alloc-notice");
  if (n) box.dataset.notice = n.id;
  else delete box.dataset.notice;
  put(box, n ? h("p", { class: "panel" },
    bi(`已公示（${moment(n.published_at)}，${n.entries} 项，合计 ${yuan(n.current_total)}）。`,
      `Published ${moment(n.published_at)}: ${n.entries} entries, ${yuan(n.current_total)} in total. `),
    period(n, false), " ", n.objections_open ? h("strong", {}, bi("（公示中）", "(running)")) : bi("（公示期已结束）", "(ended)"), " ",
    h("a", { href: n.url }, bi("查看公示", "View the notice"))) : null);
}

async function publish() {
  const r = await act($("alloc-publish-status"), $("alloc-publish"),
    () => call("POST", "/api/notices", { kind: "proposed_list", round_year: year }),
    (n) => done(`已发布公示 ${n.id}：${(n.entries || []).length} 项，合计 ${yuan(n.current_total)}。`,
      `Notice ${n.id} published: ${(n.entries || []).length} entries, ${yuan(n.current_total)} in total.`,
      h("p", {}, period(n)),
      h("p", {}, h("a", { href: n.url, id: "alloc-publish-link" }, bi("查看公示", "View the notice")))));
  if (succeeded(r)) await load();
}

// ---- The government's approval -----------------------------------------------------------

function listed() {
  if (!alloc) return [];
  return alloc.allocation.lines.filter((x) => (fen(x.granted) ?? 0n) > 0n);
}

function drawApproval() {
  const box = $("approval-lines");
  const submit = $("approval-submit");
  const lines = listed();
  if (round.approved_on) {
    $("approval-reference").value = round.approval_reference || "";
    $("approval-date").value = round.approved_on;
    $("approval-reference").disabled = true;
    $("approval-date").disabled = true;
    submit.disabled = true;
    const rows = [...progress.entries()].filter(([, p]) => p.approval && p.approval.decision).map(([id, p]) => {
      const d = DECISIONS.find((x) => x[0] === p.approval.decision) || [p.approval.decision, p.approval.decision, p.approval.decision];
      return h("tr", { "data-id": id, "data-decision": p.approval.decision },
        h("th", { scope: "row" }, h("code", {}, id)), h("td", {}, nameOf(id)),
        h("td", { id: `approval-line-${id}-recorded` }, bi(d[1], d[2])),
        h("td", { class: "num" }, yuan(p.approval.amount)), h("td", {}, p.approval.note || ""));
    });
    put(box, h("p", { id: "approval-recorded", class: "ok" }, bi(`已录入审批：${round.approval_reference}（${round.approved_on}）。`,
      `Approval recorded: ${round.approval_reference} (${round.approved_on}).`)),
    rows.length ? table("approval-table", [["申报编号", "Application"], ["企业", "Enterprise"], ["决定", "Decision"], ["批准金额", "Approved", "num"], ["说明", "Note"]], rows) : null);
    return;
  }
  submit.disabled = !lines.length || !can("admin");
  if (!lines.length) {
    put(box, h("p", { class: "muted" }, bi("尚无拟补助名单。", "There is no proposed list yet.")));
    return;
  }
  put(box, table("approval-table", [["申报编号", "Application"], ["企业", "Enterprise"], ["名单金额", "Listed", "num"],
    ["决定", "Decision"], ["核减后金额", "Reduced amount"], ["说明", "Note"]], lines.map((x) => {
    const decision = h("select", { id: `approval-line-${x.id}-decision`, "data-id": x.id, "aria-label": `${x.id} decision` },
      DECISIONS.map(([v, zh, en]) => h("option", { value: v }, `${zh} · ${en}`)));
    const amount = h("input", { type: "text", id: `approval-line-${x.id}-amount`, inputmode: "decimal", disabled: true, "aria-label": `${x.id} reduced amount`, placeholder: "0.00" });
    const note = h("input", { type: "text", id: `approval-line-${x.id}-note`, maxlength: 500, "aria-label": `${x.id} note` });
    decision.addEventListener("change", () => {
      amount.disabled = decision.value !== "reduced";
      if (amount.disabled) amount.value = "";
      else amount.focus();
    });
    return h("tr", { "data-id": x.id, "data-listed": x.granted },
      h("th", { scope: "row" }, h("code", {}, x.id)),
      h("td", {}, nameOf(x.id) || x.enterprise),
      h("td", { class: "num" }, yuan(x.granted)),
      h("td", {}, decision), h("td", {}, amount), h("td", {}, note));
  })));
}

async function approve(e) {
  e.preventDefault();
  const out = $("approval-status");
  const ref = $("approval-reference");
  const date = $("approval-date");
  const wrong = [];
  ref.toggleAttribute("aria-invalid", !ref.value.trim());
  date.toggleAttribute("aria-invalid", !date.value);
  if (!ref.value.trim()) wrong.push(["请填写会议纪要或文件。", "Enter the meeting's reference."]);
  if (!date.value) wrong.push(["请填写会议日期。", "Enter the date of the meeting."]);
  const lines = listed().map((x) => {
    const decision = $(`approval-line-${x.id}-decision`).value;
    const amountEl = $(`approval-line-${x.id}-amount`);
    const note = $(`approval-line-${x.id}-note`).value.trim();
    const line = { application_id: x.id, decision };
    let bad = false;
    if (decision === "reduced") {
      const v = amountEl.value.trim();
      if (!isMoney(v) || fen(v) === 0n || fen(v) >= fen(x.granted)) {
        bad = true;
        wrong.push([`${x.id}：核减后的金额须大于 0 且低于名单金额 ${x.granted} 元。`, `${x.id}: a reduced amount must be above 0 and below the listed ${x.granted} CNY.`]);
      }
      line.amount = v;
    }
    amountEl.toggleAttribute("aria-invalid", bad);
    if (note) line.note = note;
    return line;
  });
  if (wrong.length) {
    problems(out, wrong);
    return;
  }
  const body = { approved_on: date.value, reference: ref.value.trim(), lines };
  const r = await act(out, $("approval-submit"), () => call("POST", `/api/rounds/${year}/allocation/approval`, body), (b) => {
    const count = (k) => b.lines.filter((l) => l.decision === k).length;
    return done(`已录入审批（${b.reference}，${b.approved_on}）：批准 ${count("approved")} 项，核减 ${count("reduced")} 项，不予批准 ${count("rejected")} 项；批准总额 ${yuan(sumMoney(b.lines.map((l) => l.amount)))}。`,
      `Approval recorded (${b.reference}, ${b.approved_on}): ${count("approved")} approved, ${count("reduced")} reduced, ${count("rejected")} rejected; ${yuan(sumMoney(b.lines.map((l) => l.amount)))} approved in total.`);
  });
  if (succeeded(r)) await load();
  else if (r && r.body && r.body.error) markFields(r.body.error);
}

/** Marks the approval's controls a 400 names (lines[i].amount …). */
function markFields(err) {
  const lines = listed();
  for (const x of err.errors || (err.field ? [{ field: err.field }] : [])) {
    const m = /^lines\[(\d+)\]\.(\w+)$/.exec(x.field || "");
    if (m && lines[Number(m[1])]) {
      const id = lines[Number(m[1])].id;
      const el = $(`approval-line-${id}-${m[2] === "application_id" ? "decision" : m[2]}`);
      if (el) el.setAttribute("aria-invalid", "true");
    } else if (x.field === "reference") $("approval-reference").setAttribute("aria-invalid", "true");
    else if (x.field === "approved_on") $("approval-date").setAttribute("aria-invalid", "true");
  }
}

// ---- Payments --------------------------------------------------------------------------

/** The approved lines with their amounts: [{id, amount, paid: {amount, paid_on} | null}]. */
function payable() {
  const out = [];
  for (const [id, p] of progress) {
    if (!p.approval || !p.approval.decision || p.approval.decision === "rejected") continue;
    if ((fen(p.approval.amount) ?? 0n) === 0n) continue;
    out.push({ id, amount: p.approval.amount, paid: p.payment || null });
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : 1));
}

function drawPayments() {
  const box = $("payment-lines");
  const submit = $("payment-submit");
  if (!round.approved_on) {
    submit.disabled = true;
    put(box, h("p", { class: "muted", id: "payment-none" }, bi("区政府审批后方可拨付（PROC-APPROVE）。", "Payments come after the government's approval (PROC-APPROVE).")));
    return;
  }
  const lines = payable();
  const open = lines.filter((x) => !x.paid);
  submit.disabled = !open.length || !can("admin");
  put(box, lines.length ? table("payment-table", [["拨付", "Pay"], ["申报编号", "Application"], ["企业", "Enterprise"], ["批准金额", "Approved", "num"],
    ["银行流水号（可选）", "Bank reference (optional)"], ["拨付情况", "Paid"]], lines.map((x) => h("tr", { "data-id": x.id, "data-paid": String(!!x.paid) },
    h("td", {}, x.paid ? "✓" : h("input", { type: "checkbox", id: `payment-line-${x.id}-include`, checked: true, "aria-label": `${x.id}` })),
    h("th", { scope: "row" }, h("code", {}, x.id)),
    h("td", {}, nameOf(x.id)),
    h("td", { class: "num" }, yuan(x.amount)),
    h("td", {}, x.paid ? "" : h("input", { type: "text", id: `payment-line-${x.id}-reference`, maxlength: 100, "aria-label": `${x.id} bank reference` })),
    h("td", { id: `payment-line-${x.id}-paid` }, x.paid ? bi(`${x.paid.paid_on} 已拨付 ${yuan(x.paid.amount)}`, `paid ${yuan(x.paid.amount)} on ${x.paid.paid_on}`) : bi("未拨付", "not paid")))))
    : h("p", { class: "muted" }, bi("没有需要拨付的项目。", "Nothing to pay.")));
}

async function pay(e) {
  e.preventDefault();
  const out = $("payment-status");
  const date = $("payment-date");
  const batch = $("payment-reference").value.trim();
  const chosen = payable().filter((x) => !x.paid && $(`payment-line-${x.id}-include`) && $(`payment-line-${x.id}-include`).checked);
  const wrong = [];
  date.toggleAttribute("aria-invalid", !date.value);
  if (!date.value) wrong.push(["请填写拨付日期。", "Enter the date paid."]);
  if (!chosen.length) wrong.push(["请选择要拨付的项目。", "Choose the lines to pay."]);
  for (const x of chosen) {
    const el = $(`payment-line-${x.id}-reference`);
    const missing = !el.value.trim() && !batch;
    el.toggleAttribute("aria-invalid", missing);
    if (missing) wrong.push([`${x.id}：请填写银行流水号，或填写本批次流水号。`, `${x.id}: enter its bank reference, or the batch's.`]);
  }
  if (wrong.length) {
    problems(out, wrong);
    return;
  }
  const submit = $("payment-submit");
  submit.disabled = true;
  pending(out, `正在登记 ${chosen.length} 笔拨付…`, `Recording ${chosen.length} payment(s)…`);
  const list = h("ul", { class: "outcomes", id: "payment-outcomes" });
  out.append(list);
  let failed = 0;
  let paidAll = false;
  for (const x of chosen) {
    const ref = $(`payment-line-${x.id}-reference`).value.trim() || batch;
    const li = h("li", { "data-id": x.id });
    list.append(li);
    let r;
    try {
      r = await call("POST", `/api/rounds/${year}/allocation/payments`, { application_id: x.id, paid_on: date.value, amount: x.amount, bank_reference: ref });
    } catch (_) {
      r = null;
    }
    if (r && r.status === 201) {
      li.dataset.state = "done";
      if (r.body.round_paid) paidAll = true;
      put(li, h("span", { class: "ok" }, bi(`${x.id}：已拨付 ${yuan(r.body.amount)}（${r.body.paid_on}，${ref}）`, `${x.id}: paid ${yuan(r.body.amount)} (${r.body.paid_on}, ${ref})`)));
    } else {
      failed += 1;
      li.dataset.state = "refused";
      put(li, h("code", {}, x.id), " ", r ? refusal(r.body) : bi("网络不可用。", "The network is unavailable."));
    }
  }
  const summary = failed
    ? h("div", { class: "bad", role: "alert" }, h("p", {}, bi(`${chosen.length - failed} 笔已登记，${failed} 笔被拒绝：`, `${chosen.length - failed} recorded, ${failed} refused:`)))
    : done(`已登记 ${chosen.length} 笔拨付。${paidAll ? "本轮已全部拨付。" : ""}`, `${chosen.length} payment(s) recorded.${paidAll ? " The round is fully paid." : ""}`);
  put(out, summary, list);
  out.dataset.state = failed ? "refused" : "done";
  submit.disabled = false;
  await load();
}

// ---- The payments notice -------------------------------------------------------------

function drawPaymentsNotice() {
  const n = notices.find((x) => x.kind === "payments");
  put($("payments-notice-current"), n ? h("p", { class: "panel", "data-notice": n.id },
    bi(`已发布拨付公示（${moment(n.published_at)}，${n.entries} 项，合计 ${yuan(n.current_total)}）。`,
      `Payments notice published ${moment(n.published_at)}: ${n.entries} entries, ${yuan(n.current_total)} in total. `),
    h("a", { href: n.url }, bi("查看公示", "View the notice"))) : null);
}

async function publishPayments() {
  const r = await act($("payments-notice-status"), $("payments-notice"),
    () => call("POST", "/api/notices", { kind: "payments", round_year: year }),
    (n) => done(`已发布拨付公示 ${n.id}：${(n.entries || []).length} 项，合计 ${yuan(n.current_total)}。`,
      `Payments notice ${n.id} published: ${(n.entries || []).length} entries, ${yuan(n.current_total)} in total.`,
      h("p", {}, h("a", { href: n.url, id: "payments-notice-link" }, bi("查看公示", "View the notice")))));
  if (succeeded(r)) await load();
}

// ---- Exports ---------------------------------------------------------------------------

function exportUrl(kind) {
  return `/api/rounds/${year}/allocation/export.${kind}?list=${encodeURIComponent($("export-list").value)}`;
}

function drawExports() {
  $("export-csv").href = exportUrl("csv");
  $("export-xlsx").href = exportUrl("xlsx");
}

/** Downloads an export through fetch (the session's cookie), so a refusal shows here. */
async function download(e, kind) {
  e.preventDefault();
  const out = $("export-status");
  pending(out, "正在导出…", "Exporting…");
  let file;
  try {
    file = await fetchFile(exportUrl(kind));
  } catch (err) {
    if (err.answer) show(out, err.answer);
    else offline(out);
    return;
  }
  const { blob } = file;
  const name = file.name || `round-${year}-${$("export-list").value}.${kind}`;
  const href = URL.createObjectURL(blob);
  saveAs(href, name);
  setTimeout(() => URL.revokeObjectURL(href), 60000);
  put(out, done(`已导出 ${name}（${blob.size} 字节）。`, `Exported ${name} (${blob.size} bytes).`));
  out.dataset.state = "done";
  out.dataset.file = name;
}

main();
