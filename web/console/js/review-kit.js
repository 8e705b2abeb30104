// The office's console: what the review pages share (queue.js, application.js,
// objections.js, enterprise.js; the dashboard takes its words for statuses): the words for
// the API's codes, the table of earlier subsidies, the buttons that view and download a
// stored file, and the credit register's panel. How an action reports its outcome, rule
// links, money and tables are session.js's, as on every console page.
//
// Ids a test uses: the credit register (enterprise.html and application.html): #finding-table,
//   #finding-<id> (a row), #finding-<id>-correct|repair|withdraw (open the change form),
//   #finding-change, #finding-change-kind|date|source (correct), #finding-change-repaired
//   (repair), #finding-change-reason, #finding-change-submit, #finding-change-cancel,
//   #finding-change-result[data-state]; #finding-add-kind|date|source|reference,
//   #finding-add-submit, #finding-add-result[data-state]
//   a file's buttons: #<idBase>-view, #<idBase>-download; the outcome in the caller's element
//   (data-state; [data-sha256=match|mismatch] once fetched)

import {
  call, show, act, succeeded, pending, problem, outlet, writer, fetchFile, saveAs, options, ph, today,
  field, table, moneyCell, moment, h, bi, put,
} from "./session.js";
import { KINDS } from "../../js/status.js";

// ---------------------------------------------------------------------------------------
// The words for the API's codes: lists of [code, zh, en], in the order they are offered.

/** Application statuses (ApplicationStatus), as officers read them, in the process's order. */
export const STATUS = [
  ["submitted", "已受理，待评审", "Received, in review"],
  ["eligible", "评审通过", "Reviewed: eligible"],
  ["refused", "不予补助", "Refused"],
  ["proposed", "拟补助（公示）", "Proposed (on notice)"],
  ["removed", "已移出名单", "Removed from the list"],
  ["approved", "区政府已审定", "Approved"],
  ["paid", "已拨付", "Paid"],
  ["withdrawn", "已撤回/作废", "Withdrawn or voided"],
];

/** What an application waits for (its waits_for; "nothing" when it waits for nothing). */
export const WAITS = [
  ["documents", "缺材料", "Documents missing"],
  ["review", "待评审", "Review not begun"],
  ["opinions", "部门意见未回复", "Department opinions outstanding"],
  ["credit_report", "信用报告未记录", "Credit report not recorded"],
  ["nothing", "无待办", "Nothing outstanding"],
];

/** The document kinds (functions/intake/src/documents.rs), as the public pages name them. */
export const DOC_KINDS = KINDS;

/** PROC-REVIEW: the departments asked (rules::model::Department). */
export const DEPARTMENTS = [
  ["market_supervision", "区市场监管局", "District Market Supervision Bureau"],
  ["human_resources_social_security", "区人力社保局", "District Human Resources and Social Security Bureau"],
  ["emergency_management", "区应急局", "District Emergency Management Bureau"],
  ["fire_rescue", "区消防救援支队", "District Fire and Rescue Detachment"],
  ["ecology_environment", "区生态环境局", "District Ecology and Environment Bureau"],
  ["science_information", "区科信局", "District Science and Information Bureau"],
  ["tax", "区税务局", "District Tax Bureau"],
  ["urban_management", "区城管执法局", "District Urban Management Bureau"],
  ["zgc_mentougou_park", "中关村门头沟园管委会", "Zhongguancun Mentougou Park Committee"],
  ["town_street", "镇街", "Town or street office"],
  ["industry_authority", "行业主管部门", "Industry authority"],
  ["other", "其他部门（填写名称）", "Other department (give its name)"],
];

/** PROC-CREDIT: the kinds of credit finding. */
export const FINDINGS = [
  ["major_work_safety_accident", "安全生产领域较大及以上责任事故", "Major work-safety accident"],
  ["major_environmental_accident", "环境保护领域较大及以上责任事故", "Major environmental accident"],
  ["labour_relations_failure", "劳动关系领域未履行社会责任", "Failed social responsibilities in labour relations"],
  ["tax_non_compliance", "未依法纳税", "Did not pay tax lawfully"],
  ["serious_bad_credit_record", "信用信息严重不良纪录", "Seriously bad credit record"],
];

/** FRAUD: the kinds of determination. */
export const FRAUD_KINDS = [
  ["false_documents", "提供虚假材料", "False documents"],
  ["obtained_by_deception", "以欺骗手段骗取补助", "Subsidy obtained by deception"],
  ["ip_infringement", "知识产权侵权", "IP infringement"],
];

