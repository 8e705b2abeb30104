// The application form (pre-check and apply): the enterprise, one or more loans, each with
// one or more pledged rights. The DOM is the state: read() builds the rules crate's
// Application JSON from it, fill() rebuilds it from one. Credit codes and patent numbers
// are checked as typed with the rules compiled to wasm.

import { bi, h, put } from "./common.js";

let seq = 0;
const uid = (p) => `${p}-${++seq}`;

const LENDERS = [
  ["bank", "银行", "Bank"],
  ["microcredit_company", "小额贷款公司", "Microcredit company"],
  ["financial_leasing", "融资租赁公司", "Financial leasing company"],
  ["other_non_bank", "其他非银行机构（担保公司、典当行等）", "Other non-bank lender (guarantor, pawnshop…)"],
];
const RIGHTS = [
  ["patent", "专利权", "Patent"],
  ["trademark", "商标权", "Trademark"],
  ["copyright", "著作权", "Copyright"],
  ["other", "其他权利", "Other right"],
];
const PATENT_TYPES = [
  ["invention", "发明专利", "Invention patent"],
  ["utility_model", "实用新型专利", "Utility model patent"],
  ["design", "外观设计专利", "Design patent"],
  ["pct_invention", "PCT发明专利（进入中国）", "PCT invention (entering China)"],
  ["pct_utility_model", "PCT实用新型（进入中国）", "PCT utility model (entering China)"],
];
const FINDINGS = [
  ["major_work_safety_accident", "安全生产领域较大及以上责任事故", "Major work-safety accident"],
  ["major_environmental_accident", "环境保护领域较大及以上责任事故", "Major environmental accident"],
  ["labour_relations_failure", "劳动关系领域未履行社会责任", "Failed social responsibilities in labour relations"],
  ["tax_non_compliance", "未依法纳税", "Did not pay tax lawfully"],
  ["serious_bad_credit_record", "信用信息严重不良纪录", "Seriously bad credit record"],
];

/** The page's language now (options built after load are born in it). */
const english = () => document.documentElement.dataset.lang === "en";

function options(list, selected) {
  return list.map(([v, zh, en]) =>
    h("option", { value: v, selected: v === selected, "data-zh": zh, "data-en": en }, english() ? en : zh),
  );
}

/** Where a credit finding was read, unless the enterprise names another source. */
const SOURCE = { zh: "信用中国（北京）", en: "Credit China (Beijing)" };

/**
 * Option texts follow the language (an <option> cannot hold spans), and so does a default
 * value nobody changed (a finding's source).
 */
export function relabelOptions(root, l) {
  for (const o of root.querySelectorAll("option[data-zh]")) {
    o.textContent = l === "en" ? o.dataset.en : o.dataset.zh;
  }
  for (const i of root.querySelectorAll("input[data-default-zh]")) {
    if (i.value === i.dataset.defaultZh || i.value === i.dataset.defaultEn) {
      i.value = l === "en" ? i.dataset.defaultEn : i.dataset.defaultZh;
    }
  }
}

/** A labelled control: returns [wrapper, control]. */
function field(zh, en, control, hintZh, hintEn) {
  const id = control.id || (control.id = uid("f"));
  const parts = [h("label", { for: id }, bi(zh, en)), control];
  if (hintZh) {
    const hid = uid("hint");
    parts.push(h("p", { class: "hint", id: hid }, bi(hintZh, hintEn)));
    control.setAttribute("aria-describedby", hid);
  }
  return [h("div", { class: "field" }, parts), control];
}

function checkbox(zh, en, name, checked) {
  const id = uid("c");
  const input = h("input", { type: "checkbox", id, "data-f": name, checked });
  return h("div", { class: "field check" }, input, h("label", { for: id }, bi(zh, en)));
}

function text(name, attrs = {}) {
  return h("input", { type: "text", "data-f": name, autocomplete: "off", ...attrs });
}

function removeButton(zh, en, onclick) {
  return h("button", { type: "button", class: "link danger", onclick }, bi(zh, en));
}

export class ApplicationForm {
  /**
   * @param {HTMLElement} root where the form goes
   * @param {object} rules the loaded wasm helpers (may be null until loaded)
   * @param {Array} industries key industries [{code, zh, en}]
   */
  constructor(root, industries) {
    this.root = root;
    this.rules = null;
    this.industries = industries;
    this.left = new WeakSet(); // fields left once: their problems show
    this.build();
    root.addEventListener("focusout", (e) => this.leave(e.target));
    // An amount is written back as it will be read (12.65万 → 126500.00) when the field
    // is left, so people see what is sent.
    root.addEventListener("change", (e) => {
      const t = e.target;
      if (t.matches && t.matches("input[inputmode=decimal]") && t.value.trim()) {
        const n = normaliseAmount(t.value);
        if (n !== t.value) {
          t.value = n;
          t.dispatchEvent(new Event("input", { bubbles: true }));
        }
      }
    });
  }

