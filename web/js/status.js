// An application followed to the end, for its enterprise (issue 16): the timeline from the
// submission to the payment (or the withdrawal, the refusal, the removal), the way to
// object or appeal a refusal or a reduced amount, the materials checklist with an upload
// per kind, and the withdrawal while the window is open.

import { api, bi, errorMessage, fact, h, lang, moment, money, put } from "./common.js";
import { renderDecision, ruleRef } from "./result.js";

export const STATUS = {
  submitted: ["已受理，待评审", "received, awaiting review"],
  eligible: ["评审通过，待分配", "reviewed: eligible, awaiting allocation"],
  refused: ["不予补助", "refused"],
  withdrawn: ["已撤回", "withdrawn"],
  proposed: ["列入拟补助名单（公示）", "on the proposed list (notice)"],
  removed: ["已移出名单", "removed from the list"],
  approved: ["区政府会议已审定", "approved by the district government"],
  paid: ["已拨付", "paid"],
};

/** The document kinds the service takes (functions/intake/src/documents.rs), in order. */
export const KINDS = [
  ["loan_contract", "贷款合同", "Loan contract"],
  ["pledge_registration", "质押登记证明", "Pledge registration"],
  ["interest_statement", "利息支付凭证", "Interest statement"],
  ["repayment_proof", "还款凭证", "Repayment proof"],
];

// The service's limits (functions/intake/src/documents.rs), checked before sending.
const MIB = 1024 * 1024;
const DOCUMENT_LIMIT = 10 * MIB;
const FILES_PER_KIND = 20;
const BYTES_PER_KIND = 40 * MIB;
const BYTES_PER_APPLICATION = 60 * MIB;

/** An accessible name born in the page's language and swapped by the switch. */
const named = (zh, en) => ({ "aria-label": lang() === "en" ? en : zh, "data-label-zh": zh, "data-label-en": en });

const yuan = (m) => bi(`${money(m)} 元`, `${money(m)} CNY`);

/** "2026-04-15" or a moment → "2026年4月15日" / "15 April 2026". */
function day(s) {
  const [y, m, d] = String(s).slice(0, 10).split("-").map(Number);
  const months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
  return bi(`${y}年${m}月${d}日`, `${d} ${months[m - 1]} ${y}`);
}

/** The last day of a period whose exclusive end is `endsAt` (Beijing time), 24时. */
function lastDay(endsAt) {
  const t = new Date(new Date(endsAt).getTime() - 1 + 8 * 3600 * 1000).toISOString().slice(0, 10);
  const [y, m, d] = t.split("-").map(Number);
  const months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
  return bi(`${y}年${m}月${d}日24时`, `the end of ${d} ${months[m - 1]} ${y}`);
}

/** One step of the timeline: state is done, now (waiting), bad (ended badly) or todo. */
function step(name, state, titleZh, titleEn, when, ...detail) {
  return h(
    "li",
    { class: `step ${state}`, "data-step": name, "data-state": state },
    h("span", { class: "step-mark", "aria-hidden": "true" }, state === "done" ? "✓" : state === "bad" ? "✕" : state === "now" ? "…" : "○"),
    h("div", { class: "step-body" }, h("strong", {}, bi(titleZh, titleEn)), when ? h("span", { class: "step-when" }, " · ", when) : null, ...detail.map((d) => (d ? h("p", {}, d) : null))),
  );
}

/** Whether the amount finally granted is below what the review found, or nothing. */
function reduced(a) {
  const p = a.progress;
  const reviewed = Number(a.decision.amount);
  const listed = p.listed ? Number(p.listed.amount_now) : null;
  const approved = p.approval ? Number(p.approval.amount) : null;
  return (listed !== null && listed < reviewed) || (approved !== null && approved < (listed ?? reviewed));
}

