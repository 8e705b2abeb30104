// The dashboard: every round, a round's state (applications per status, money requested /
// granted / approved / paid / recovered, the deadlines, what blocks the next step), the two
// stage moves made by hand (close the window, start the review) and a new round from its guide.
//
// Ids a test uses:
//   #rounds-list, #rounds-table, #round-<year>-open (link to ?year=<year>)
//   #round-view: #round-facts, #round-counts, #round-money, #round-deadlines, #round-blockers
//     (li[data-blocker]), #round-allocation-link, #round-queue-link
//   #stage-close, #stage-review, #stage-status (data-state)
//   #round-create-details (open it), #round-create-year, -title, -reference, -url,
//   -approval-reference, -approval-date, -materials (one per line), -opens, -closes
//   (datetime-local, Beijing time), -from, -to, -budget, #round-create-submit,
//   #round-create-status (data-state)

import {
  initConsole, call, can, act, done, problem, bi, h, put, yuan, moment, sumMoney, pool, table,
  yearParam, stageName, biRules, refusal, isMoney,
} from "./session.js";
import { STATUS, WAITS, label, wordsOf } from "./review-kit.js";

const listEl = document.getElementById("rounds-list");
const viewEl = document.getElementById("round-view");
const titleEl = document.getElementById("round-title");
const tools = document.getElementById("stage-tools");
const closeBtn = document.getElementById("stage-close");
const reviewBtn = document.getElementById("stage-review");
const stageOut = document.getElementById("stage-status");

let rounds = [];
let year = null;

async function main() {
  const s = await initConsole();
  if (!s) return;
  await loadRounds();
  year = yearParam() || (rounds[0] && rounds[0].year) || null;
  if (year) await renderRound(year);
  else put(viewEl, h("p", { id: "round-none" }, bi("还没有申报轮次。", "There is no round yet.")));
  if (can("admin")) setUpCreate();
  closeBtn.addEventListener("click", () => stage("closed", closeBtn));
  reviewBtn.addEventListener("click", () => stage("under_review", reviewBtn));
}

async function loadRounds() {
  const r = await call("GET", "/api/rounds");
  if (r.status !== 200) {
    put(listEl, refusal(r.body));
    return;
  }
  rounds = r.body.rounds || [];
  if (!rounds.length) {
    put(listEl, h("p", {}, bi("还没有申报轮次。", "There is no round yet.")));
    return;
  }
  put(listEl, table("rounds-table", [
    ["年度", "Year"], ["指南", "Guide"], ["阶段", "Stage"], ["申报窗口", "Window"], ["预算", "Budget", "num"], ["", ""],
  ], rounds.map((x) => h("tr", { "data-year": x.year, class: x.year === year ? "current" : null },
    h("th", { scope: "row" }, String(x.year)),
    h("td", {}, x.guide ? x.guide.title : "—", x.guide_reference ? h("div", { class: "muted" }, x.guide_reference) : null),
    h("td", {}, stageName(x)),
    h("td", {}, moment(x.window.opens_at), " – ", moment(x.window.closes_at)),
    h("td", { class: "num" }, yuan(x.budget)),
    h("td", {}, h("a", { href: `dashboard.html?year=${x.year}`, id: `round-${x.year}-open` }, bi("查看", "Open")), " · ",
      h("a", { href: `allocation.html?year=${x.year}` }, bi("分配与拨付", "Allocation")))))));
}

/** Every fact the dashboard needs about a round, read in parallel. */
async function gather(y) {
  const [round, apps, alloc, notices, disclosure] = await Promise.all([
    call("GET", `/api/rounds/${y}`),
    call("GET", `/api/applications?round=${y}`),
    call("GET", `/api/rounds/${y}/allocation`),
    call("GET", "/api/notices"),
    call("GET", "/api/disclosure"),
  ]);
  return { round, apps, alloc, notices, disclosure };
}