  setRules(rules) {
    this.rules = rules;
    for (const i of this.root.querySelectorAll("[data-f=credit_code],[data-f=application_number]")) {
      this.validate(i);
    }
  }

  setIndustries(list) {
    const sel = this.root.querySelector("[data-f=industry]");
    const v = sel.value;
    put(sel, ...this.industryOptions(list));
    sel.value = [...sel.options].some((o) => o.value === v) ? v : "other";
    this.industries = list;
  }

  industryOptions(list) {
    return [
      ...options(list.map((i) => [i.code, `${i.zh}（重点产业）`, `${i.en} (key industry)`])),
      ...options([["other", "其他行业", "Other industry"]]),
    ];
  }

  build() {
    const [cc] = field(
      "统一社会信用代码",
      "Unified Social Credit Code",
      text("credit_code", {
        maxlength: 18,
        spellcheck: "false",
        autocapitalize: "characters",
        required: true,
        "data-ph-zh": "18位，如 91110109MA01C3KP2P",
        "data-ph-en": "18 characters, e.g. 91110109MA01C3KP2P",
      }),
    );
    cc.append(h("p", { class: "check-result", "aria-live": "polite", "data-for": "credit_code" }));
    const [name] = field("企业名称", "Enterprise name", text("name", { required: true }));
    const [ind] = field(
      "所属行业",
      "Industry",
      h("select", { "data-f": "industry" }, this.industryOptions(this.industries)),
    );
    this.findings = h("div", { class: "rows" });
    this.history = h("div", { class: "rows" });
    this.loans = h("div", { class: "loans" });

    const enterprise = h(
      "fieldset",
      { class: "enterprise" },
      h("legend", {}, bi("企业", "Enterprise")),
      cc,
      name,
      checkbox("在门头沟区依法登记注册", "Lawfully registered in Mentougou District", "registered_in_district", true),
      checkbox("在门头沟区纳税", "Pays its tax in Mentougou District", "pays_tax_in_district", true),
      ind,
      h(
        "fieldset",
        { class: "sub" },
        h("legend", {}, bi("本年度信用记录（信用中国等）", "Credit findings this year (Credit China etc.)")),
        h("p", { class: "hint" }, bi("没有则不填。", "Leave empty if there are none.")),
        this.findings,
        h("button", { type: "button", class: "secondary add-finding", onclick: () => this.addFinding() },
          bi("添加一条信用记录", "Add a credit finding")),
      ),
      h(
        "fieldset",
        { class: "sub" },
        h("legend", {}, bi("以往获得的贴息补助", "Earlier interest subsidies received")),
        h("p", { class: "hint" }, bi("每年一行；没有则不填。", "One line per year; leave empty if none.")),
        this.history,
        h("button", { type: "button", class: "secondary", onclick: () => this.addHistory() },
          bi("添加一条补助记录", "Add an earlier subsidy")),
      ),
    );
    put(
      this.root,
      enterprise,
      this.loans,
      h("button", { type: "button", class: "secondary add-loan", onclick: () => this.addLoan(null, true) },
        bi("再添加一笔贷款", "Add another loan")),
    );
    this.root.addEventListener("input", (e) => this.onInput(e));
    this.root.addEventListener("change", (e) => this.onInput(e));
    this.addLoan();
  }

  onInput(e) {
    const t = e.target;
    if (t.dataset.f === "credit_code" || t.dataset.f === "application_number") this.validate(t);
    if (t.dataset.f === "kind" && e.type === "change") this.showKind(t.closest(".right"));
  }

  changed() {
    this.root.dispatchEvent(new Event("input", { bubbles: true }));
  }

  /** As-typed checks: credit code check character, patent number check digit and type. */
  validate(input) {
    if (!this.rules) return;
    const out = input.parentElement.querySelector(".check-result");
    const v = input.value.trim();
    input.problem = null;
    if (!v) {
      put(out);
      out.className = "check-result";
      showFieldError(input, null);
      input.setCustomValidity("");
      return;
    }
    if (input.dataset.f === "credit_code") {
      const r = this.rules.checkCreditCode(v);
      if (r.errors) return this.invalid(input, out, r.errors[0]);
      showFieldError(input, null);
      input.setCustomValidity("");
      put(
        out,
        h("span", { class: "ok" }, "✓ "),
        r.mentougou
          ? bi("校验位正确，登记地为门头沟区（110109）。", "Check character correct; registered in Mentougou District (110109).")
          : bi(
              `校验位正确，但登记地代码为 ${r.division_code}，不是门头沟区（110109）。`,
              `Check character correct, but registered in division ${r.division_code}, not Mentougou (110109).`,
            ),
        r.enterprise ? "" : bi(" 登记类别不是企业。", " The registration class is not an enterprise."),
      );
      out.className = r.mentougou && r.enterprise ? "check-result ok" : "check-result warn";
    } else {
      const right = input.closest(".right");
      if (right.querySelector("[data-f=kind]").value !== "patent") {
        put(out);
        out.className = "check-result";
        input.setCustomValidity("");
        showFieldError(input, null);
        return;
      }
      const r = this.rules.checkPatentNumber(v);
      if (r.errors) return this.invalid(input, out, r.errors[0]);
      showFieldError(input, null);
      input.setCustomValidity("");
      const sel = right.querySelector("[data-f=patent_type]");
      if (sel.value !== r.patent_type) {
        sel.value = r.patent_type;
      }
      const t = PATENT_TYPES.find((p) => p[0] === r.patent_type) || ["", r.patent_type, r.patent_type];
      put(
        out,
        h("span", { class: "ok" }, "✓ "),
        bi(`校验位正确：${r.number}，${t[1]}。`, `Check digit correct: ${r.number}, ${t[2].toLowerCase()}.`),
        r.qualifies_for_key_rate
          ? ""
          : bi(" 该类专利不适用60%比例。", " This type never gets the 60% rate."),
      );
      out.className = "check-result ok";
    }
  }