/** The timeline, true for the whole process. */
export function timeline(a) {
  const p = a.progress;
  const steps = [];
  const docs = a.documents || [];
  steps.push(step("submitted", "done", "提交申报", "Submitted", moment(a.submitted_at), bi(`申报编号 ${a.id}；申报不收取任何费用。`, `Application ${a.id}; applying costs nothing.`)));
  const kindsIn = KINDS.filter(([k]) => docs.some((d) => d.kind === k)).length;
  const lastUpload = docs.map((d) => d.uploaded_at).sort().pop();
  steps.push(
    step(
      "documents",
      kindsIn === KINDS.length ? "done" : "now",
      "提交材料",
      "Documents",
      lastUpload ? moment(lastUpload) : null,
      bi(`已交 ${docs.length} 个文件，${KINDS.length} 类材料中已交 ${kindsIn} 类。`, `${docs.length} file(s); ${kindsIn} of the ${KINDS.length} kinds of document.`),
    ),
  );
  if (a.status === "withdrawn") {
    const v = a.voided;
    steps.push(
      v
        ? step("withdrawn", "bad", "已被区知识产权局作废", "Voided by the IP office", moment(v.voided_at), bi(`理由：${v.reason}`, `Reason: ${v.reason}`))
        : step("withdrawn", "bad", "已撤回", "Withdrawn", p.withdrawn_at ? moment(p.withdrawn_at) : null, bi("企业在申报期内撤回了本申报，其贷款可另行申报。", "The enterprise withdrew it inside the window; its loans may be claimed again.")),
    );
    return steps;
  }
  // The review.
  const reviewed = a.review && a.status !== "submitted";
  if (!reviewed) {
    steps.push(step("reviewed", "now", "评审", "Review", null, bi("区知识产权局正在评审：核对利息支付凭证，征求相关部门意见，查询信用记录（PROC-REVIEW、PROC-CREDIT）。", "The IP office is reviewing it: the interest statements, other departments' opinions, the credit record (PROC-REVIEW, PROC-CREDIT).")));
  } else if (a.decision.outcome === "eligible") {
    steps.push(step("reviewed", "done", "评审通过", "Reviewed: eligible", null, h("span", { id: "reviewed-amount", "data-amount": a.decision.amount }, bi("核定的补助金额（预算分配前）：", "Amount found by the review (before the budget): "), yuan(a.decision.amount))));
  } else {
    steps.push(step("reviewed", "bad", "评审结论：不予补助", "Reviewed: refused", null, h("span", {}, bi("依据：", "Under: "), ...a.decision.refused_by.flatMap((r, i) => [i ? "、" : "", ruleRef(r)])), bi("理由见下方的评审结果。", "The reasons are in the review's result below.")));
    return steps;
  }
  // The list and its notice.
  if (p.listed) {
    const l = p.listed;
    steps.push(
      step(
        "listed",
        "done",
        "列入拟补助名单并公示",
        "On the proposed list, published",
        moment(l.published_at),
        h("span", { id: "listed-amount", "data-amount": l.amount }, bi("拟补助金额：", "Amount proposed: "), yuan(l.amount)),
        h("span", {}, h("a", { href: `/notices/${encodeURIComponent(l.notice_id)}` }, bi(`公示 ${l.notice_id} 第${l.entry}项`, `Notice ${l.notice_id}, entry ${l.entry}`)), bi("；公示期至", "; the notice period runs to "), lastDay(l.period_ends_at), bi("。", ".")),
      ),
    );
    for (const u of p.updates) steps.push(updateStep(u));
    if (p.objections_open > 0) {
      steps.push(step("objection", "now", "收到异议，重审中", "Objected to, under re-review", null, bi(`公示期间收到针对本项目的异议 ${p.objections_open} 件，区知识产权局重审后在公示中公布重审结论（PROC-OBJECT）。`, `${p.objections_open} objection(s) to this entry were received; the IP office publishes its re-review conclusion in the notice (PROC-OBJECT).`)));
    }
    if (a.status === "removed" && Number(l.amount_now) === 0 && !p.approval) {
      steps.push(step("removed", "bad", "经重审移出名单", "Removed after re-review", null, bi("重审结论为取消补助。", "The re-review removed the entry.")));
      return steps;
    }
  } else if (a.status === "refused") {
    steps.push(step("listed", "bad", "未列入拟补助名单", "Not on the proposed list", null, bi("预算分配后未获补助（BUDGET）：当年补助总额不超过财政预算。", "Granted nothing in the budget's allocation (BUDGET): the year's subsidies stay within the budget.")));
    return steps;
  } else {
    steps.push(step("listed", "todo", "拟补助名单公示", "Proposed list on notice", null, bi("评审结束后按预算形成拟补助名单，在区政府网站公示5个工作日（PROC-NOTICE）。", "After the review the list is drawn within the budget and published for 5 working days (PROC-NOTICE).")));
  }
  // The district government's decision.
  const g = p.approval;
  if (!g) {
    steps.push(step("approved", "todo", "区政府会议审定", "Approval by the district government", null, bi("公示期结束、异议重审完毕后报区政府会议审议（PROC-APPROVE）。", "After the notice period and any re-review, the list goes to the district government (PROC-APPROVE).")));
  } else {
    const ref = bi(`（${g.reference}）`, ` (${g.reference})`);
    const note = g.note ? bi(`说明：${g.note}`, `Note: ${g.note}`) : null;
    if (g.decision === "rejected") {
      steps.push(step("approved", "bad", "区政府会议未予批准", "Not approved by the district government", day(g.approved_on), h("span", { id: "approved-amount", "data-amount": g.amount }, ref, bi("本项目不予补助。", " This line is not granted.")), note));
      return steps;
    }
    steps.push(
      step(
        "approved",
        "done",
        g.decision === "reduced" ? "区政府会议审定（核减）" : "区政府会议审定",
        g.decision === "reduced" ? "Approved, reduced, by the district government" : "Approved by the district government",
        day(g.approved_on),
        h("span", { id: "approved-amount", "data-amount": g.amount }, bi(g.decision === "reduced" ? "核减后的补助金额：" : "审定的补助金额：", g.decision === "reduced" ? "Amount after reduction: " : "Amount approved: "), yuan(g.amount), ref),
        note,
      ),
    );
  }
  // The payment.
  const paid = p.payment;
  if (paid) {
    steps.push(
      step(
        "paid",
        "done",
        "已拨付",
        "Paid",
        day(paid.paid_on),
        h("span", { id: "paid-amount", "data-amount": paid.amount }, bi("拨付金额：", "Amount paid: "), yuan(paid.amount)),
        paid.notice_id ? h("a", { href: `/notices/${encodeURIComponent(paid.notice_id)}` }, bi("拨付情况公开", "The payments notice")) : null,
      ),
    );
  } else if (a.status === "removed") {
    steps.push(step("paid", "bad", "停止拨付", "Payment stopped", null, bi("经认定存在弄虚作假等情形，停止拨付并追回已拨付资金（FRAUD）。", "Stopped after a finding of fraud; money paid is recovered (FRAUD).")));
  } else {
    steps.push(step("paid", g ? "now" : "todo", "拨付资金", "Payment", null, bi("审定后按程序办理资金拨付（DISCLOSE）。", "After approval the money is paid as the procedure requires (DISCLOSE).")));
  }
  return steps;
}