async function renderRound(y) {
  put(viewEl, h("p", { role: "status" }, bi("正在加载…", "Loading…")));
  let d;
  try {
    d = await gather(y);
  } catch (_) {
    put(viewEl, h("p", { class: "bad", role: "alert" }, bi("网络不可用。", "The network is unavailable.")));
    return;
  }
  if (d.round.status !== 200) {
    put(viewEl, refusal(d.round.body));
    return;
  }
  const round = d.round.body;
  put(titleEl, bi(`${round.year} 年度轮次`, `The ${round.year} round`));
  const apps = d.apps.status === 200 ? d.apps.body.applications || [] : [];
  const alloc = d.alloc.status === 200 ? d.alloc.body : null;
  const notices = d.notices.status === 200 ? (d.notices.body.notices || []).filter((n) => n.round_year === round.year) : [];
  const proposed = notices.find((n) => n.kind === "proposed_list") || null;
  const payments = notices.find((n) => n.kind === "payments") || null;
  const disclosure = d.disclosure.status === 200 ? d.disclosure.body : null;

  // The government's decision per line (its amount) and the open objections, when there are any.
  let approvedTotal = null;
  if (round.approved_on) {
    const decided = apps.filter((a) => a.status === "approved" || a.status === "paid");
    const details = await pool(decided, 6, (a) => call("GET", `/api/applications/${encodeURIComponent(a.id)}`).catch(() => null));
    approvedTotal = sumMoney(details.map((x) => (x && x.status === 200 && x.body.progress && x.body.progress.approval ? x.body.progress.approval.amount : "0")));
  }
  let openObjections = [];
  if (proposed) {
    const o = await call("GET", `/api/objections?notice=${encodeURIComponent(proposed.id)}`).catch(() => null);
    if (o && o.status === 200) openObjections = (o.body.objections || []).filter((x) => x.status === "received");
  }

  const roundPaid = disclosure ? (disclosure.rounds || []).find((x) => x.year === round.year) : null;
  const claims = disclosure && disclosure.recoveries ? (disclosure.recoveries.claims || []).filter((c) => c.year === round.year) : [];

  put(viewEl,
    facts(round),
    h("p", { class: "tools" },
      h("a", { class: "button secondary", id: "round-queue-link", href: `queue.html?round=${round.year}` }, bi("申报审核", "Applications")),
      h("a", { class: "button secondary", id: "round-allocation-link", href: `allocation.html?year=${round.year}` }, bi("分配、审批与拨付", "Allocation, approval and payment"))),
    h("div", { class: "dash-grid" },
      h("section", { class: "panel" }, h("h3", {}, bi("申报件数", "Applications")), counts(apps, d.apps)),
      h("section", { class: "panel" }, h("h3", {}, bi("金额", "Money")), moneyFacts(round, apps, alloc, approvedTotal, roundPaid, claims)),
      h("section", { class: "panel" }, h("h3", {}, bi("时间节点", "Deadlines")), deadlines(round, proposed, payments))),
    h("section", { class: "panel blockers" }, h("h3", {}, bi("下一步与阻碍事项", "Next step and what blocks it")),
      blockers(round, apps, alloc, proposed, payments, openObjections)),
  );

  tools.hidden = !can("admin");
  closeBtn.disabled = round.stage !== "open";
  reviewBtn.disabled = round.stage !== "closed";
}

function facts(round) {
  const g = round.guide || {};
  return h("dl", { class: "facts", id: "round-facts" },
    h("dt", {}, bi("阶段", "Stage")), h("dd", { id: "round-stage", "data-stage": round.stage }, stageName(round)),
    h("dt", {}, bi("指南", "Guide")), h("dd", {}, g.url ? h("a", { href: g.url, rel: "noopener" }, g.title) : g.title || "—",
      round.guide_reference ? ` (${round.guide_reference})` : ""),
    h("dt", {}, bi("政府审议指南", "Guide approved by")), h("dd", {}, g.approval ? `${g.approval.reference} · ${g.approval.approved_on}` : "—"),
    h("dt", {}, bi("申报材料", "Materials")), h("dd", {}, (g.materials || []).join("、") || "—"),
    h("dt", {}, bi("贴息所属期间", "Covered period")), h("dd", {}, `${round.covered_period.from} – ${round.covered_period.to}`),
    h("dt", {}, bi("预算", "Budget")), h("dd", { id: "round-budget" }, yuan(round.budget)));
}