  invalid(input, out, err) {
    input.problem = { zh: err.zh, en: err.en };
    input.setCustomValidity(english() ? err.en : err.zh);
    showFieldError(input, input.problem);
  }

  addFinding(f = {}) {
    const row = h("div", { class: "row finding" });
    put(
      row,
      field("类型", "Kind", h("select", { "data-f": "kind" }, options(FINDINGS, f.kind)))[0],
      field("日期", "Date", h("input", { type: "date", "data-f": "date", value: f.date || "", required: true }))[0],
      field(
        "来源",
        "Source",
        text("source", {
          value: f.source || (english() ? SOURCE.en : SOURCE.zh),
          "data-default-zh": SOURCE.zh,
          "data-default-en": SOURCE.en,
        }),
      )[0],
      field("信用修复日期（如有）", "Repaired on (if any)", h("input", { type: "date", "data-f": "resolved_on", value: f.resolved_on || "" }))[0],
      removeButton("删除", "Remove", () => { row.remove(); this.changed(); }),
    );
    this.findings.append(row);
    this.changed();
    return row;
  }

  addHistory(r = {}) {
    const row = h("div", { class: "row history" });
    put(
      row,
      field("年度", "Year", h("input", { type: "number", "data-f": "year", min: 2000, max: 2100, value: r.year ?? "", required: true }))[0],
      field("金额（元）", "Amount (CNY)", text("amount", { inputmode: "decimal", value: r.amount || "", required: true }))[0],
      checkbox("已被追回", "Recovered", "recovered", !!r.recovered),
      removeButton("删除", "Remove", () => { row.remove(); this.changed(); }),
    );
    this.history.append(row);
    this.changed();
    return row;
  }

  addLoan(loan = null, focus = false) {
    const fs = h("fieldset", { class: "loan" });
    const rights = h("div", { class: "rights" });
    const l = loan || {};
    const date = (n, zh, en, req = true) =>
      field(zh, en, h("input", { type: "date", "data-f": n, value: l[n] || "", required: req }))[0];
    put(
      fs,
      h("legend", {}, ""),
      field("贷款机构类型", "Lender", h("select", { "data-f": "lender_kind" }, options(LENDERS, l.lender_kind || "bank")))[0],
      field("贷款机构名称", "Lender's name", text("lender_name", { value: l.lender_name || "", required: true }))[0],
      field("借款合同编号", "Loan contract number", text("contract_number", { value: l.contract_number || "", required: true }))[0],
      field("贷款本金（元）", "Principal (CNY)", text("principal", { inputmode: "decimal", value: l.principal || "", required: true }))[0],
      h(
        "div",
        { class: "grid3" },
        date("start_date", "放款日", "Start date"),
        date("maturity_date", "合同到期日", "Contractual maturity"),
        date("final_repayment_date", "实际还清日", "Repaid in full on", false),
      ),
      checkbox("贷款期间曾有逾期", "Something was overdue during the loan", "overdue", !!l.overdue),
      field(
        "实际支付的利息（元）",
        "Interest actually paid (CNY)",
        text("interest_paid", { inputmode: "decimal", value: l.interest_paid || "", required: true }),
        "不含罚息、手续费、担保费、评估费。",
        "Excluding penalty interest, fees, guarantee and appraisal costs.",
      )[0],
      h(
        "fieldset",
        { class: "sub" },
        h("legend", {}, bi("质押的知识产权", "Pledged IP rights")),
        rights,
        h("button", { type: "button", class: "secondary", onclick: () => this.addRight(rights, null, true) },
          bi("再添加一项质押权利", "Add another pledged right")),
      ),
      removeButton("删除这笔贷款", "Remove this loan", () => {
        if (this.loans.children.length > 1) {
          fs.remove();
          this.renumber();
          this.changed();
        }
      }),
    );
    this.loans.append(fs);
    for (const r of l.pledged_rights || [null]) this.addRight(rights, r);
    this.renumber();
    if (focus) fs.querySelector("select,input").focus();
    this.changed();
    return fs;
  }