function updateStep(u) {
  const [zh, en, state] = {
    re_review_upheld: u.new_amount ? ["重审：异议成立，金额调整", "Re-review: upheld, amount changed", "done"] : ["重审：异议成立，取消补助", "Re-review: upheld, entry removed", "bad"],
    re_review_partly_upheld: ["重审：异议部分成立，金额调整", "Re-review: partly upheld, amount changed", "done"],
    re_review_dismissed: ["重审：异议不成立，维持原名单", "Re-review: dismissed, the entry stands", "done"],
    correction: ["公示更正", "Correction of the notice", "done"],
  }[u.kind] || [u.kind, u.kind, "done"];
  return step(
    "update",
    state,
    zh,
    en,
    moment(u.at),
    u.new_amount ? h("span", { class: "new-amount", "data-amount": u.new_amount }, bi("调整后的金额：", "Amount now: "), yuan(u.new_amount)) : null,
    bi(u.text_zh, u.text_en),
  );
}

/** How to object during the notice, and appeal after the decision, in plain words. */
export function appealPath(a) {
  const p = a.progress;
  const refusedOrLess = ["refused", "removed"].includes(a.status) || reduced(a);
  if (!refusedOrLess) return null;
  const parts = [h("h4", {}, bi("不服结果怎么办", "If you disagree"))];
  if (p.listed) {
    parts.push(
      h(
        "p",
        { class: "objection-way" },
        bi("公示期内（至", "During the notice period (to "),
        lastDay(p.listed.period_ends_at),
        bi(
          `），任何单位和个人均可在“公示与异议”页面对本项目（公示 ${p.listed.notice_id} 第${p.listed.entry}项）提出异议，说明理由并附证据；区知识产权局重审并作出重审结论（PROC-OBJECT）。`,
          `), anyone, the enterprise included, may object to this entry (notice ${p.listed.notice_id}, entry ${p.listed.entry}) on the notices page, with grounds and evidence; the IP office re-reviews it and concludes (PROC-OBJECT).`,
        ),
        " ",
        h("a", { href: "notices.html" }, bi("公示与异议", "Notices and objections")),
        " · ",
        h("a", { href: "objection.html" }, bi("异议查询（凭受理编号和回执令牌）", "Follow an objection (tracking number and receipt token)")),
      ),
    );
  } else {
    parts.push(
      h(
        "p",
        { class: "objection-way" },
        bi(
          "异议针对公示的拟补助名单上的项目提出，本申报不在名单上。对评审结论有疑问的，请在名单公示期内联系区知识产权局（联系方式见页脚），公示情况见",
          "Objections are made to entries of the proposed list on notice, and this application is not on it. If you question the review's conclusion, contact the IP office during the notice period (see the footer); the notices are on ",
        ),
        h("a", { href: "notices.html" }, bi("公示与异议", "the notices page")),
        bi("。", "."),
      ),
    );
  }
  parts.push(
    h(
      "p",
      { class: "review-way" },
      bi(
        "对不予补助、核减或不予批准的决定不服的，可以依法申请行政复议或者提起行政诉讼。本政策没有规定期限；按《中华人民共和国行政复议法》《中华人民共和国行政诉讼法》的一般规定，自知道该决定之日起60日内可以申请行政复议，6个月内可以直接提起行政诉讼。复议机关和管辖法院依法律规定确定，可向区知识产权局咨询。",
        "If you disagree with a refusal, a reduction or a line not approved, you may apply for administrative reconsideration (行政复议) or bring an administrative lawsuit (行政诉讼). The policy sets no time limit; under the general law (the Administrative Reconsideration Law and the Administrative Litigation Law) reconsideration may be sought within 60 days, and a lawsuit brought within 6 months, of learning of the decision. Which body or court hears it follows from the law; the IP office can tell you.",
      ),
    ),
  );
  return h("section", { class: "appeal panel", id: "appeal", ...named("不服结果怎么办", "If you disagree") }, ...parts);
}

