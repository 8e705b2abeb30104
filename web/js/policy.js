// The policy: every rule from the rules crate's catalogue, with an anchor per rule ID
// (policy.html#SUB-KEY), and the parameters in force.

import { bi, h, initPage, money, percent, put, rules } from "./common.js";

initPage();

const GROUPS = [
  ["scope", "适用范围", "Scope", (id) => id.startsWith("SCOPE-")],
  ["subsidy", "补助", "The subsidy", (id) => /^(SUB-|CAP-|BUDGET)/.test(id)],
  ["procedure", "程序", "Procedure", () => true],
];

async function main() {
  const out = document.getElementById("rules");
  let r;
  try {
    r = await rules();
  } catch (e) {
    put(out, h("p", { class: "bad" }, bi("无法加载规则。", "The rules could not be loaded."), ` (${e})`));
    return;
  }
  const cat = r.ruleCatalogue();
  const p = r.defaultParameters();
  const done = new Set();
  put(
    out,
    GROUPS.map(([key, zh, en, test]) => {
      const items = cat.filter((x) => !done.has(x.id) && test(x.id));
      items.forEach((x) => done.add(x.id));
      return h(
        "section",
        { "aria-labelledby": `group-${key}` },
        h("h2", { id: `group-${key}` }, bi(zh, en)),
        items.map((x) =>
          h(
            "article",
            { class: "rule-item", id: x.id, tabindex: "-1" },
            h("h3", {}, h("a", { href: `#${x.id}`, class: "rule" }, x.id), " ", bi(x.title_zh, x.title_en)),
            h("p", {}, bi(x.text_zh, x.text_en)),
            h("p", { class: "hint" }, bi(`出处：${x.source}`, `Source: ${x.source}`)),
          ),
        ),
      );
    }),
  );
  put(
    document.getElementById("parameters"),
    h("h2", {}, bi("现行参数", "Parameters in force")),
    h(
      "ul",
      {},
      h("li", {}, bi(`${p.measures.title_zh}，${p.measures.publication_date} 起施行，有效期${p.measures.validity_years}年（VALID）。`, `${p.measures.title_en}, in force from ${p.measures.publication_date} for ${p.measures.validity_years} years (VALID).`)),
      h("li", {}, bi(`一般比例：实际支付利息的 ${percent(p.rates.base)}（SUB-BASE）；重点比例 ${percent(p.rates.key)}（SUB-KEY）。`, `Base rate: ${percent(p.rates.base)} of the interest actually paid (SUB-BASE); key rate ${percent(p.rates.key)} (SUB-KEY).`)),
      h("li", {}, bi(`重点产业：${p.key_industries.map((i) => i.zh).join("、")}等（以当年申报指南为准）。`, `Key industries: ${p.key_industries.map((i) => i.en).join(", ")}, etc. (the year's guide may add more).`)),
      h("li", {}, bi(`每家企业每年最高 ${money(p.caps.per_enterprise_per_year)} 元（CAP-YEAR），累计不超过 ${p.caps.max_times} 次（CAP-TIMES）。`, `At most ${money(p.caps.per_enterprise_per_year)} CNY per enterprise a year (CAP-YEAR), at most ${p.caps.max_times} times in all (CAP-TIMES).`)),
      h("li", {}, bi(`公示期 ${p.notice_working_days} 个工作日（PROC-NOTICE）；弄虚作假者 ${p.fraud_ban_years} 年内不得申报（FRAUD）。`, `Notice period ${p.notice_working_days} working days (PROC-NOTICE); fraud bars applying for ${p.fraud_ban_years} years (FRAUD).`)),
    ),
  );
  // The anchors exist only now: go to the one the address names.
  if (location.hash) {
    const t = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (t) {
      t.scrollIntoView();
      t.focus({ preventScroll: true });
    }
  }
}

main();