  addRight(container, r = null, focus = false) {
    const x = r || {};
    const div = h("div", { class: "right" });
    const number = x.application_number || x.registration_number || x.description || "";
    const [num, numInput] = field("", "", text("application_number", { value: number, spellcheck: "false" }));
    num.classList.add("number");
    num.append(h("p", { class: "check-result", "aria-live": "polite" }));
    put(
      div,
      field("权利类型", "Kind of right", h("select", { "data-f": "kind" }, options(RIGHTS, x.kind || "patent")))[0],
      num,
      h("div", { class: "only-patent" },
        field("专利类型", "Patent type", h("select", { "data-f": "patent_type" }, options(PATENT_TYPES, x.patent_type || "invention")))[0]),
      h("div", { class: "only-trademark" }, checkbox("驰名商标", "Well-known trademark", "well_known", !!x.well_known)),
      field(
        "权利人",
        "Holder",
        text("owner", { value: x.owner || "" }),
        "留空表示登记在本企业名下。",
        "Leave empty when registered in the enterprise's own name.",
      )[0],
      removeButton("删除这项权利", "Remove this right", () => {
        if (container.children.length > 1) {
          div.remove();
          this.renumber();
          this.changed();
        }
      }),
    );
    container.append(div);
    this.showKind(div);
    if (this.rules) this.validate(numInput);
    this.renumber();
    if (focus) div.querySelector("select").focus();
    this.changed();
    return div;
  }

  showKind(right) {
    const kind = right.querySelector("[data-f=kind]").value;
    right.dataset.kind = kind;
    const label = right.querySelector(".number label");
    const [zh, en] = {
      patent: ["专利申请号", "Patent application number"],
      trademark: ["商标注册号", "Trademark registration number"],
      copyright: ["著作权登记号", "Copyright registration number"],
      other: ["权利说明", "Description of the right"],
    }[kind];
    put(label, bi(zh, en));
    const input = right.querySelector("[data-f=application_number]");
    if (kind === "patent") {
      input.dataset.phZh = "如 2023 1 0123456.6";
      input.dataset.phEn = "e.g. 2023 1 0123456.6";
    } else {
      input.dataset.phZh = "";
      input.dataset.phEn = "";
    }
    input.placeholder = english() ? input.dataset.phEn : input.dataset.phZh;
    this.validate(input);
  }

  renumber() {
    [...this.loans.children].forEach((fs, i) => {
      put(fs.querySelector("legend"), bi(`贷款 ${i + 1}`, `Loan ${i + 1}`));
      fs.querySelectorAll(".right").forEach((r, j) => {
        r.setAttribute("aria-label", `${i + 1}.${j + 1}`);
      });
    });
  }

  /** The Application JSON (without declared_truthful); sets data-path on each control. */
  read() {
    const v = (el, f) => el.querySelector(`[data-f=${f}]`);
    const val = (el, f, path) => {
      const c = v(el, f);
      c.dataset.path = path;
      return c.value.trim();
    };
    const chk = (el, f) => v(el, f).checked;
    const amount = normaliseAmount;
    const optDate = (s) => (s ? s : null);
    const e = this.root.querySelector(".enterprise");
    // The server's names for the fields (the application is the body there).
    const p = "enterprise";
    const name = val(e, "name", `${p}.name`);
    const app = {
      enterprise: {
        credit_code: val(e, "credit_code", `${p}.credit_code`).toUpperCase(),
        name,
        registered_in_district: chk(e, "registered_in_district"),
        pays_tax_in_district: chk(e, "pays_tax_in_district"),
        industry: val(e, "industry", `${p}.industry`),
        credit_findings: [...this.findings.children].map((r, i) => {
          const q = `${p}.credit_findings[${i}]`;
          return {
            kind: val(r, "kind", `${q}.kind`),
            date: val(r, "date", `${q}.date`),
            source: val(r, "source", `${q}.source`),
            resolved_on: optDate(val(r, "resolved_on", `${q}.resolved_on`)),
          };
        }),
      },
      loans: [...this.loans.children].map((l, i) => {
        const q = `loans[${i}]`;
        return {
          lender_kind: val(l, "lender_kind", `${q}.lender_kind`),
          lender_name: val(l, "lender_name", `${q}.lender_name`),
          contract_number: val(l, "contract_number", `${q}.contract_number`) || `${i + 1}`,
          principal: amount(val(l, "principal", `${q}.principal`)),
          start_date: val(l, "start_date", `${q}.start_date`),
          maturity_date: val(l, "maturity_date", `${q}.maturity_date`),
          final_repayment_date: optDate(val(l, "final_repayment_date", `${q}.final_repayment_date`)),
          overdue: chk(l, "overdue"),
          interest_paid: amount(val(l, "interest_paid", `${q}.interest_paid`)),
          pledged_rights: [...l.querySelectorAll(".right")].map((r, j) => {
            const rq = `${q}.pledged_rights[${j}]`;
            const kind = v(r, "kind").value;
            const owner = val(r, "owner", `${rq}.owner`) || name;
            const num = val(r, "application_number", "");
            const numPath = (k) => (v(r, "application_number").dataset.path = `${rq}.${k}`);
            switch (kind) {
              case "patent":
                numPath("application_number");
                return {
                  kind,
                  application_number: num.replace(/\s/g, ""),
                  patent_type: val(r, "patent_type", `${rq}.patent_type`),
                  owner,
                };
              case "trademark":
                numPath("registration_number");
                return { kind, registration_number: num, well_known: chk(r, "well_known"), owner };
              case "copyright":
                numPath("registration_number");
                return { kind, registration_number: num, owner };
              default:
                numPath("description");
                return { kind: "other", description: num, owner };
            }
          }),
        };
      }),
      history: [...this.history.children].map((r, i) => {
        const q = `history[${i}]`;
        return {
          year: Number(val(r, "year", `${q}.year`)) || 0,
          amount: amount(val(r, "amount", `${q}.amount`)),
          recovered: chk(r, "recovered"),
        };
      }),
    };
    return app;
  }

