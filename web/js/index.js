// The pre-check: the form runs through the rules compiled to wasm, in this browser, as it
// changes. Nothing typed is sent anywhere; the form is kept in sessionStorage for the
// application page.

import { bi, h, initPage, lang, moment, money, put, rules } from "./common.js";
import { ApplicationForm, EXAMPLE, STORAGE_KEY, labelOf, relabelOptions, renderSummary, wrongByItself } from "./form.js";
import { renderDecision, ruleName, setCatalogue } from "./result.js";
import { beijing, currentRound, nowBeijingLocal } from "./round.js";

initPage();

const out = document.getElementById("result");
const asOf = document.getElementById("as-of");
const form = new ApplicationForm(document.getElementById("form"), []);
const summary = document.getElementById("form-errors");
// Problems show at each field once it is left; a submission (Enter) shows them all, with
// the summary at the top of the form.
let submitted = false;
document.getElementById("precheck-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  submitted = true;
  run();
  if (!summary.hidden) summary.focus();
});
let r = null;
let shownSig = "";
let round = null;
let frame = 0;
// While an answer to typing is drawn, the live region waits for the typing to pause.
let typing = false;
let liveTimer = 0;
const TYPING_PAUSE_MS = 120;
const AS_OF_KEY = "mentougou-as-of";

function saved() {
  try {
    return JSON.parse(sessionStorage.getItem(STORAGE_KEY));
  } catch (_) {
    return null;
  }
}

/**
 * What the phone's summary bar and the live region say: the verdict, or that there is
 * none yet — said the moment the form changes, never a verdict left over.
 */
function say(zh, en, cls) {
  const text = lang() === "en" ? en : zh;
  const live = document.getElementById("live");
  // Announced only when it changes, and while typing only once the typing pauses: a
  // screen reader is not made to read a verdict for every keystroke. A verdict that no
  // longer holds is taken away at once, pause or not: never a verdict left over.
  const announce = () => {
    if (live.textContent !== text) live.textContent = text;
    live.dataset.outcome = cls;
  };
  const takesVerdictAway = cls === "incomplete" && ["ok", "bad"].includes(live.dataset.outcome);
  if (typing && !takesVerdictAway) liveTimer = setTimeout(announce, TYPING_PAUSE_MS);
  else announce();
  const mini = document.getElementById("mini");
  mini.textContent = text;
  mini.className = `mini ${cls}`;
  mini.dataset.outcome = cls;
}

/**
 * The answer to what was typed, timed (issue 17): each keystroke marks "precheck-typed";
 * each answer measures "precheck-work" (the checks and the drawing, from run's start) and,
 * after typing, "precheck-answer" (the last keystroke → the answer drawn).
 */
function run() {
  if (!r) return;
  performance.mark("precheck-run");
  answer();
  performance.measure("precheck-work", "precheck-run");
  if (performance.getEntriesByName("precheck-typed", "mark").length) {
    performance.measure("precheck-answer", "precheck-typed");
    performance.clearMarks("precheck-typed");
  }
  performance.clearMarks("precheck-run");
}

function answer() {
  cancelAnimationFrame(frame);
  frame = 0;
  // An announcement an earlier answer left waiting is this answer's to make or drop
  // (`say` sets the next one).
  clearTimeout(liveTimer);
  const app = form.read();
  try {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(app));
    sessionStorage.setItem(AS_OF_KEY, asOf.value);
  } catch (_) {
    /* not kept */
  }
  const { problems, decision: d } = form.check({
    as_of: beijing(asOf.value || nowBeijingLocal()),
    round: round ? round.round : null,
  });
  form.show(problems, submitted);
  renderSummary(summary, submitted ? problems : []);
  // The panel is drawn again only when what it says changed (a link in it being clicked
  // as a field is left stays the one clicked).
  const sig = JSON.stringify(d || problems.map((p) => [p.control?.id, p.control?.value.trim() === "", p.zh, p.en, p.control ? labelOf(p.control).zh : ""]));
  const same = sig === shownSig;
  shownSig = sig;
  if (problems.length) {
    const empty = problems.filter((p) => p.control && !p.control.value.trim());
    const wrong = problems.filter((p) => !empty.includes(p));
    const list = (items) =>
      h(
        "ul",
        { class: "errors" },
        items.map((p) => {
          const l = p.control ? labelOf(p.control) : null;
          const text = l
            ? (empty.includes(p) ? bi(l.zh, l.en) : bi(`${l.zh}：${p.zh}`, `${l.en}: ${p.en}`))
            : bi(p.zh, p.en);
          return h(
            "li",
            { "data-field": p.field || "" },
            p.control
              ? h("a", { href: `#${p.control.id}`, onclick: (ev) => { ev.preventDefault(); p.control.focus(); } }, text)
              : text,
          );
        }),
      );
    if (!same) put(
      out,
      h(
        "div",
        { id: "outcome", class: "outcome incomplete", "data-outcome": "incomplete" },
        h("p", { class: "big" }, empty.length && !wrong.length
          ? bi("填写后即时显示结果", "Fill in the form to see the result")
          : bi("请完善表单", "Please complete the form")),
        empty.length ? [h("p", {}, bi("还需填写：", "Still to fill in:")), list(empty)] : null,
        wrong.length ? [h("p", {}, bi("需要修改：", "To correct:")), list(wrong)] : null,
      ),
    );
    const n = problems.length;
    // An untouched form at load claims nothing and says nothing yet (the phone's bar
    // stays away); once anything was typed or a verdict was shown, it says there is none.
    if (!interacted && !document.getElementById("mini").textContent) return;
    say(`尚无结果：${n} 处需要填写或修改`, `No result yet: ${n} ${n === 1 ? "field needs" : "fields need"} filling in or correcting`, "incomplete");
    return;
  }
  if (!same) {
    const c = r.amountInCapitals(d.amount);
    renderDecision(out, d, typeof c === "string" ? c : "");
  }
  // A short summary for screen readers and the phone's bar, in the page's language.
  const names = (l) => d.refused_by.map((id) => ruleName(id, l));
  if (d.outcome === "eligible") say(`符合条件：${money(d.amount)} 元`, `Eligible: ${money(d.amount)} CNY`, "ok");
  else say(`不符合条件：${names("zh").join("、")}`, `Not eligible: ${names("en").join("; ")}`, "bad");
}

