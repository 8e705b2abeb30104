// The pre-check: the form runs through the rules compiled to wasm, in this browser, as it
// changes. Nothing typed is sent anywhere; the form is kept in sessionStorage for the
// application page.

import { bi, h, initPage, lang, moment, money, put, rules } from "./common.js";
import { ApplicationForm, EXAMPLE, STORAGE_KEY, relabelOptions } from "./form.js";
import { renderDecision, ruleName, setCatalogue } from "./result.js";
import { beijing, currentRound, nowBeijingLocal } from "./round.js";

initPage();

const out = document.getElementById("result");
const asOf = document.getElementById("as-of");
const form = new ApplicationForm(document.getElementById("form"), []);
// The pre-check runs as the form changes; Enter in a field submits nothing.
document.getElementById("precheck-form").addEventListener("submit", (ev) => ev.preventDefault());
let r = null;
let round = null;
let timer = 0;
const AS_OF_KEY = "mentougou-as-of";

function saved() {
  try {
    return JSON.parse(sessionStorage.getItem(STORAGE_KEY));
  } catch (_) {
    return null;
  }
}

function run() {
  if (!r) return;
  const app = form.read();
  try {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(app));
    sessionStorage.setItem(AS_OF_KEY, asOf.value);
  } catch (_) {
    /* not kept */
  }
  const req = {
    as_of: beijing(asOf.value || nowBeijingLocal()),
    round: round ? round.round : null,
    application: { ...app, declared_truthful: true },
  };
  const empty = form.missing();
  if (empty.length) {
    put(
      out,
      h(
        "div",
        { id: "outcome", class: "outcome incomplete", "data-outcome": "incomplete" },
        h("p", { class: "big" }, bi("填写后即时显示结果", "Fill in the form to see the result")),
        h("p", {}, bi("还需填写：", "Still to fill in:")),
        h(
          "ul",
          { class: "errors" },
          empty.map((m) =>
            h("li", {}, h("a", { href: `#${m.control.id}`, onclick: (ev) => { ev.preventDefault(); m.control.focus(); } }, bi(m.zh, m.en))),
          ),
        ),
      ),
    );
    return;
  }
  const d = r.precheck(JSON.stringify(req));
  if (d.errors) {
    const first = form.mark(d.errors);
    put(
      out,
      h(
        "div",
        { id: "outcome", class: "outcome incomplete", "data-outcome": "incomplete" },
        h("p", { class: "big" }, bi("请完善表单", "Please complete the form")),
        h(
          "ul",
          { class: "errors" },
          d.errors.map((e) =>
            h(
              "li",
              {},
              first
                ? h("a", { href: "#", onclick: (ev) => { ev.preventDefault(); form.controlFor(e.field)?.focus(); } }, bi(e.zh, e.en))
                : bi(e.zh, e.en),
            ),
          ),
        ),
      ),
    );
    return;
  }
  form.mark([]);
  let capitals = "";
  const c = r.amountInCapitals(d.amount);
  if (typeof c === "string") capitals = c;
  renderDecision(out, d, capitals);
  // A short summary for screen readers, only when it changes.
  const live = document.getElementById("live");
  const say = d.outcome === "eligible"
    ? (lang() === "en" ? `Eligible: ${money(d.amount)} CNY` : `符合条件：${money(d.amount)} 元`)
    : (lang() === "en"
      ? `Not eligible: ${d.refused_by.map((id) => ruleName(id, "en")).join("; ")}`
      : `不符合条件：${d.refused_by.map((id) => ruleName(id, "zh")).join("、")}`);
  if (live.textContent !== say) live.textContent = say;
  const mini = document.getElementById("mini");
  mini.textContent = say;
  mini.className = `mini ${d.outcome === "eligible" ? "ok" : "bad"}`;
}

function schedule() {
  clearTimeout(timer);
  timer = setTimeout(run, 120);
}

document.getElementById("form").addEventListener("input", schedule);
document.getElementById("form").addEventListener("change", schedule);
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