  /** Rebuilds the form from an Application JSON. */
  fill(app) {
    const e = this.root.querySelector(".enterprise");
    const en = app.enterprise || {};
    const set = (f, val) => {
      const c = e.querySelector(`[data-f=${f}]`);
      if (c.type === "checkbox") c.checked = !!val;
      else c.value = val ?? "";
    };
    set("credit_code", en.credit_code);
    set("name", en.name);
    set("registered_in_district", en.registered_in_district);
    set("pays_tax_in_district", en.pays_tax_in_district);
    const ind = e.querySelector("[data-f=industry]");
    ind.value = en.industry || "other";
    if (ind.value !== (en.industry || "other")) ind.value = "other";
    this.findings.replaceChildren();
    for (const f of en.credit_findings || []) this.addFinding(f);
    this.history.replaceChildren();
    for (const r of app.history || []) this.addHistory(r);
    this.loans.replaceChildren();
    const loans = app.loans && app.loans.length ? app.loans : [null];
    for (const l of loans) this.addLoan(l);
    // An owner equal to the enterprise's name shows as empty (the default).
    for (const o of this.root.querySelectorAll("[data-f=owner]")) {
      if (o.value === en.name) o.value = "";
    }
    for (const i of this.root.querySelectorAll("[data-f=credit_code],[data-f=application_number]")) {
      this.validate(i);
    }
    this.changed();
  }

  /**
   * Every problem of the form at once, found in this browser before anything is sent:
   * required fields left empty, the as-typed checks (credit code, patent number), amounts
   * that cannot be read, then the rules crate's own checks (the same as the server's),
   * run again with a stand-in value at each field already found wrong until nothing new
   * turns up. Answers {problems: [{control, field, zh, en}] in the page's order (control
   * null for what no field holds), decision: the rules' decision when there is no problem}.
   * `context` gives the pre-check's moment and round (the checks need neither).
   */
  check(context = {}) {
    const app = this.read();
    const found = new Map();
    const loose = [];
    const add = (c, zh, en) => {
      if (c && !found.has(c)) found.set(c, { zh, en });
    };
    for (const c of this.root.querySelectorAll("[required], [data-f=application_number]")) {
      if (!c.value.trim()) add(c, "请填写此项。", "This field is required.");
    }
    for (const c of this.root.querySelectorAll("[data-f=credit_code], [data-f=application_number]")) {
      if (c.problem) add(c, c.problem.zh, c.problem.en);
    }
    for (const c of this.root.querySelectorAll("input[inputmode=decimal]")) {
      const v = c.value.trim();
      if (v) {
        const e = amountProblem(this.rules, v);
        if (e) add(c, e.zh, e.en);
      }
    }
    if (!this.rules) return { problems: ordered(found, loose), decision: null };
    // The rules stop at the first value they cannot read: a stand-in for each field found
    // wrong lets them go on to the next one, and to their cross-field checks.
    const ignored = new Set();
    const stoodIn = new Set();
    const standIn = (c) => {
      stoodIn.add(c);
      setPath(app, c.dataset.path, standInFor(c, ignored));
    };
    for (const c of found.keys()) if (c.dataset.path) standIn(c);
    // A holder left empty is the enterprise: its stand-in too when the name is wrong.
    if ([...stoodIn].some((c) => c.dataset.f === "name")) {
      for (const o of this.root.querySelectorAll("[data-f=owner]")) {
        if (!o.value.trim() && o.dataset.path) setPath(app, o.dataset.path, "企业");
      }
    }
    for (let round = 0; round < 60; round++) {
      const req = {
        as_of: context.as_of || new Date().toISOString().replace(/\.\d+Z$/, "Z"),
        round: context.round || null,
        application: { ...app, declared_truthful: true },
      };
      const d = this.rules.precheck(JSON.stringify(req));
      if (!d.errors) {
        return { problems: ordered(found, loose), decision: found.size || loose.length ? null : d };
      }
      let more = false;
      for (const e of d.errors) {
        const field = serverPath(e.field);
        const c = this.controlFor(field);
        if (c && ignored.has(c)) continue;
        if (c) {
          add(c, e.zh, e.en);
          if (!stoodIn.has(c) && c.dataset.path) {
            standIn(c);
            more = true;
          }
        } else if (!loose.some((x) => x.field === field)) {
          loose.push({ control: null, field, zh: e.zh, en: e.en });
        }
      }
      if (!more) break;
    }
    return { problems: ordered(found, loose), decision: null };
  }