/**
 * The answer follows typing at the next frame (issue 17): the checks and the drawing take
 * about 4 ms, so the page no longer waits 120 ms for typing to pause before it answers;
 * several changes within a frame (a paste, autofill) are answered once. Only the spoken
 * summary waits for the pause (`say`).
 */
function schedule() {
  cancelAnimationFrame(frame);
  frame = requestAnimationFrame(() => {
    frame = 0;
    typing = true;
    try {
      run();
    } finally {
      typing = false;
    }
  });
}

let interacted = false;
document.getElementById("form").addEventListener("input", (e) => {
  if (e.isTrusted) {
    interacted = true;
    performance.mark("precheck-typed");
  }
  // A field that has just become wrong (an as-typed check, a required field emptied)
  // takes the verdict away at once, spoken too; other changes are answered at the next
  // frame.
  if (wrongByItself(e.target)) run();
  else schedule();
});
document.getElementById("form").addEventListener("change", schedule);
// A hidden page draws no frames: an answer still waiting for one is made now, so the form
// is kept (sessionStorage) before the page goes away or out of sight.
const answerWaiting = () => {
  if (frame) run();
};
document.addEventListener("visibilitychange", () => document.hidden && answerWaiting());
window.addEventListener("pagehide", answerWaiting);
// A field left shows its problem now (the form notes it as left first).
document.getElementById("form").addEventListener("focusout", () => setTimeout(run, 0));
asOf.addEventListener("input", schedule);
document.getElementById("example").addEventListener("click", () => form.fill(EXAMPLE));
document.getElementById("clear").addEventListener("click", () => {
  form.fill({ enterprise: { registered_in_district: true, pays_tax_in_district: true }, loans: [] });
});
document.addEventListener("langchange", (e) => {
  relabelOptions(document, e.detail);
  run(); // the live region and the phone's summary bar speak the new language
});

function showRound() {
  const el = document.getElementById("round");
  if (!round) {
    put(el, bi("目前没有公布的申报批次：按办法的一般规则预审。", "No round is published at the moment: the pre-check applies the general rules."));
    return;
  }
  const rd = round.round;
  const extra = rd.extra_key_industries.length
    ? bi(`；本年度新增重点产业：${rd.extra_key_industries.map((i) => i.zh).join("、")}`, `; key industries added this year: ${rd.extra_key_industries.map((i) => i.en).join(", ")}`)
    : "";
  put(
    el,
    bi(
      `${rd.year}年度申报期：${moment(rd.window.opens_at)} 至 ${moment(rd.window.closes_at)}（北京时间）；覆盖 ${rd.covered_period.from} 至 ${rd.covered_period.to} 还清的贷款；预算 ${money(rd.budget)} 元`,
      `${rd.year} round: applications ${moment(rd.window.opens_at)} to ${moment(rd.window.closes_at)} (Beijing time); loans repaid in full ${rd.covered_period.from} to ${rd.covered_period.to}; budget ${money(rd.budget)} CNY`,
    ),
    extra,
    bi("。", "."),
  );
}

async function main() {
  const keep = saved();
  asOf.value = nowBeijingLocal();
  const [loaded, rnd] = await Promise.all([
    rules().catch((e) => {
      put(out, h("p", { class: "bad" }, bi("无法加载预审程序：", "Could not load the pre-check: "), String(e)));
      return null;
    }),
    currentRound(),
  ]);
  round = rnd;
  showRound();
  if (round && asOf.value < round.round.window.opens_at.slice(0, 16)) {
    // Before the window: assess as on its first day.
    asOf.value = round.round.window.opens_at.slice(0, 16);
  }
  try {
    const kept = sessionStorage.getItem(AS_OF_KEY);
    if (kept) asOf.value = kept;
  } catch (_) {
    /* none */
  }
  if (!loaded) return;
  r = loaded;
  setCatalogue(r.ruleCatalogue());
  const params = r.defaultParameters();
  form.setIndustries([...params.key_industries, ...(round ? round.round.extra_key_industries : [])]);
  form.setRules(r);
  if (keep) form.fill(keep);
  relabelOptions(document, lang());
  document.getElementById("status").textContent = "";
  run();
}

main();

// Offline after the first visit: a service worker keeps the pages and the bundle.
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("sw.js").catch(() => {
    /* the pre-check still works while the page stays open */
  });
}