/** Which of the first bytes make a PDF, a JPEG or a PNG (as the service recognises them). */
async function sniff(file) {
  const b = new Uint8Array(await file.slice(0, 8).arrayBuffer());
  const starts = (sig) => sig.every((x, i) => b[i] === x);
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return "application/pdf";
  if (starts([0xff, 0xd8, 0xff])) return "image/jpeg";
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  return null;
}

const mb = (n) => (n < MIB / 10 ? `${Math.max(1, Math.round(n / 1024))} KB` : `${(n / MIB).toFixed(1)} MB`);

/** Every problem of `files` for `kind` beside what is stored, before anything is sent. */
async function problems(files, kind, docs) {
  const out = [];
  let kindFiles = docs.filter((d) => d.kind === kind).length;
  let kindBytes = docs.filter((d) => d.kind === kind).reduce((s, d) => s + d.size_bytes, 0);
  let allBytes = docs.reduce((s, d) => s + d.size_bytes, 0);
  for (const f of files) {
    if (!(await sniff(f))) out.push(bi(`“${f.name}”不是 PDF、JPEG 或 PNG 文件。`, `“${f.name}” is not a PDF, JPEG or PNG file.`));
    else if (f.size > DOCUMENT_LIMIT) out.push(bi(`“${f.name}”为 ${mb(f.size)}，每个文件不超过 10 MB。`, `“${f.name}” is ${mb(f.size)}; a file may be 10 MB at most.`));
    kindFiles += 1;
    kindBytes += f.size;
    allBytes += f.size;
  }
  if (kindFiles > FILES_PER_KIND) out.push(bi(`每类材料最多 ${FILES_PER_KIND} 个文件。`, `At most ${FILES_PER_KIND} files of one kind.`));
  if (kindBytes > BYTES_PER_KIND) out.push(bi("每类材料合计不超过 40 MB。", "At most 40 MB per kind."));
  if (allBytes > BYTES_PER_APPLICATION) out.push(bi("每件申报的材料合计不超过 60 MB。", "At most 60 MB of documents per application."));
  return out;
}