  /**
   * Shows `problems` at their fields (a message next to the control, aria-invalid,
   * aria-describedby), each field's once it was left or when `all` (a submission); clears
   * every other field's. The as-typed checks show as typed.
   */
  show(problems, all = false) {
    const at = new Map(problems.filter((p) => p.control).map((p) => [p.control, p]));
    for (const c of this.root.querySelectorAll("input, select, textarea")) {
      const p = at.get(c);
      if (p && (all || c.problem || this.left.has(c))) showFieldError(c, p);
      else if (c.getAttribute("aria-invalid") === "true" || c.dataset.errorShown) {
        showFieldError(c, null);
        if (c.matches("[data-f=credit_code], [data-f=application_number]")) this.validate(c);
      }
    }
  }

  /** Notes a field as left (its problems show from now on). */
  leave(c) {
    if (c && c.matches && c.matches("input, select, textarea")) this.left.add(c);
  }

  /** Required controls left empty: [{control, zh, en}] with their labels' texts. */
  missing() {
    return [...this.root.querySelectorAll("[required], [data-f=application_number]")]
      .filter((c) => !c.value.trim())
      .map((c) => ({ control: c, ...labelOf(c) }));
  }

  /** The control a field path (the server's, or the pre-check's `application.…`) names. */
  controlFor(path) {
    if (!path) return null;
    path = serverPath(path);
    let c = null;
    for (const el of this.root.querySelectorAll("[data-path]")) {
      if (!el.dataset.path) continue;
      // The deepest path that is a prefix of the error's path.
      if (path === el.dataset.path || path.startsWith(el.dataset.path + ".") || path.startsWith(el.dataset.path + "[")) {
        if (!c || el.dataset.path.length > c.dataset.path.length) c = el;
      }
    }
    return c;
  }
}

/**
 * Whether a control is wrong by its own value (left empty when required, an as-typed
 * check failed, an amount that cannot be read): cheap, for taking a verdict away at once.
 */
export function wrongByItself(c) {
  if (!c || !c.matches || !c.matches("input, select, textarea")) return false;
  const v = c.value.trim();
  if (c.required && !v) return true;
  if (c.problem) return true;
  return c.matches("input[inputmode=decimal]") && !!v && !/^\d+(\.\d{1,2})?$/.test(normaliseAmount(v));
}

/** The pre-check's field names are the application's inside its request. */
const serverPath = (f) => String(f || "").replace(/^application\./, "");

/** Problems sorted in the page's order of their fields (those no field holds last). */
export function inPageOrder(list) {
  const place = (a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1);
  return list.sort((a, b) => (!a.control ? 1 : !b.control ? -1 : place(a.control, b.control)));
}

/** The problems found, in the page's order. */
function ordered(found, loose) {
  const list = [...found].map(([control, e]) => ({ control, field: control.dataset.path || "", zh: e.zh, en: e.en }));
  return inPageOrder([...list, ...loose]);
}

/** A value the rules read without complaint, for a field already found wrong. */
function standInFor(c, ignored) {
  const f = c.dataset.f;
  const sibling = (name) => c.closest(".loan")?.querySelector(`[data-f=${name}]`);
  switch (f) {
    case "credit_code":
      return "91110109MA01C3KP2P";
    case "principal":
    case "interest_paid":
    case "amount":
      return "1.00";
    case "year":
      return 2025;
    case "start_date":
      return "2000-01-01";
    case "maturity_date": {
      const s = sibling("start_date");
      return s && s.value && !s.problem ? s.value : "2000-01-01";
    }
    case "final_repayment_date":
    case "resolved_on":
      return null;
    case "date":
      return "2025-01-01";
    case "application_number": {
      const right = c.closest(".right");
      const type = right?.querySelector("[data-f=patent_type]");
      if (type) ignored.add(type); // the stand-in's type is not the one chosen
      return right?.dataset.kind === "trademark" ? "1" : "202310123456.6";
    }
    case "contract_number":
      return `#${c.id}`;
    default:
      return "企业"; // a name, a holder, a source: text every check takes
  }
}