function counts(apps, r) {
  if (r.status !== 200) return refusal(r.body);
  const by = {};
  const waits = {};
  for (const a of apps) {
    by[a.status] = (by[a.status] || 0) + 1;
    for (const w of a.waits_for || []) waits[w] = (waits[w] || 0) + 1;
  }
  const rows = STATUS.filter(([k]) => by[k]).map(([k, zh, en]) =>
    h("tr", { "data-status": k }, h("th", { scope: "row" }, bi(zh, en)), h("td", { class: "num" }, String(by[k]))));
  for (const [k, n] of Object.entries(by)) {
    if (!STATUS.some(([s]) => s === k)) rows.push(h("tr", { "data-status": k }, h("th", { scope: "row" }, k), h("td", { class: "num" }, String(n))));
  }
  rows.push(h("tr", { class: "total" }, h("th", { scope: "row" }, bi("合计", "Total")), h("td", { class: "num", id: "round-count-total" }, String(apps.length))));
  const waitRows = Object.entries(waits).map(([k, n]) =>
    h("tr", { "data-waits": k }, h("th", { scope: "row" }, label(WAITS, k)), h("td", { class: "num" }, String(n))));
  return h("div", {},
    table("round-counts", [["状态", "Status"], ["件数", "Count", "num"]], rows),
    waitRows.length ? table("round-waits", [["等待事项", "Waiting for"], ["件数", "Count", "num"]], waitRows) : null);
}

function moneyFacts(round, apps, alloc, approvedTotal, roundPaid, claims) {
  const live = apps.filter((a) => a.status !== "withdrawn");
  const a = alloc ? alloc.allocation : null;
  const row = (id, zh, en, v, note) => [h("dt", {}, bi(zh, en)), h("dd", { id, class: "num" }, v, note ? h("small", { class: "muted" }, " ", note) : null)];
  return h("dl", { class: "facts money", id: "round-money" },
    row("money-budget", "预算", "Budget", yuan(round.budget)),
    row("money-requested", "申报测算金额", "Requested (pre-check)", yuan(sumMoney(live.map((x) => x.amount))), bi(`${live.length} 件`, `${live.length} applications`)),
    row("money-capped", "核定后申请总额", "Requested after caps", a ? yuan(a.requested_total) : "—"),
    row("money-granted", "拟补助", "Granted (proposed)", a ? yuan(a.granted_total) : "—", a ? bi(`第 ${alloc.version} 版`, `version ${alloc.version}`) : null),
    row("money-approved", "政府批准", "Approved", approvedTotal !== null ? yuan(approvedTotal) : "—"),
    row("money-paid", "已拨付", "Paid", roundPaid ? yuan(roundPaid.total) : yuan("0.00"), roundPaid ? bi(`${roundPaid.payments} 笔`, `${roundPaid.payments} payments`) : null),
    row("money-recovered", "已追回", "Recovered", claims.length ? yuan(sumMoney(claims.map((c) => c.recovered))) : yuan("0.00"),
      claims.length ? bi(`应追回 ${yuan(sumMoney(claims.map((c) => c.due)))}，未追回 ${yuan(sumMoney(claims.map((c) => c.outstanding)))}`,
        `due ${yuan(sumMoney(claims.map((c) => c.due)))}, outstanding ${yuan(sumMoney(claims.map((c) => c.outstanding)))}`) : null));
}

