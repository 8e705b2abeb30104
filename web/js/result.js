// Renders a rules crate Decision: outcome, amount per loan, caps, total, every reason
// with its rule ID linking to the policy page.

import { bi, h, money, percent, put, ruleLink } from "./common.js";

const EFFECT = {
  pass: ["符合", "pass"],
  refuse: ["不符合", "refused"],
  limit: ["限额", "limit"],
  note: ["说明", "note"],
};

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
      h(
        "tbody",
        {},
        d.loans.map((l) =>
          h(
            "tr",
            { class: l.eligible ? "ok" : "bad", "data-contract": l.contract_number },
            h("th", { scope: "row" }, l.contract_number),
            h(
              "td",
              {},
              l.eligible ? bi("符合", "Eligible") : bi("不符合", "Not eligible"),
              l.refused_by.length ? [" (", l.refused_by.map((r, i) => [i ? ", " : "", ruleLink(r)]), ")"] : "",
            ),
            h("td", { class: "rate" }, percent(l.rate), l.rate_rule ? [" ", ruleLink(l.rate_rule)] : ""),
            h("td", { class: "num" }, money(l.interest_counted)),
            h("td", { class: "num ceiling" }, money(l.ceiling_amount)),
          ),
        ),
      ),
    ),
  );
  const caps = d.caps.length
    ? h(
        "ul",
        { class: "caps" },
        d.caps.map((c) =>
          h("li", {}, ruleLink(c.rule), " ", bi(`由 ${money(c.before)} 元减至 ${money(c.after)} 元`, `from ${money(c.before)} to ${money(c.after)} CNY`)),
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
        ruleLink(r.rule),
        r.loan ? h("span", { class: "loan-ref" }, ` [${r.loan}]`) : "",
        " ",
        bi(r.zh, r.en),
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
        d.refused_by.length ? [" — ", d.refused_by.map((r, i) => [i ? ", " : "", ruleLink(r)])] : "",
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
    h("p", {}, bi(`上限合计：${money(d.ceiling_total)} 元`, `Ceilings in total: ${money(d.ceiling_total)} CNY`)),
    h("h3", {}, bi("理由（逐条对应政策规则）", "Reasons (each tied to a rule of the policy)")),
    reasons,
  );
}