/** Sets `path` (`loans[0].principal`) in `obj`. */
function setPath(obj, path, value) {
  const keys = String(path).match(/[^.[\]]+/g) || [];
  let o = obj;
  for (let i = 0; i < keys.length - 1; i++) {
    if (o == null) return;
    o = o[keys[i]];
  }
  if (o != null && keys.length) o[keys[keys.length - 1]] = value;
}

/** What is wrong with an amount as typed, or null (read as the form reads it). */
function amountProblem(rules, typed) {
  const n = normaliseAmount(typed);
  if (!/^\d+(\.\d{1,2})?$/.test(n)) {
    if (/^[-－]/.test(typed.trim())) return { zh: "金额不能为负数。", en: "An amount cannot be negative." };
    if (/\.\d{3,}/.test(n)) return { zh: "金额最多两位小数（精确到分）。", en: "An amount has at most two decimals (fen)." };
    return { zh: "请填写金额（元），如 126500.00 或 12.65万。", en: "Enter an amount in yuan, e.g. 126500.00 or 126,500." };
  }
  if (rules) {
    const r = rules.amountInCapitals(n);
    if (r && r.errors) return { zh: r.errors[0].zh, en: r.errors[0].en };
  }
  return null;
}

/** A control's label in both languages, with the loan, right or row it belongs to. */
export function labelOf(c) {
  const root = c.closest("form") || document;
  const l = root.querySelector(`label[for="${c.id}"]`) || c.labels?.[0];
  // A long label (a declaration) gives a short name for the summary.
  let zh = c.dataset.nameZh || l?.querySelector(".l-zh")?.textContent || c.getAttribute("aria-label") || "此项";
  let en = c.dataset.nameEn || l?.querySelector(".l-en")?.textContent || c.getAttribute("aria-label") || "This field";
  const n = (el, sel) => [...el.parentElement.querySelectorAll(`:scope > ${sel}`)].indexOf(el) + 1;
  const right = c.closest(".right");
  if (right) {
    zh = `质押权利 ${n(right, ".right")}：${zh}`;
    en = `Pledged right ${n(right, ".right")}: ${en}`;
  }
  const loan = c.closest("fieldset.loan");
  if (loan) {
    zh = `贷款 ${n(loan, "fieldset.loan")}：${zh}`;
    en = `Loan ${n(loan, "fieldset.loan")}: ${en}`;
  }
  const row = c.closest(".row");
  if (row) {
    const [kz, ke] = row.classList.contains("finding") ? ["信用记录", "Credit finding"] : ["以往补助", "Earlier subsidy"];
    zh = `${kz} ${n(row, ".row")}：${zh}`;
    en = `${ke} ${n(row, ".row")}: ${en}`;
  }
  return { zh, en };
}

/** Where a control's message goes: its as-typed check's line, or one made beside it. */
function slot(control) {
  const f = control.closest(".field") || control.parentElement;
  let s = f.querySelector(":scope > .check-result") || f.querySelector(":scope > .field-error");
  if (!s) {
    s = h("p", { class: "field-error" });
    f.append(s);
  }
  if (!s.id) s.id = uid("err");
  return s;
}

/**
 * Shows one problem ({zh, en}) at its control — the message next to it, aria-invalid,
 * aria-describedby naming the message — or clears it (null).
 */
export function showFieldError(control, err) {
  const s = slot(control);
  if (control.dataset.describedBase === undefined) {
    control.dataset.describedBase = control.getAttribute("aria-describedby") || "";
  }
  const base = control.dataset.describedBase.split(" ").filter((x) => x && x !== s.id);
  if (err) {
    control.setAttribute("aria-invalid", "true");
    control.setAttribute("aria-describedby", [...base, s.id].join(" "));
    control.dataset.errorShown = "1";
    put(s, h("span", { class: "bad", "aria-hidden": "true" }, "✗ "), bi(err.zh, err.en));
    s.classList.add("bad");
    s.dataset.error = "1";
  } else {
    control.removeAttribute("aria-invalid");
    delete control.dataset.errorShown;
    const keep = s.classList.contains("check-result") ? [...base, s.id] : base;
    if (keep.length) control.setAttribute("aria-describedby", keep.join(" "));
    else control.removeAttribute("aria-describedby");
    if (s.dataset.error) {
      delete s.dataset.error;
      s.classList.remove("bad");
      put(s);
    }
  }
}

/**
 * The summary at the top of a form: every problem, each a link to its field with the
 * field's name and the message, in the page's language (both written, CSS shows one).
 * Hidden when there is none.
 */