/** PROC-CREDIT: where the credit report was read (rules::model::CreditSource). */
export const CREDIT_SOURCES = [
  ["credit_china_beijing", "信用中国（北京）", "Credit China (Beijing)"],
  ["credit_china", "信用中国", "Credit China"],
];

/** The [zh, en] of a code in one of the lists; the code itself (or "—") when unknown. */
export function wordsOf(list, code) {
  const row = list.find((r) => r[0] === code);
  return row ? [row[1], row[2]] : [String(code ?? "—"), String(code ?? "—")];
}

/** The words of a code in both languages; the code itself (or "—") when unknown. */
export function label(list, code) {
  const row = list.find((r) => r[0] === code);
  return row ? bi(row[1], row[2]) : String(code ?? "—");
}

/** Several codes' words, joined: 贷款合同、还款凭证 / Loan contract, Repayment proof. */
export function labels(list, codes) {
  const w = codes.map((c) => wordsOf(list, c));
  return bi(w.map((x) => x[0]).join("、"), w.map((x) => x[1]).join(", "));
}

// ---------------------------------------------------------------------------------------
// Earlier subsidies (CAP-YEAR, CAP-TIMES): on the enterprise's page and on an application's.

/** The table `id` of an enterprise's earlier subsidies (its rows `<rowIds>-<n>` when
 *  given), or the hint that there is none. */
export function historyTable(id, records, rowIds) {
  const rows = records.map((r, i) => h("tr", { id: rowIds ? `${rowIds}-${i}` : null },
    h("td", {}, String(r.year)), moneyCell(r.amount), h("td", {}, r.reference || "—"),
    h("td", {}, r.recovered ? bi("已追回（仍计次数）", "recovered (still counts)") : "—")));
  return rows.length
    ? table(id, [["年度", "Year"], ["金额", "Amount", "num"], ["文号", "Reference"], ["追回", "Recovered"]], rows)
    : h("p", { id, class: "hint", "data-empty": "true" }, bi("没有此前补助的记录。", "No earlier subsidy on record."));
}

// ---------------------------------------------------------------------------------------
// A stored file (a document, a piece of evidence): view and download.