function deadlines(round, proposed, payments) {
  const ws = { not_yet: ["尚未开始", "not yet open"], open: ["正在受理", "open"], closed: ["已截止", "closed"] }[round.window_status] || [round.window_status, round.window_status];
  const p = proposed && proposed.period;
  return h("dl", { class: "facts", id: "round-deadlines" },
    h("dt", {}, bi("申报窗口", "Window")), h("dd", { id: "deadline-window", "data-window": round.window_status },
      moment(round.window.opens_at), " – ", moment(round.window.closes_at), " ", h("strong", {}, bi(`（${ws[0]}）`, ` (${ws[1]})`))),
    h("dt", {}, bi("公示期", "Notice period")), h("dd", { id: "deadline-notice", "data-open": proposed ? String(!!proposed.objections_open) : null },
      p ? [bi(`${p.first_day} 至 ${p.last_day}（${p.working_days} 个工作日），${moment(p.ends_at)} 结束`,
        `${p.first_day} to ${p.last_day} (${p.working_days} working days), ends ${moment(p.ends_at)}`),
      " ", h("strong", {}, proposed.objections_open ? bi("（公示中）", " (running)") : bi("（已结束）", " (ended)")),
      " ", h("a", { href: proposed.url }, bi("公示", "notice"))]
        : bi("尚未公示", "not published yet")),
    h("dt", {}, bi("政府审批", "Government approval")), h("dd", { id: "deadline-approval" },
      round.approved_on ? `${round.approval_reference || ""} · ${round.approved_on}` : bi("尚未审批", "not yet")),
    h("dt", {}, bi("拨付公示", "Payments notice")), h("dd", { id: "deadline-payments" },
      payments ? [moment(payments.published_at), " ", h("a", { href: payments.url }, bi("公示", "notice"))] : bi("尚未公示", "not published yet")));
}

/** What the round waits for before its next step, computed from the data. */
function blockers(round, apps, alloc, proposed, payments, openObjections) {
  const items = [];
  const add = (key, zh, en, list) => items.push(h("li", { "data-blocker": key }, biRules(zh, en),
    list && list.length ? h("ul", { class: "items" }, list.map((x) => h("li", {}, h("code", {}, x.id || x), x.name ? ` ${x.name}` : "", x.extra || ""))) : null));
  let next;
  switch (round.stage) {
    case "open":
      next = ["截止申报", "close the window"];
      if (round.window_status !== "closed") {
        add("window", `申报窗口尚未结束（${moment(round.window.closes_at)} 截止），截止前不能关闭（PROC-LATE）。`,
          `The window is still open (until ${moment(round.window.closes_at)}); it cannot be closed before (PROC-LATE).`);
      }
      break;
    case "closed":
      next = ["进入评审", "start the review"];
      break;
    case "under_review": {
      next = ["计算分配", "compute the allocation"];
      const waiting = apps.filter((a) => a.status === "submitted");
      if (waiting.length) {
        add("review", `${waiting.length} 件申报尚无评审结论，不能计算分配（PROC-REVIEW）：`,
          `${waiting.length} application(s) have no review decision; the allocation cannot be computed (PROC-REVIEW):`,
          waiting.map((a) => ({ id: a.id, name: a.enterprise_name, extra: (a.waits_for || []).length ? ` — ${(a.waits_for || []).map((w) => wordsOf(WAITS, w)[0]).join("、")}` : "" })));
      }
      break;
    }
    case "allocated":
      next = ["公示拟补助名单", "publish the proposed list"];
      if (!alloc) add("allocation", "尚无分配结果。", "There is no allocation yet.");
      break;
    case "in_notice":
      next = ["录入政府审批结果", "record the government's approval"];
      if (proposed && proposed.objections_open) {
        add("notice", `公示期尚未结束（${moment(proposed.period ? proposed.period.ends_at : "")} 结束），结束后方可报批（PROC-APPROVE）。`,
          `The notice period is still running (until ${moment(proposed.period ? proposed.period.ends_at : "")}); the approval comes after it (PROC-APPROVE).`);
      }
      if (openObjections.length) {
        add("objections", `${openObjections.length} 件异议尚无重审结论（PROC-OBJECT）：`,
          `${openObjections.length} objection(s) have no re-review conclusion yet (PROC-OBJECT):`,
          openObjections.map((o) => ({ id: o.tracking_number, name: o.application_id })));
      }
      break;
    case "approved": {
      next = ["拨付资金", "pay"];
      const unpaid = apps.filter((a) => a.status === "approved");
      if (unpaid.length) {
        add("payments", `${unpaid.length} 项已批准尚未拨付（DISCLOSE）：`, `${unpaid.length} approved line(s) not paid yet (DISCLOSE):`,
          unpaid.map((a) => ({ id: a.id, name: a.enterprise_name })));
      }
      break;
    }
    case "paid":
      next = payments ? ["本轮已完成", "the round is complete"] : ["发布拨付公示", "publish the payments notice"];
      break;
    default:
      next = [round.stage, round.stage];
  }
  return h("div", { id: "round-blockers-wrap" },
    h("p", { id: "round-next" }, h("strong", {}, bi("下一步：", "Next: ")), bi(next[0], next[1])),
    items.length ? h("ul", { id: "round-blockers", class: "blockers" }, items)
      : h("p", { id: "round-blockers", class: "ok", "data-empty": "true" }, bi("没有阻碍事项。", "Nothing blocks it.")));
}

