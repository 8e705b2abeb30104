// Renders a rules crate Decision: outcome, amount per loan, caps, total, every reason
// with its rule linking to the policy page — named as the catalogue names it, so no rule
// ID stands raw in a Chinese sentence.

import { bi, h, money, percent, put } from "./common.js";

const EFFECT = {
  pass: ["符合", "pass"],
  refuse: ["不符合", "refused"],
  limit: ["限额", "limit"],
  note: ["说明", "note"],
};

/** The rule catalogue (from the bundle): id → {zh, en} names. */
let names = new Map();

/** Gives the catalogue (`rule_catalogue()` of the bundle) its names. */
export function setCatalogue(list) {
  if (Array.isArray(list)) names = new Map(list.map((r) => [r.id, { zh: r.title_zh, en: r.title_en }]));
}

/** A rule's name in `l` ("zh" / "en"); its ID when the catalogue is not there. */
export function ruleName(id, l) {
  const n = names.get(id);
  return n ? n[l] : id;
}

/** A link to a rule on the policy page, named in the page's language; the ID in its title. */
export function ruleRef(id) {
  const n = names.get(id);
  return h(
    "a",
    { href: `policy.html#${id}`, class: n ? "rule named" : "rule", "data-rule": id, title: id },
    n ? bi(n.zh, n.en) : id,
  );
}

/** Every rule ID the catalogue knows, longest first (PROC-LATE before a shorter one). */
function idPattern() {
  const ids = [...names.keys()].sort((a, b) => b.length - a.length);
  return ids.length ? new RegExp(`(?<![A-Z-])(${ids.join("|")})(?![A-Z-])`, "g") : null;
}

/**
 * A text with each rule ID in it turned into a link to the rule (a service's message that
 * cites one, `…（SUB-LOAN）`), as nodes.
 */
export function withRuleLinks(text) {
  const re = idPattern();
  const s = String(text ?? "");
  if (!re) return [s];
  const out = [];
  let last = 0;
  for (const m of s.matchAll(re)) {
    out.push(s.slice(last, m.index), ruleRef(m[1]));
    last = m.index + m[1].length;
  }
  out.push(s.slice(last));
  return out.filter((x) => x !== "");
}

/** Both languages, each with its rule IDs as links. */
export function biLinked(zh, en) {
  const f = document.createDocumentFragment();
  f.append(
    h("span", { class: "l-zh", lang: "zh-CN" }, withRuleLinks(zh)),
    h("span", { class: "l-en", lang: "en" }, withRuleLinks(en ?? zh)),
  );
  return f;
}

const rules = (ids) => ids.map((r, i) => [i ? bi("、", ", ") : "", ruleRef(r)]);

/**
 * One loan's row. In a refusal no loan is shown as granted: a loan that fails nothing of
 * its own says the application fails (and which rules), with no rate or amount.
 */
function loanRow(l, d) {
  const refused = d.outcome !== "eligible";
  const own = l.refused_by.length > 0;
  const counted = !refused && l.eligible;
  let result;
  if (own) result = [bi("不符合", "Not eligible"), bi("（", " ("), rules(l.refused_by), bi("）", ")")];
  else if (refused) {
    result = [
      bi("本笔无不符合项，但申报整体不符合条件", "Nothing wrong with this loan itself, but the application is not eligible"),
      d.refused_by.length ? [bi("（", " ("), rules(d.refused_by), bi("）", ")")] : "",
      bi("，不予补助。", ": no subsidy."),
    ];
  } else result = l.eligible ? bi("符合", "Eligible") : bi("不符合", "Not eligible");
  return h(
    "tr",
    { class: counted ? "ok" : "bad", "data-contract": l.contract_number, "data-counted": counted ? "true" : "false" },
    h("th", { scope: "row" }, l.contract_number),
    h("td", { class: "result" }, result),
    h("td", { class: "rate" }, counted ? [percent(l.rate), l.rate_rule ? [" ", ruleRef(l.rate_rule)] : ""] : "—"),
    h("td", { class: "num" }, money(l.interest_counted)),
    h("td", { class: "num ceiling" }, counted ? money(l.ceiling_amount) : "—"),
  );
}

export function renderDecision(out, d, capitals) {
  const ok = d.outcome === "eligible";
  const loans = h(
    "div",
    { class: "table-wrap", tabindex: 0 },
    h(
      "table",
      { id: "loan-results" },
      h("caption", {}, bi("各笔贷款", "Per loan")),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "col" }, bi("合同编号", "Contract")),
          h("th", { scope: "col" }, bi("结果", "Result")),
          h("th", { scope: "col" }, bi("比例", "Rate")),
          h("th", { scope: "col", class: "num" }, bi("计入利息（元）", "Interest counted (CNY)")),
          h("th", { scope: "col", class: "num" }, bi("补助上限（元）", "Ceiling (CNY)")),
        ),
      ),
      h("tbody", {}, d.loans.map((l) => loanRow(l, d))),
    ),
  );
  const caps = d.caps.length
    ? h(
        "ul",
        { class: "caps" },
        d.caps.map((c) =>
          h("li", {}, ruleRef(c.rule), bi("：", ": "), bi(`由 ${money(c.before)} 元减至 ${money(c.after)} 元`, `from ${money(c.before)} to ${money(c.after)} CNY`)),
        ),
      )
    : null;
  const reasons = h(
    "ol",
    { id: "reasons", class: "reasons" },
    d.reasons.map((r) =>
      h(
        "li",
        { class: `effect-${r.effect}`, "data-rule": r.rule },
        h("span", { class: `badge ${r.effect}` }, bi(EFFECT[r.effect][0], EFFECT[r.effect][1])),
        " ",
        ruleRef(r.rule),
        r.loan ? h("span", { class: "loan-ref" }, ` [${r.loan}]`) : "",
        bi("：", ": "),
        biLinked(r.zh, r.en),
      ),
    ),
  );
  put(
    out,
    h(
      "div",
      { id: "outcome", class: `outcome ${ok ? "ok" : "bad"}`, "data-outcome": d.outcome },
      h(
        "p",
        { class: "big" },
        ok ? bi("符合条件", "Eligible") : bi("不符合条件", "Not eligible"),
        d.refused_by.length ? [bi("：", ": "), rules(d.refused_by)] : "",
      ),
      h(
        "p",
        {},
        bi(`${d.year}年度预计补助金额：`, `Expected subsidy for ${d.year}: `),
        h("strong", { id: "amount", "data-amount": d.amount }, `¥${money(d.amount)}`),
        capitals ? h("span", { class: "capitals", lang: "zh-CN" }, ` （${capitals}）`) : "",
      ),
      d.provisional
        ? h("p", { class: "hint" }, bi("预审结果，最终以评审及预算为准。", "A pre-check: the final amount follows the review and the budget."))
        : null,
    ),
    loans,
    caps ? [h("h3", {}, bi("适用的上限", "Caps applied")), caps] : null,
    // A refusal grants nothing: no sum of ceilings that would read as an amount.
    ok ? h("p", {}, bi(`上限合计：${money(d.ceiling_total)} 元`, `Ceilings in total: ${money(d.ceiling_total)} CNY`)) : null,
    h("h3", {}, bi("理由（逐条对应政策规则）", "Reasons (each tied to a rule of the policy)")),
    reasons,
  );
}