/** The materials checklist by kind, with what is missing and an upload control each. */
function materials(a, token, refresh) {
  const docs = a.documents || [];
  const loans = (a.application?.loans || []).length || 1;
  // As the service takes them: until the list is drawn (functions/intake/src/documents.rs).
  const open = ["submitted", "eligible", "refused"].includes(a.status);
  const rows = KINDS.map(([kind, zh, en]) => {
    const mine = docs.filter((d) => d.kind === kind);
    const missing = Math.max(0, loans - mine.length);
    const input = h("input", { type: "file", id: `upload-${kind}`, name: kind, accept: ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png", multiple: true, disabled: !open });
    const said = h("div", { class: "upload-result", "aria-live": "polite" });
    input.addEventListener("change", async () => {
      const files = [...input.files];
      if (!files.length) return;
      const wrong = await problems(files, kind, docs);
      input.toggleAttribute("aria-invalid", wrong.length > 0);
      if (wrong.length) {
        put(said, h("ul", { class: "bad upload-problems", role: "alert" }, wrong.map((w) => h("li", {}, w))));
        return;
      }
      input.disabled = true;
      put(said, h("p", { role: "status" }, bi("正在上传…", "Uploading…")));
      for (const f of files) {
        try {
          const r = await fetch(`/api/applications/${encodeURIComponent(a.id)}/documents?kind=${kind}`, {
            method: "POST",
            headers: { authorization: `Bearer ${token}`, "content-type": (await sniff(f)) || "application/octet-stream" },
            body: f,
          });
          if (r.status !== 201) {
            let body = null;
            try {
              body = await r.json();
            } catch (_) {
              /* not JSON */
            }
            put(said, h("p", { class: "bad", role: "alert" }, bi(`“${f.name}”未能上传：`, `“${f.name}” was not uploaded: `), errorMessage(body)));
            input.disabled = false;
            return;
          }
        } catch (_) {
          put(said, h("p", { class: "bad", role: "alert" }, bi("网络不可用，请稍后重试。", "The network is unavailable; please try again.")));
          input.disabled = false;
          return;
        }
      }
      refresh(bi(`已上传${zh} ${files.length} 个文件。`, `${files.length} ${en.toLowerCase()} file(s) uploaded.`));
    });
    return h(
      "tr",
      { "data-kind": kind, "data-count": mine.length, "data-missing": missing },
      h("th", { scope: "row" }, bi(zh, en)),
      h("td", { class: "have" }, mine.length ? bi(`已交 ${mine.length} 个`, `${mine.length} in`) : "—", mine.length ? h("span", { class: "hint" }, ` (${mine.map((d) => mb(d.size_bytes)).join(", ")})`) : null),
      h("td", { class: missing ? "missing bad" : "missing ok" }, missing ? bi(`尚缺 ${missing} 个`, `${missing} missing`) : bi("齐全", "complete")),
      h("td", {}, h("label", { for: `upload-${kind}`, class: "upload-label" }, bi(`上传${zh}`, `Upload: ${en}`)), input, said),
    );
  });
  return h(
    "section",
    { class: "panel materials", id: "materials" },
    h("h4", {}, bi("申报材料清单", "Documents checklist")),
    h("p", { class: "hint" }, bi(`按申报的 ${loans} 笔贷款，每类材料每笔至少 1 个文件。PDF、JPEG 或 PNG，每个不超过 10 MB；每类最多 ${FILES_PER_KIND} 个、合计 40 MB，全部合计 60 MB。上传前在本浏览器中检查。`, `For the ${loans} loan(s) applied for, at least one file of each kind per loan. PDF, JPEG or PNG, 10 MB each at most; at most ${FILES_PER_KIND} files and 40 MB per kind, 60 MB in all. Checked in this browser before sending.`)),
    open ? null : h("p", { class: "hint closed-reason" }, bi("评审结束、列入名单或撤回后不再接收材料。", "Documents are no longer taken once the review is over, the list is drawn or the application is withdrawn.")),
    h("div", { class: "table-wrap", tabindex: "0", role: "region", ...named("申报材料清单", "Documents checklist") }, h("table", { class: "checklist" }, h("thead", {}, h("tr", {}, h("th", { scope: "col" }, bi("材料", "Document")), h("th", { scope: "col" }, bi("已交", "In")), h("th", { scope: "col" }, bi("尚缺", "Missing")), h("th", { scope: "col" }, bi("上传", "Upload")))), h("tbody", {}, rows))),
  );
}

/** The withdrawal: a button, a confirmation, or why it is not possible now. */
function withdrawal(a, token, round, refresh) {
  let reason = null;
  if (a.status === "withdrawn") return null;
  if (a.status !== "submitted") {
    reason = bi(`该申报当前状态为“${STATUS[a.status]?.[0] || a.status}”，已不能撤回。`, `The application is ${STATUS[a.status]?.[1] || a.status}; it can no longer be withdrawn.`);
  } else if (!round || round.window_status !== "open") {
    reason = round
      ? bi(`申报期已于 ${moment(round.window.closes_at)} 结束，不能撤回（PROC-LATE）。`, `The window closed on ${moment(round.window.closes_at)}; it can no longer be withdrawn (PROC-LATE).`)
      : bi("无法确认申报期，暂不能撤回。", "The window cannot be confirmed; it cannot be withdrawn now.");
  }
  const said = h("div", { class: "withdraw-result", "aria-live": "polite" });
  const confirm = h(
    "div",
    { class: "confirm keep", id: "withdraw-confirm", hidden: true, role: "group", ...named("确认撤回", "Confirm the withdrawal") },
    h("p", {}, h("strong", {}, bi(`确定撤回申报 ${a.id}？撤回后不能恢复；申报期内可重新提交申报。`, `Withdraw application ${a.id}? It cannot be undone; you may apply again inside the window.`))),
    h(
      "button",
      {
        type: "button",
        id: "withdraw-yes",
        class: "danger",
        onclick: async (e) => {
          e.currentTarget.disabled = true;
          try {
            const r = await api("POST", `/api/applications/${encodeURIComponent(a.id)}/withdraw`, undefined, { authorization: `Bearer ${token}` });
            if (r.status === 200) {
              refresh(bi("申报已撤回。", "The application is withdrawn."));
              return;
            }
            put(said, h("p", { class: "bad", role: "alert" }, errorMessage(r.body)));
          } catch (_) {
            put(said, h("p", { class: "bad", role: "alert" }, bi("网络不可用，请稍后重试。", "The network is unavailable; please try again.")));
          }
          confirm.hidden = true;
        },
      },
      bi("确认撤回", "Yes, withdraw it"),
    ),
    " ",
    h("button", { type: "button", id: "withdraw-no", class: "secondary", onclick: () => ((confirm.hidden = true), document.getElementById("withdraw").focus()) }, bi("取消", "Cancel")),
  );
  return h(
    "section",
    { class: "panel withdrawal" },
    h("h4", {}, bi("撤回申报", "Withdraw the application")),
    h(
      "button",
      {
        type: "button",
        id: "withdraw",
        class: "secondary",
        disabled: reason !== null,
        "aria-describedby": reason ? "withdraw-why" : null,
        onclick: () => {
          confirm.hidden = false;
          document.getElementById("withdraw-yes").focus();
        },
      },
      bi("撤回申报", "Withdraw"),
    ),
    reason ? h("p", { class: "hint", id: "withdraw-why" }, reason) : h("p", { class: "hint" }, bi(`申报期内（至 ${moment(round.window.closes_at)}）、评审前可以撤回。`, `Possible inside the window (to ${moment(round.window.closes_at)}) and before the review.`)),
    confirm,
    said,
  );
}

/**
 * The correction (inside the window, before the review): a button that brings the
 * application into the form above, where the enterprise changes it and sends it back under
 * the same number and token (apply.js listens for `correct-application`).
 */
function correction(a, token, round) {
  const open = a.status === "submitted" && round && round.window_status === "open";
  if (!open) return null;
  return h(
    "div",
    { class: "panel correction" },
    h("h4", {}, bi("更正申报", "Correct the application")),
    h(
      "button",
      {
        type: "button",
        id: "correct",
        class: "secondary",
        onclick: () =>
          document.dispatchEvent(
            new CustomEvent("correct-application", { detail: { id: a.id, token, application: a.application } }),
          ),
      },
      bi("在上方表单中更正", "Correct it in the form above"),
    ),
    h(
      "p",
      { class: "hint" },
      bi(
        `申报期内（至 ${moment(round.window.closes_at)}）、评审前可以更正；申报编号和回执令牌不变，提交后按更正后的内容重新预审。`,
        `Possible inside the window (to ${moment(round.window.closes_at)}) and before the review; the number and the receipt token stay the same, and the corrected application is pre-checked again.`,
      ),
    ),
  );
}

/**
 * Shows application `a` in `out`: facts, timeline, appeal path, materials, withdrawal and
 * the review's result. `token` is the receipt token; `reload(message)` looks it up again.
 */
export async function showStatus(out, a, token, reload) {
  let round = null;
  try {
    const r = await api("GET", `/api/rounds/${a.round_year}`);
    if (r.status === 200) round = r.body;
  } catch (_) {
    /* the withdrawal says it cannot tell */
  }
  const d = h("div", {});
  put(
    out,
    h(
      "div",
      { class: "panel", id: "status-view", "data-status": a.status },
      h("h3", {}, bi(`申报 ${a.id}`, `Application ${a.id}`)),
      h(
        "dl",
        { class: "facts" },
        fact("状态", "Status", h("strong", { id: "status-value" }, bi(...(STATUS[a.status] || [a.status, a.status])))),
        fact("年度", "Round", String(a.round_year)),
        fact("企业", "Enterprise", `${a.application?.enterprise?.name || ""} (${a.credit_code})`),
        fact("提交时间", "Submitted", moment(a.submitted_at)),
      ),
      h("h4", {}, bi("办理进度", "Progress")),
      h("ol", { class: "timeline", id: "timeline" }, timeline(a)),
      appealPath(a),
      materials(a, token, reload),
      correction(a, token, round),
      withdrawal(a, token, round, reload),
      h("h4", {}, bi(a.review ? "评审结果" : "受理时的预审结果", a.review ? "The review's result" : "Pre-check at submission")),
      d,
    ),
  );
  if (a.decision) renderDecision(d, a.decision, "");
}