async function digest(blob) {
  if (!crypto.subtle) return null;
  const d = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

const EXT = { "application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png" };

/**
 * The buttons to view (a new tab; an image also below, in `preview`) and download a stored
 * file, reporting in `out`; `expected` is its SHA-256 as listed, checked after the fetch.
 */
export function fileButtons(idBase, path, name, contentType, expected, out, preview) {
  const get = async (view) => {
    // The tab is opened while the click still counts, then pointed at the file.
    const tab = view ? window.open("", "_blank") : null;
    pending(out, "正在获取文件…", "Fetching the file…");
    try {
      const { blob, sha256 } = await fetchFile(path);
      // Only a PDF or an image is shown, typed as listed; anything else is bytes to save.
      const type = EXT[contentType] ? contentType : "application/octet-stream";
      if (view && !EXT[contentType]) {
        if (tab) tab.close();
        return problem(out, "该文件格式不能在浏览器中查看，请下载。", "This kind of file cannot be shown here; download it.");
      }
      const typed = blob.type !== type ? new Blob([blob], { type }) : blob;
      const url = URL.createObjectURL(typed);
      setTimeout(() => URL.revokeObjectURL(url), 120000);
      const sum = await digest(blob);
      const want = (expected || sha256 || "").toLowerCase();
      const check = sum && want
        ? (sum === want
          ? h("span", { class: "good", "data-sha256": "match" }, bi("SHA-256 校验一致。", "SHA-256 matches."))
          : h("span", { class: "bad", "data-sha256": "mismatch" }, bi(`SHA-256 不一致：${sum}`, `SHA-256 differs: ${sum}`)))
        : null;
      const link = h("a", { href: url, target: "_blank", rel: "noopener" }, bi("打开", "Open"));
      if (view) {
        if (tab) tab.location.href = url;
        if (preview && typed.type.startsWith("image/")) {
          const reader = new FileReader();
          reader.onload = () => put(preview, h("figure", {}, h("img", { src: reader.result, alt: name, class: "doc-image" }), h("figcaption", {}, name)));
          reader.readAsDataURL(typed);
        }
      } else {
        saveAs(url, `${name}.${EXT[typed.type] || "bin"}`);
      }
      put(out, h("p", { class: "good" }, view ? bi(`已打开 ${name}（`, `Opened ${name} (`) : bi(`已下载 ${name}（`, `Downloaded ${name} (`),
        link, bi("）。", ")."), " ", check));
      out.dataset.state = "done";
    } catch (e) {
      if (tab) tab.close();
      if (e.answer) show(out, e.answer);
      else problem(out, "无法获取文件。", "The file could not be fetched.");
    }
  };
  return [
    h("button", { type: "button", class: "secondary small", id: `${idBase}-view`, onclick: () => get(true) }, bi("查看", "View")),
    " ",
    h("button", { type: "button", class: "secondary small", id: `${idBase}-download`, onclick: () => get(false) }, bi("下载", "Download")),
  ];
}

// ---------------------------------------------------------------------------------------
// The credit register (PROC-CREDIT): on the enterprise's page and on an application's.

/**
 * The credit register's panel for `code` in `root`: the findings with their changes and the
 * form to add one. `findings` is the EnterpriseView's list; `refresh()` loads it again and
 * answers it. `defaults()` (optional) gives {date, source, reference} for a new finding,
 * e.g. from the review's credit report.
 */
export function creditRegister(root, code, findings, refresh, defaults) {
  const list = h("div", { id: "finding-list" });
  const path = `/api/enterprises/${encodeURIComponent(code)}/credit-findings`;
  const canWrite = writer();

  // The change form, shown under the finding it changes.
  const change = { id: null, action: null };
  const cKind = h("select", { id: "finding-change-kind" }, options(FINDINGS));
  const cDate = h("input", { type: "date", id: "finding-change-date" });
  const cSource = h("input", { type: "text", id: "finding-change-source", maxlength: 200 });
  const cRepaired = h("input", { type: "date", id: "finding-change-repaired", value: today() });
  const cReason = h("textarea", { id: "finding-change-reason", maxlength: 500, rows: 2 });
  const cOut = outlet("finding-change-result");
  const cTitle = h("legend", {});
  const correctOnly = h("div", { class: "grid3" }, field("认定类型", "Kind", cKind), field("认定日期", "Date", cDate), field("来源（及报告编号）", "Source (and report reference)", cSource));
  const repairOnly = h("div", { class: "grid3" }, field("信用修复日期", "Repaired on", cRepaired));
  const cForm = h("form", { id: "finding-change", class: "panel", hidden: true, novalidate: true },
    h("fieldset", {}, cTitle, correctOnly, repairOnly,
      field("理由（记入审计日志）", "Reason (kept in the audit log)", cReason),
      h("p", { class: "tools" },
        h("button", { type: "submit", id: "finding-change-submit" }, bi("提交更改", "Save the change")),
        h("button", { type: "button", class: "secondary", id: "finding-change-cancel", onclick: () => { cForm.hidden = true; } }, bi("取消", "Cancel")))));
  cForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    const reason = cReason.value.trim();
    if (!reason) return problem(cOut, "请填写理由。", "Give the reason.");
    let body;
    if (change.action === "correct") {
      body = { action: "correct", kind: cKind.value, date: cDate.value, source: cSource.value.trim(), reason };
    } else if (change.action === "repair") {
      body = { action: "repair", repaired_on: cRepaired.value, reason };
    } else {
      body = { action: "withdraw", reason };
    }
    const r = await act(cOut, null, () => call("POST", `${path}/${change.id}`, body), (f) =>
      h("p", { class: "good", "data-finding": f.id }, bi(`认定 #${f.id} 已更改。`, `Finding #${f.id} changed.`),
        " ", f.withdrawn_at ? bi("（已撤销）", "(withdrawn)") : f.repaired_on ? bi(`（${f.repaired_on} 起已修复）`, `(repaired from ${f.repaired_on})`) : null));
    if (succeeded(r)) {
      cForm.hidden = true;
      draw(await refresh());
    }
  });

  const open = (f, action) => {
    change.id = f.id;
    change.action = action;
    put(cTitle, action === "correct" ? bi(`更正认定 #${f.id}`, `Correct finding #${f.id}`)
      : action === "repair" ? bi(`标记认定 #${f.id} 已信用修复`, `Mark finding #${f.id} repaired`)
        : bi(`撤销认定 #${f.id}`, `Withdraw finding #${f.id}`));
    correctOnly.hidden = action !== "correct";
    repairOnly.hidden = action !== "repair";
    cKind.value = f.kind;
    cDate.value = f.date;
    cSource.value = f.source;
    cReason.value = "";
    put(cOut);
    delete cOut.dataset.state;
    cForm.hidden = false;
    const row = document.getElementById(`finding-${f.id}`);
    if (row) row.closest(".table-wrap").after(cForm);
    cReason.focus();
  };

  const draw = (items) => {
    const rows = (items || []).map((f) => h("tr", { id: `finding-${f.id}`, "data-counts": f.counts ? "true" : "false", class: f.withdrawn_at ? "removed" : null },
      h("td", {}, `#${f.id}`),
      h("td", {}, label(FINDINGS, f.kind)),
      h("td", {}, f.date),
      h("td", {}, f.source),
      h("td", {}, f.withdrawn_at ? bi(`已撤销（${moment(f.withdrawn_at)}）`, `withdrawn (${moment(f.withdrawn_at)})`)
        : f.repaired_on ? bi(`${f.repaired_on} 起信用修复`, `repaired from ${f.repaired_on}`) : bi("有效", "standing")),
      h("td", {}, f.counts ? bi("评审时计入", "counts at review") : bi("不计入", "does not count")),
      canWrite ? h("td", { class: "tools" }, f.withdrawn_at ? "—" : [
        h("button", { type: "button", class: "link", id: `finding-${f.id}-correct`, onclick: () => open(f, "correct") }, bi("更正", "Correct")),
        h("button", { type: "button", class: "link", id: `finding-${f.id}-repair`, onclick: () => open(f, "repair") }, bi("信用修复", "Repaired")),
        h("button", { type: "button", class: "link danger", id: `finding-${f.id}-withdraw`, onclick: () => open(f, "withdraw") }, bi("撤销", "Withdraw")),
      ]) : null));
    const heads = [["编号", "No."], ["类型", "Kind"], ["认定日期", "Date"], ["来源", "Source"], ["状态", "State"], ["评审", "Review"]];
    if (canWrite) heads.push(["操作", "Change"]);
    put(list, rows.length ? table("finding-table", heads, rows) : h("p", { id: "finding-table", class: "hint", "data-empty": "true" }, bi("信用记录中没有认定。", "The register holds no finding.")));
    if (!cForm.hidden && change.id) {
      const row = document.getElementById(`finding-${change.id}`);
      if (row) row.closest(".table-wrap").after(cForm);
      else cForm.hidden = true;
    }
  };

  // The form to add one: the report's date and reference with the source.
  let addForm = null;
  if (canWrite) {
    const d = defaults ? defaults() : {};
    const aKind = h("select", { id: "finding-add-kind" }, options(FINDINGS, null, ["请选择", "Choose"]));
    const aDate = h("input", { type: "date", id: "finding-add-date", value: d.date || today() });
    const aSource = h("input", { type: "text", id: "finding-add-source", maxlength: 160, value: d.source || "信用中国（北京）" });
    const aRef = h("input", { type: "text", id: "finding-add-reference", maxlength: 40, value: d.reference || "", ...ph("如 XYBJ-2026-000123", "e.g. XYBJ-2026-000123") });
    for (const i of [aDate, aSource, aRef]) i.addEventListener("input", () => { i.dataset.touched = "1"; });
    const aOut = outlet("finding-add-result");
    addForm = h("form", { id: "finding-add", class: "panel", novalidate: true },
      h("fieldset", {}, h("legend", {}, bi("登记信用认定", "Register a credit finding")),
        h("div", { class: "grid3" },
          field("类型", "Kind", aKind),
          field("认定/报告日期", "Date of the finding or report", aDate),
          field("来源", "Source", aSource),
          field("报告编号", "Report reference", aRef)),
        h("p", {}, h("button", { type: "submit", id: "finding-add-submit" }, bi("登记", "Register"))),
        aOut));
    addForm.addEventListener("submit", async (e) => {
      e.preventDefault();
      if (!aKind.value) return problem(aOut, "请选择认定类型。", "Choose the kind of finding.");
      if (!aDate.value) return problem(aOut, "请填写认定日期。", "Give the date.");
      const src = aSource.value.trim();
      const ref = aRef.value.trim();
      if (!src) return problem(aOut, "请填写来源。", "Give the source.");
      const body = { kind: aKind.value, date: aDate.value, source: ref ? `${src}（${ref}）` : src };
      const r = await act(aOut, null, () => call("POST", path, body), (f) =>
        h("p", { class: "good", "data-finding": f.id }, bi(`已登记认定 #${f.id}。评审时按其当时状态判断（PROC-CREDIT）；已评审的申报需重新保存评审。`,
          `Finding #${f.id} registered. The review reads the register as it stands (PROC-CREDIT): save the review again for an application already reviewed.`)));
      if (succeeded(r)) {
        aKind.value = "";
        draw(await refresh());
      }
    });
    // The review's credit report fills the fields nobody typed in.
    addForm.refill = () => {
      if (!defaults) return;
      const x = defaults();
      if (!aDate.dataset.touched && x.date) aDate.value = x.date;
      if (!aSource.dataset.touched && x.source) aSource.value = x.source;
      if (!aRef.dataset.touched && x.reference !== undefined) aRef.value = x.reference;
    };
  }
  put(root, list, cForm, cOut, addForm);
  draw(findings);
  return { draw, refill: () => addForm && addForm.refill() };
}
