// Apply: the pre-check's form, prefilled from sessionStorage, submitted to intake during the
// window; then the application number and receipt token. A status lookup by both.

import { api, bi, copyButton, errorMessage, getWithToken, h, initPage, lang, moment, money, printButton, put, rules } from "./common.js";
import { ApplicationForm, STORAGE_KEY, relabelOptions } from "./form.js";
import { renderDecision } from "./result.js";
import { currentRound } from "./round.js";

initPage();

const formEl = document.getElementById("apply-form");
const form = new ApplicationForm(document.getElementById("form"), []);
const out = document.getElementById("submitted");
const roundEl = document.getElementById("round");
let idempotencyKey = null;
let received = false; // the receipt is shown: the form is locked

const STATUS = {
  submitted: ["已受理，待评审", "received, awaiting review"],
  eligible: ["评审通过，待分配", "reviewed: eligible, awaiting allocation"],
  refused: ["不予补助", "refused"],
  withdrawn: ["已撤回", "withdrawn"],
  proposed: ["列入拟补助名单（公示）", "on the proposed list (notice)"],
  removed: ["经重审移出名单", "removed after re-review"],
  approved: ["区政府会议已审定", "approved by the district government"],
  paid: ["已拨付", "paid"],
};

document.addEventListener("langchange", (e) => relabelOptions(document, e.detail));
document.getElementById("form").addEventListener("input", () => {
  idempotencyKey = null; // a changed form is a new submission
  try {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(form.read()));
  } catch (_) {
    /* not kept */
  }
});

function randomKey() {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
}

formEl.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const truthful = document.getElementById("truthful");
  if (!truthful.checked) {
    truthful.setAttribute("aria-invalid", "true");
    put(out, h("p", { class: "bad", role: "alert" }, bi("请先勾选真实性承诺（TRUTH）。", "Please tick the declaration first (TRUTH).")));
    truthful.focus();
    return;
  }
  truthful.removeAttribute("aria-invalid");
  const button = document.getElementById("submit");
  button.disabled = true;
  put(out, h("p", { role: "status" }, bi("正在提交…", "Submitting…")));
  idempotencyKey = idempotencyKey || randomKey();
  try {
    const app = { ...form.read(), declared_truthful: true };
    const r = await api("POST", "/api/applications", app, { "idempotency-key": idempotencyKey });
    if (r.status === 201 || r.status === 200) {
      received = true;
      showReceipt(r.body);
      lockForm();
    } else {
      const c = r.body && r.body.error && r.body.error.field ? form.controlFor(r.body.error.field) : null;
      if (c) form.mark([{ field: r.body.error.field }]);
      put(out, h("div", { class: "outcome bad", role: "alert" }, h("p", {}, bi("未能提交：", "Not submitted: "), errorMessage(r.body))));
      if (c) c.focus();
    }
  } catch (e) {
    put(out, h("p", { class: "bad", role: "alert" }, bi("网络不可用，请稍后重试。", "The network is unavailable; please try again."), ` (${e})`));
  } finally {
    if (!received) button.disabled = false;
  }
});

// Once received, the form is locked: a second click cannot send it again (and would not
// replace the token: the key is the same), and what was sent stays on screen.
function lockForm() {
  for (const c of formEl.querySelectorAll("input, select, textarea, button")) c.disabled = true;
  formEl.setAttribute("aria-disabled", "true");
}