async function stage(to, button) {
  const r = await act(stageOut, button, () => call("POST", `/api/rounds/${year}/stage`, { to }),
    (b) => done(`已进入阶段：${b.stage_zh}。`, `The round is now: ${b.stage_en}.`));
  if (r && r.status === 200) {
    await loadRounds();
    await renderRound(year);
  }
}

// ---- A new round from its guide -------------------------------------------------------

const DEFAULT_MATERIALS = ["贷款合同", "质押登记证明", "利息支付凭证", "还款凭证"];

function setUpCreate() {
  document.getElementById("round-create-section").hidden = false;
  const $ = (k) => document.getElementById(`round-create-${k}`);
  const newest = rounds[0];
  const y = newest ? newest.year + 1 : new Date().getFullYear();
  $("year").value = String(y);
  $("materials").value = (newest && newest.guide && newest.guide.materials && newest.guide.materials.length ? newest.guide.materials : DEFAULT_MATERIALS).join("\n");
  if (!rounds.length) document.getElementById("round-create-details").open = true;
  const out = $("status");
  $("form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const required = ["year", "title", "reference", "approval-reference", "approval-date", "materials", "opens", "closes", "from", "to", "budget"];
    const empty = required.filter((k) => !$(k).value.trim());
    for (const k of required) $(k).toggleAttribute("aria-invalid", empty.includes(k));
    const badBudget = $("budget").value.trim() && !isMoney($("budget").value);
    $("budget").toggleAttribute("aria-invalid", empty.includes("budget") || badBudget);
    if (empty.length || badBudget) {
      if (badBudget && !empty.length) problem(out, "预算须为金额，例如 1000000.00。", "The budget must be an amount, e.g. 1000000.00.");
      else problem(out, "请填写所有必填项。", "Fill in every required field.");
      $(empty[0] || "budget").focus();
      return;
    }
    const moment8 = (v) => (v.length === 16 ? `${v}:00+08:00` : `${v}+08:00`);
    const body = {
      year: Number($("year").value),
      window: { opens_at: moment8($("opens").value), closes_at: moment8($("closes").value) },
      covered_period: { from: $("from").value, to: $("to").value },
      budget: $("budget").value.trim(),
      guide_reference: $("reference").value.trim(),
      guide: {
        title: $("title").value.trim(),
        materials: $("materials").value.split("\n").map((x) => x.trim()).filter(Boolean),
        approval: { approved_on: $("approval-date").value, reference: $("approval-reference").value.trim() },
      },
    };
    if ($("url").value.trim()) body.guide.url = $("url").value.trim();
    const r = await act(out, $("submit"), () => call("POST", "/api/rounds", body),
      (b) => done(`已创建 ${b.year} 年度轮次（${b.stage_zh}）。`, `The ${b.year} round is created (${b.stage_en}).`,
        h("p", {}, h("a", { href: `dashboard.html?year=${b.year}`, id: "round-create-open" }, bi("查看本轮", "Open the round")))));
    if (r && r.status === 201) {
      year = r.body.year;
      history.replaceState(null, "", `dashboard.html?year=${year}`);
      await loadRounds();
      await renderRound(year);
    }
  });
}

main();

