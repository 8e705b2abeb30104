// Apply: the pre-check's form, prefilled from sessionStorage, submitted to intake during the
// window (closed, with its dates, outside it); then the application number and receipt
// token. With both (typed, or in the URL's fragment: apply.html#id=…&token=…), the
// application followed to the end: js/status.js.

import { api, bi, copyButton, errorMessage, filled, getWithToken, h, initPage, lang, moment, money, printButton, put, rules } from "./common.js";
import { ApplicationForm, STORAGE_KEY, inPageOrder, relabelOptions, renderSummary, serverErrors, showFieldError } from "./form.js";
import { biLinked, renderDecision, setCatalogue } from "./result.js";
import { currentRound, rememberedRound } from "./round.js";
import { showStatus } from "./status.js";

initPage();

const formEl = document.getElementById("apply-form");
const form = new ApplicationForm(document.getElementById("form"), []);
const out = document.getElementById("submitted");
const roundEl = document.getElementById("round");
let idempotencyKey = null;
let received = false; // the receipt is shown: the form is locked
let correcting = null; // {id, token}: the form holds that application, to be sent corrected


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

const summary = document.getElementById("form-errors");
const truthful = document.getElementById("truthful");
let tried = false; // a submission was tried: every problem shows, and the summary
let checkTimer = 0;
// What the service refused at each field, shown until that field is changed.
let fromServer = [];

/** The declaration's own check (it sits outside the application's fields). */
const TRUTH_MISSING = {
  zh: "请勾选此项：本企业对所填内容和提交材料的真实性、有效性负责。",
  en: "Tick it: the enterprise answers for the truth and validity of what it declares and submits.",
};

/**
 * Every problem of the form — the browser's checks, the declaration, and what the service
 * still refused — at its field and (once a submission was tried) in the summary at the
 * top; answers them.
 */
function checkForm() {
  const { problems } = form.check();
  if (!truthful.checked) {
    problems.push({ control: truthful, field: "declared_truthful", ...TRUTH_MISSING });
  }
  const all = [...problems];
  for (const e of fromServer) {
    if (e.control && all.some((p) => p.control === e.control)) continue;
    all.push(e);
  }
  inPageOrder(all);
  form.show(all, tried);
  const t = all.find((p) => p.control === truthful);
  if (t && (tried || form.left.has(truthful))) showFieldError(truthful, t);
  else showFieldError(truthful, null);
  renderSummary(summary, tried ? all : []);
  return all;
}

function recheck() {
  clearTimeout(checkTimer);
  checkTimer = setTimeout(() => {
    if (!received) checkForm();
  }, 120);
}
formEl.addEventListener("input", (e) => {
  fromServer = fromServer.filter((p) => p.control && p.control !== e.target);
  recheck();
});
formEl.addEventListener("change", recheck);
formEl.addEventListener("focusout", (e) => {
  form.leave(e.target);
  recheck();
});

/**
 * The service's refusal as field problems: each error at its control (the paths are the
 * server's, as the form's), the rest in the summary; in one language each, no field path
 * or code in the text, a rule cited by its name.
 */
function refusedBy(body) {
  return serverErrors(body).map((e) => {
    const control = e.field === "declared_truthful" ? truthful : form.controlFor(e.field);
    return { control, field: e.field, zh: e.zh, en: e.en };
  });
}

// From the status view (js/status.js): the application comes into the form, unlocked, and
// the form sends it back as a correction under its number and token.
document.addEventListener("correct-application", (ev) => {
  const { id, token, application } = ev.detail;
  correcting = { id, token };
  received = false;
  for (const c of formEl.querySelectorAll("input, select, textarea, button")) c.disabled = false;
  formEl.removeAttribute("aria-disabled");
  form.fill(application);
  const note = document.getElementById("correcting");
  put(note, bi(`正在更正申报 ${id}：修改后点击“提交更正”。`, `Correcting application ${id}: change it, then choose “Submit the correction”.`));
  note.hidden = false;
  put(document.getElementById("submit"), bi("提交更正", "Submit the correction"));
  put(out);
  formEl.scrollIntoView({ block: "start" });
  note.setAttribute("tabindex", "-1");
  note.focus();
});

/** Sends the form as the correction of `correcting`; answers the response. */
function sendCorrection(app) {
  const { id, token } = correcting;
  return api("POST", `/api/applications/${encodeURIComponent(id)}/correction`, app, { authorization: `Bearer ${token}` });
}