function showReceipt(b) {
  const box = h(
    "div",
    { class: "keep", id: "receipt", tabindex: "-1" },
    h("h2", {}, bi("申报已受理", "Application received")),
    h("p", {}, bi("申报编号：", "Application number: "), h("code", { id: "receipt-id", class: "token" }, b.id)),
    h("p", {}, bi("回执令牌：", "Receipt token: "), h("code", { id: "receipt-token", class: "token" }, b.receipt_token)),
    h(
      "p",
      {},
      h(
        "strong",
        {},
        bi(
          "请立即保存申报编号和回执令牌（截图、打印或复制）。令牌只显示这一次，丢失后无法找回；凭二者查询进度、补交材料或撤回申报。",
          "Keep the application number and the receipt token now (screenshot, print or copy them). The token is shown only this once and cannot be recovered; with both you follow, complete or withdraw your application.",
        ),
      ),
    ),
    copyButton(`${b.id} ${b.receipt_token}`, "复制编号和回执令牌", "Copy the number and receipt token"),
    " ",
    printButton(() => out),
    h("p", {}, bi(`提交时间：${moment(b.submitted_at)}；费用：${b.fee_cny} 元（PROC-FREE）。`, `Submitted ${moment(b.submitted_at)}; fee ${b.fee_cny} CNY (PROC-FREE).`)),
    b.notice_zh ? h("p", {}, bi(b.notice_zh, b.notice_en)) : null,
  );
  const decision = h("div", {});
  put(out, box, h("h3", {}, bi("受理时的预审结果", "Pre-check at submission")), decision);
  if (b.decision) renderDecision(decision, b.decision, "");
  document.getElementById("status-id").value = b.id;
  document.getElementById("status-token").value = b.receipt_token;
  box.focus();
}

document.getElementById("status-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const id = document.getElementById("status-id").value.trim();
  const token = document.getElementById("status-token").value.trim();
  const so = document.getElementById("status-result");
  if (!id || !token) {
    put(so, h("p", { class: "bad", role: "alert" }, bi("请填写申报编号和回执令牌。", "Enter the application number and the receipt token.")));
    return;
  }
  const a = await getWithToken(so, `/api/applications/${encodeURIComponent(id)}`, token);
  if (a) {
    const d = h("div", {});
    put(
      so,
      h(
        "div",
        { class: "panel", id: "status-view", "data-status": a.status },
        h("h3", {}, bi(`申报 ${a.id}`, `Application ${a.id}`)),
        h(
          "dl",
          {},
          h("dt", {}, bi("状态", "Status")),
          h("dd", { id: "status-value" }, bi(...(STATUS[a.status] || [a.status, a.status]))),
          h("dt", {}, bi("年度", "Round")),
          h("dd", {}, String(a.round_year)),
          h("dt", {}, bi("企业", "Enterprise")),
          h("dd", {}, `${a.application?.enterprise?.name || ""} (${a.credit_code})`),
          h("dt", {}, bi("提交时间", "Submitted")),
          h("dd", {}, moment(a.submitted_at)),
          h("dt", {}, bi("已交材料", "Documents")),
          h("dd", {}, String((a.documents || []).length)),
        ),
        d,
      ),
    );
    if (a.decision) renderDecision(d, a.decision, "");
  }
});

async function main() {
  const [r, rnd] = await Promise.all([rules().catch(() => null), currentRound()]);
  if (rnd) {
    const w = rnd.round.window;
    put(
      roundEl,
      bi(
        `${rnd.round.year}年度申报期：${moment(w.opens_at)} 至 ${moment(w.closes_at)}（北京时间），逾期不予受理；当前阶段：${rnd.stage_zh || rnd.stage}。预算 ${money(rnd.round.budget)} 元。`,
        `${rnd.round.year} round: applications from ${moment(w.opens_at)} to ${moment(w.closes_at)} (Beijing time); late ones are not accepted. Stage: ${rnd.stage_en || rnd.stage}. Budget ${money(rnd.round.budget)} CNY.`,
      ),
    );
  } else {
    put(roundEl, bi("目前没有开放的申报批次。", "No round is open at the moment."));
  }
  if (r) {
    const params = r.defaultParameters();
    form.setIndustries([...params.key_industries, ...(rnd ? rnd.round.extra_key_industries : [])]);
    form.setRules(r);
  }
  let saved = null;
  try {
    saved = JSON.parse(sessionStorage.getItem(STORAGE_KEY));
  } catch (_) {
    /* none */
  }
  if (saved) {
    form.fill(saved);
    document.getElementById("prefilled").hidden = false;
  }
  relabelOptions(document, lang());
}

main();