export function renderSummary(el, problems) {
  // Left as it is when nothing changed: a link being clicked stays the one clicked.
  const sig = JSON.stringify(problems.map((p) => [p.control?.id, p.field, p.zh, p.en, p.control ? labelOf(p.control).zh : ""]));
  if (el.dataset.sig === sig) return;
  el.dataset.sig = sig;
  if (!problems.length) {
    put(el);
    el.hidden = true;
    return;
  }
  el.hidden = false;
  put(
    el,
    h("h2", { class: "summary-title", id: `${el.id}-title` }, bi(`有 ${problems.length} 处需要填写或修改：`, problems.length === 1 ? "1 thing to fill in or correct:" : `${problems.length} things to fill in or correct:`)),
    h(
      "ul",
      { class: "errors" },
      problems.map((p) => {
        if (!p.control) return h("li", { "data-field": p.field || "" }, bi(p.zh, p.en));
        const l = labelOf(p.control);
        return h(
          "li",
          { "data-field": p.field || "" },
          h(
            "a",
            {
              href: `#${p.control.id}`,
              onclick: (ev) => {
                ev.preventDefault();
                p.control.focus();
                p.control.scrollIntoView({ block: "center" });
              },
            },
            bi(`${l.zh}：${p.zh}`, `${l.en}: ${p.en}`),
          ),
        );
      }),
    ),
  );
}

/**
 * A refused body's field errors, each {field, zh, en}: `errors: [{field, message_zh,
 * message_en}]` where given, else the one `error` — whose messages may list several
 * fields as `path：message；path：message` (the rules' input errors): taken apart, so
 * each goes to its field and no path is shown in the text.
 */
export function serverErrors(body) {
  const list = (body && (body.errors || body.error?.errors)) || null;
  if (Array.isArray(list)) {
    return list.map((e) => ({ field: serverPath(e.field), zh: e.message_zh ?? e.zh ?? "", en: e.message_en ?? e.en ?? "" }));
  }
  const e = body && body.error;
  if (!e) return [];
  const path = /^([A-Za-z_][\w]*(?:\[\d+\]|\.[A-Za-z_][\w]*)*)[：:]\s*/;
  const split = (text, sep) => {
    const out = [];
    for (const part of String(text || "").split(sep)) {
      const m = path.exec(part);
      if (m && /[.[_]/.test(m[1]) || (m && m[1] === e.field)) out.push({ field: m[1], text: part.slice(m[0].length) });
      else if (out.length) out[out.length - 1].text += sep + part;
      else out.push({ field: e.field || "", text: part });
    }
    return out;
  };
  const zh = split(e.message_zh, "；");
  const en = split(e.message_en, "; ");
  if (zh.length === en.length && zh.every((z, i) => z.field === en[i].field)) {
    return zh.map((z, i) => ({ field: serverPath(z.field), zh: z.text, en: en[i].text, code: e.code }));
  }
  return [{ field: serverPath(e.field || ""), zh: e.message_zh, en: e.message_en, code: e.code }];
}

/** The example of the rules crate's docs: an AI enterprise, one invention patent loan. */
export const EXAMPLE = {
  enterprise: {
    credit_code: "91110109MA01C3KP2P",
    name: "北京京西智算科技有限公司",
    registered_in_district: true,
    pays_tax_in_district: true,
    industry: "artificial_intelligence",
    credit_findings: [],
  },
  loans: [
    {
      lender_kind: "bank",
      lender_name: "北京银行门头沟支行",
      contract_number: "BJ-2025-0001",
      principal: "5000000.00",
      start_date: "2024-03-01",
      maturity_date: "2025-02-28",
      final_repayment_date: "2025-02-28",
      overdue: false,
      interest_paid: "200000.00",
      pledged_rights: [
        { kind: "patent", application_number: "202310123456.6", patent_type: "invention", owner: "北京京西智算科技有限公司" },
      ],
    },
  ],
  history: [],
};

export const STORAGE_KEY = "mentougou-application";

/// An amount as people type it, in yuan, as the API reads it: full-width digits, thousands
/// separators, spaces, a currency sign or 元, and 万 / 亿 are understood — `12.65万`,
/// `126,500.00元`, `１２６５００` all read `126500.00`. Done on the decimal text, never
/// through a float. Anything else is left as typed, for the rules to explain.
export function normaliseAmount(typed) {
  let s = String(typed)
    .replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[．。]/g, ".")
    .replace(/[,，\s\u3000]/g, "")
    .replace(/^(人民币|RMB|CNY|[¥￥])/i, "")
    .replace(/(人民币)?元(整)?$/, "");
  let shift = 0;
  if (/万$/.test(s)) shift = 4;
  else if (/亿$/.test(s)) shift = 8;
  if (shift) s = s.slice(0, -1);
  const m = /^(\d+)(?:\.(\d*))?$/.exec(s);
  if (!m) return String(typed).trim();
  let [whole, frac] = [m[1], m[2] || ""];
  // Move the decimal point `shift` places to the right.
  frac = frac.padEnd(shift, "0");
  whole = (whole + frac.slice(0, shift)).replace(/^0+(?=\d)/, "");
  frac = frac.slice(shift);
  if (frac.length > 2) return String(typed).trim(); // finer than the fen: let the rules say
  return `${whole}.${frac.padEnd(2, "0")}`;
}