formEl.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  if (received) return;
  tried = true;
  fromServer = [];
  const problems = checkForm();
  if (problems.length) {
    put(out);
    summary.focus();
    return;
  }
  const button = document.getElementById("submit");
  button.disabled = true;
  put(out, h("p", { role: "status" }, bi("正在提交…", "Submitting…")));
  idempotencyKey = idempotencyKey || randomKey();
  try {
    const app = { ...form.read(), declared_truthful: true };
    const r = correcting
      ? await sendCorrection(app)
      : await api("POST", "/api/applications", app, { "idempotency-key": idempotencyKey });
    if (correcting && r.status === 200) {
      received = true;
      renderSummary(summary, []);
      lockForm();
      put(
        out,
        h(
          "div",
          { class: "outcome ok", role: "status", id: "corrected" },
          h("p", {}, bi(`申报 ${r.body.id} 已更正（${moment(r.body.corrected_at)}）；编号和回执令牌不变。`, `Application ${r.body.id} is corrected (${moment(r.body.corrected_at)}); its number and receipt token are unchanged.`)),
          h("p", {}, bi(`按更正后的内容预审：${money(r.body.decision.amount)} 元。`, `Pre-checked as corrected: ${money(r.body.decision.amount)} CNY.`)),
        ),
      );
      document.getElementById("correcting").hidden = true;
      statusId.value = r.body.id;
      statusToken.value = correcting.token;
      lookUp();
    } else if (r.status === 201 || r.status === 200) {
      received = true;
      renderSummary(summary, []);
      showReceipt(r.body);
      lockForm();
    } else if (r.status === 400 && r.body && r.body.error) {
      // Refused as sent: every error at its field, and in the summary.
      fromServer = refusedBy(r.body);
      checkForm();
      put(out);
      summary.focus();
    } else {
      const e = r.body && r.body.error;
      put(
        out,
        h(
          "div",
          { class: "outcome bad", role: "alert", id: "refused" },
          h("p", {}, bi("未能提交：", "Not submitted: "), e ? biLinked(e.message_zh, e.message_en) : errorMessage(r.body)),
        ),
      );
    }
  } catch (e) {
    put(out, h("p", { class: "bad", role: "alert" }, bi("网络不可用，请稍后重试。", "The network is unavailable; please try again.")));
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
    h("p", {}, biLinked(`提交时间：${moment(b.submitted_at)}；费用：${b.fee_cny} 元（PROC-FREE）。`, `Submitted ${moment(b.submitted_at)}; fee ${b.fee_cny} CNY (PROC-FREE).`)),
    b.notice_zh ? h("p", {}, biLinked(b.notice_zh, b.notice_en)) : null,
  );
  const decision = h("div", {});
  put(out, box, h("h3", {}, bi("受理时的预审结果", "Pre-check at submission")), decision);
  if (b.decision) renderDecision(decision, b.decision, "");
  statusId.value = b.id;
  statusToken.value = b.receipt_token;
  box.focus();
  // The checklist and uploads right away, below the receipt.
  lookUp();
}

const statusId = document.getElementById("status-id");
const statusToken = document.getElementById("status-token");
const statusOut = document.getElementById("status-result");

/** Looks the application up by number and token; `said` is announced above the view. */
async function lookUp(said) {
  const id = statusId.value.trim();
  const token = statusToken.value.trim();
  if (!filled(statusOut, [statusId, statusToken], "请填写申报编号和回执令牌。", "Enter the application number and the receipt token.")) return;
  const a = await getWithToken(statusOut, `/api/applications/${encodeURIComponent(id)}`, token);
  if (!a) return;
  await showStatus(statusOut, a, token, (message) => lookUp(message));
  if (said) statusOut.prepend(h("p", { class: "ok", role: "status", id: "status-said" }, said));
}

document.getElementById("status-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  lookUp();
});

/** The form is open only while the round takes applications (the service's clock). */
function showWindow(rnd) {
  const closed = document.getElementById("closed");
  const state = rnd ? rnd.window_status || "open" : "none";
  formEl.hidden = state !== "open" && !received;
  if (state === "open" || received) {
    closed.hidden = true;
    return;
  }
  const w = rnd && rnd.round.window;
  put(
    closed,
    h("h2", {}, state === "not_yet" ? bi("申报尚未开始", "Applications have not opened yet") : bi("申报已截止", "Applications are closed")),
    h(
      "p",
      { id: "closed-why" },
      state === "none"
        ? bi("目前没有开放的申报批次。新一年度的申报指南发布后，在此提交申报。", "No round is open at the moment. Once a new year's guide is published, apply here.")
        : state === "not_yet"
          ? bi(`${rnd.round.year}年度申报期为 ${moment(w.opens_at)} 至 ${moment(w.closes_at)}（北京时间），届时在此提交申报。`, `The ${rnd.round.year} round takes applications from ${moment(w.opens_at)} to ${moment(w.closes_at)} (Beijing time); apply here then.`)
          : biLinked(`${rnd.round.year}年度申报期为 ${moment(w.opens_at)} 至 ${moment(w.closes_at)}（北京时间），已经结束，逾期不予受理（PROC-LATE）。`, `The ${rnd.round.year} round took applications from ${moment(w.opens_at)} to ${moment(w.closes_at)} (Beijing time); it has closed and late applications are not accepted (PROC-LATE).`),
    ),
    h("p", {}, bi("已提交申报的，可在下方凭申报编号和回执令牌查询进度；办理流程见", "If you applied, follow your application below with its number and receipt token; the procedure is in "), h("a", { href: "guide.html" }, bi("办事指南", "How to apply")), bi("。", ".")),
  );
  closed.hidden = false;
}

// What the page last knew of the round decides before the first paint (nothing known: the
// form stays until the service says); the service then.
const remembered = rememberedRound();
if (remembered) showWindow(remembered);

// Arriving with the number and token in the fragment (never the query): the status opens.
function fromFragment() {
  const given = new URLSearchParams(location.hash.slice(1));
  if (given.get("id") && given.get("token")) {
    statusId.value = given.get("id");
    statusToken.value = given.get("token");
    lookUp();
  }
}
fromFragment();
window.addEventListener("hashchange", fromFragment);

async function main() {
  const [r, rnd] = await Promise.all([rules().catch(() => null), currentRound()]);
  if (r) setCatalogue(r.ruleCatalogue());
  showWindow(rnd);
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
