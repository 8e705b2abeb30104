// Notices: the current and past notices with their entries and updates (notices API), and,
// inside a notice period, an objection form for each entry (objections API).

import { api, bi, copyButton, errorMessage, h, initPage, moment, money, printButton, put } from "./common.js";

initPage();

const list = document.getElementById("notices");

const STATUS = {
  listed: ["拟补助", "listed"],
  amended: ["已调整", "amended"],
  removed: ["已取消", "removed"],
  paid: ["已拨付", "paid"],
};

async function main() {
  let r;
  try {
    r = await api("GET", "/api/notices");
  } catch (e) {
    put(list, h("p", { class: "bad" }, bi("网络不可用，无法加载公示。", "The network is unavailable; notices cannot be loaded.")));
    return;
  }
  if (r.status !== 200) {
    put(list, h("p", { class: "bad" }, errorMessage(r.body)));
    return;
  }
  const notices = r.body.notices || [];
  if (!notices.length) {
    put(list, h("p", {}, bi("目前没有公示。", "There are no notices yet.")));
    return;
  }
  const details = await Promise.all(
    notices.map((n) => api("GET", `/api/notices/${encodeURIComponent(n.id)}`).catch(() => null)),
  );
  put(list);
  details.forEach((d, i) => {
    if (d && d.status === 200) list.append(renderNotice(d.body));
    else list.append(h("p", { class: "bad" }, `${notices[i].id}: `, d ? errorMessage(d.body) : "—"));
  });
}

function renderNotice(n) {
  const open = !!n.objections_open;
  const p = n.period;
  const entries = n.current_entries || [];
  const hid = `title-${n.id}`;
  const form = open ? objectionForm(n, entries) : null;
  const table = h(
    "div",
    { class: "table-wrap", tabindex: 0 },
    h(
      "table",
      { class: "entries" },
      h("caption", {}, bi(`共 ${entries.length} 项，合计 ${money(n.current_total)} 元`, `${entries.length} entries, ${money(n.current_total)} CNY in total`)),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "col" }, bi("序号", "No.")),
          h("th", { scope: "col" }, bi("企业", "Enterprise")),
          h("th", { scope: "col" }, bi("质押权利", "Pledged rights")),
          h("th", { scope: "col", class: "num" }, bi("补助金额（元）", "Subsidy (CNY)")),
          h("th", { scope: "col" }, bi("状态", "Status")),
          open ? h("th", { scope: "col" }, bi("异议", "Objection")) : null,
        ),
      ),
      h(
        "tbody",
        {},
        entries.map((e) =>
          h(
            "tr",
            { class: e.status === "removed" ? "removed" : "", "data-entry": e.number },
            h("th", { scope: "row" }, String(e.number)),
            h("td", {}, e.enterprise_name),
            h("td", {}, bi(e.rights_zh, e.rights_en)),
            h(
              "td",
              { class: "num" },
              money(e.amount),
              e.original_amount && e.original_amount !== e.amount ? h("div", { class: "hint" }, bi(`原 ${money(e.original_amount)}`, `was ${money(e.original_amount)}`)) : null,
              e.amount_capitals ? h("div", { class: "hint", lang: "zh-CN" }, e.amount_capitals) : null,
            ),
            h("td", {}, bi(...(STATUS[e.status] || [e.status, e.status]))),
            open
              ? h(
                  "td",
                  {},
                  h(
                    "button",
                    {
                      type: "button",
                      class: "secondary object",
                      "data-entry": e.number,
                      onclick: () => {
                        form.details.open = true;
                        form.entry.value = String(e.number);
                        form.entry.dispatchEvent(new Event("change"));
                        form.entry.focus();
                      },
                    },
                    bi(`对第${e.number}项提出异议`, `Object to entry ${e.number}`),
                  ),
                )
              : null,
          ),
        ),
      ),
    ),
  );
  const updates = (n.updates || []).length
    ? [
        h("h3", {}, bi("更新与重审结论", "Updates and re-review conclusions")),
        h(
          "ol",
          { class: "updates" },
          n.updates.map((u) =>
            h("li", { id: `${n.id}-update-${u.seq}` }, h("time", { datetime: u.at }, moment(u.at)), u.entry ? bi(` 第${u.entry}项：`, ` entry ${u.entry}: `) : " ", bi(u.text_zh, u.text_en)),
          ),
        ),
      ]
    : null;
  return h(
    "article",
    { class: "notice", "aria-labelledby": hid, "data-notice": n.id },
    h("h2", { id: hid }, bi(n.title_zh, n.title_en)),
    h(
      "p",
      {},
      bi(`发布：${moment(n.published_at)}`, `Published ${moment(n.published_at)}`),
      p ? bi(`；公示期：${p.first_day} 至 ${p.last_day}（${p.working_days}个工作日，PROC-NOTICE）`, `; notice period ${p.first_day} to ${p.last_day} (${p.working_days} working days, PROC-NOTICE)`) : "",
      " ",
      p
        ? open
          ? h("span", { class: "open" }, bi("· 公示期内，可提出异议", "· open for objections"))
          : h("span", { class: "closed" }, bi("· 异议期已结束", "· objections closed"))
        : "",
    ),
    h("p", {}, h("a", { href: `/notices/${encodeURIComponent(n.id)}` }, bi("公示原文（可打印）", "The notice as published (printable)"))),
    table,
    updates,
    form ? form.details : null,
    n.how_to_object && open ? h("p", { class: "hint" }, bi(n.how_to_object.zh, n.how_to_object.en)) : null,
  );
}

function fileToBase64(file) {
  return new Promise((resolve, reject) => {
    const fr = new FileReader();
    fr.onload = () => resolve(String(fr.result).replace(/^data:[^,]*,/, ""));
    fr.onerror = () => reject(fr.error);
    fr.readAsDataURL(file);
  });
}

// The objections service's limits (functions/objections, POST /api/objections in
// /api/openapi.json), checked here before anything is sent: lengths in characters after
// trimming, at most 3 evidence files of at most 1 MiB, PDF, JPEG or PNG.
const LIMITS = {
  name: [1, 100, "异议人姓名或单位", "Your name or organisation"],
  contact: [5, 200, "联系方式", "Contact"],
  relation: [1, 200, "与该项目的关系", "Your relation to the entry"],
  grounds: [10, 3000, "异议理由", "Grounds"],
};
const MAX_FILES = 3;
const MAX_FILE_BYTES = 1024 * 1024;
const FILE_TYPES = { pdf: "application/pdf", jpg: "image/jpeg", jpeg: "image/jpeg", png: "image/png" };

/** A file's type as the service accepts it, from its declared type or its name; or null. */
function fileType(file) {
  if (Object.values(FILE_TYPES).includes(file.type)) return file.type;
  return FILE_TYPES[(file.name.split(".").pop() || "").toLowerCase()] || null;
}

/** Every problem of the texts as typed: [{key, zh, en}] (key: the field's suffix). */
function textProblems(values) {
  const out = [];
  for (const [key, [min, max, zh, en]] of Object.entries(LIMITS)) {
    const n = [...values[key]].length;
    if (n === 0) out.push({ key, zh: `请填写${zh}。`, en: `${en}: please fill it in.` });
    else if (n < min || n > max) out.push({ key, zh: `${zh}须为 ${min} 至 ${max} 个字（现为 ${n}）。`, en: `${en} must hold ${min} to ${max} characters (it holds ${n}).` });
  }
  return out;
}

/** Every problem of the chosen evidence files, as textProblems. */
function fileProblems(files) {
  const out = [];
  if (files.length > MAX_FILES) out.push({ key: "evidence", zh: `证据文件最多 ${MAX_FILES} 个（现选了 ${files.length} 个）。`, en: `At most ${MAX_FILES} evidence files (${files.length} chosen).` });
  for (const f of files) {
    if (!fileType(f)) out.push({ key: "evidence", zh: `“${f.name}”不是 PDF、JPEG 或 PNG 文件。`, en: `“${f.name}” is not a PDF, JPEG or PNG file.` });
    if (f.size === 0) out.push({ key: "evidence", zh: `“${f.name}”是空文件。`, en: `“${f.name}” is empty.` });
    if (f.size > MAX_FILE_BYTES) {
      const mb = (f.size / MAX_FILE_BYTES).toFixed(1);
      out.push({ key: "evidence", zh: `“${f.name}”为 ${mb} MB，每个文件不能超过 1 MB。`, en: `“${f.name}” is ${mb} MB; each file may hold at most 1 MB.` });
    }
    if ([...f.name].length > 200) out.push({ key: "evidence", zh: "文件名不能超过200个字。", en: "A file name may hold at most 200 characters." });
  }
  return out;
}

/** The link that opens the objection's status (the token only in the fragment). */
function followLink(id, token) {
  return `objection.html#${new URLSearchParams({ id, token })}`;
}

let formSeq = 0;

function objectionForm(n, entries) {
  const k = ++formSeq;
  const id = (s) => `obj-${k}-${s}`;
  const label = (s, zh, en) => h("label", { for: id(s) }, bi(zh, en));
  const entry = h(
    "select",
    { id: id("entry"), name: "entry" },
    entries.filter((e) => e.status !== "removed").map((e) => h("option", { value: e.number }, `${e.number} · ${e.enterprise_name}`)),
  );
  const out = h("div", { "aria-live": "polite", class: "objection-result" });
  const f = h(
    "form",
    { class: "objection", novalidate: true },
    h("div", { class: "field" }, label("entry", "异议的项目", "Entry objected to"), entry),
    h("div", { class: "field" }, label("name", "异议人姓名或单位", "Your name or organisation"), h("input", { type: "text", id: id("name"), name: "name", required: true, maxlength: 100, autocomplete: "name" })),
    h("div", { class: "field" }, label("contact", "联系方式（电话或电子邮箱）", "Contact (phone or e-mail)"), h("input", { type: "text", id: id("contact"), name: "contact", required: true, maxlength: 200, autocomplete: "email" })),
    h("div", { class: "field" }, label("relation", "与该项目的关系", "Your relation to the entry"), h("input", { type: "text", id: id("relation"), name: "relation", required: true, maxlength: 200 })),
    h(
      "div",
      { class: "field" },
      label("grounds", "异议理由（10至3000字）", "Grounds (10 to 3000 characters)"),
      h("textarea", { id: id("grounds"), name: "grounds", required: true, minlength: 10, maxlength: 3000 }),
    ),
    h(
      "div",
      { class: "field" },
      label("evidence", "证据（可选，至多3个 PDF/JPEG/PNG 文件，每个不超过1 MB）", "Evidence (optional, up to 3 PDF/JPEG/PNG files of at most 1 MB)"),
      h("input", { type: "file", id: id("evidence"), name: "evidence", multiple: true, accept: "application/pdf,image/jpeg,image/png" }),
    ),
    h("p", { class: "hint" }, bi("异议人的个人信息不予公开（PROC-OBJECT）。", "Objectors' personal data is never published (PROC-OBJECT).")),
    h("p", {}, h("button", { type: "submit" }, bi("提交异议", "Submit the objection"))),
    out,
  );
  const v = (s) => f.querySelector(`#${id(s)}`).value.trim();
  const chosen = () => [...f.querySelector(`#${id("evidence")}`).files];
  // Every problem at once, each at its field (aria-invalid, a link to it); true when none.
  const check = () => {
    const texts = textProblems({ name: v("name"), contact: v("contact"), relation: v("relation"), grounds: v("grounds") });
    const found = [...texts, ...fileProblems(chosen())];
    for (const c of f.querySelectorAll("input, textarea")) c.removeAttribute("aria-invalid");
    for (const p of found) f.querySelector(`#${id(p.key)}`).setAttribute("aria-invalid", "true");
    if (!found.length) return true;
    put(
      out,
      h(
        "div",
        { class: "bad objection-problems", role: "alert" },
        h("p", {}, bi("请修改以下内容后再提交：", "Please correct these before sending:")),
        h("ul", {}, found.map((p) => h("li", {}, h("a", { href: `#${id(p.key)}` }, bi(p.zh, p.en))))),
      ),
    );
    return false;
  };
  // Files are checked as soon as they are chosen, before a long upload.
  f.querySelector(`#${id("evidence")}`).addEventListener("change", () => {
    if (fileProblems(chosen()).length) check();
    else put(out);
  });
  f.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!check()) {
      f.querySelector("[aria-invalid=true]")?.focus();
      return;
    }
    const files = chosen();
    const button = f.querySelector("button[type=submit]");
    button.disabled = true;
    put(out, h("p", { role: "status" }, bi("正在进行防刷校验并提交…", "Checking and submitting…")));
    try {
      const proof = await proofOfWork();
      const evidence = await Promise.all(
        files.map(async (file) => ({ file_name: file.name, content_type: file.type || "application/octet-stream", data_base64: await fileToBase64(file) })),
      );
      const r = await api("POST", "/api/objections", {
        notice_id: n.id,
        entry: Number(entry.value),
        objector: { name: v("name"), contact: v("contact"), relation: v("relation") },
        grounds: v("grounds"),
        evidence,
        ...(proof ? { proof } : {}),
      });
      if (r.status === 201) {
        const b = r.body;
        const link = new URL(followLink(b.tracking_number, b.token), location.href).href;
        const receipt = h(
          "div",
          { class: "keep objection-receipt", tabindex: "-1", id: `objection-receipt-${k}` },
          h("h3", {}, bi("异议回执", "Objection receipt")),
          h("p", {}, bi("异议已受理。受理编号：", "Objection received. Tracking number: "), h("code", { class: "token tracking-number" }, b.tracking_number)),
          h("p", {}, bi("回执令牌（仅显示这一次）：", "Receipt token (shown only this once): "), h("code", { class: "token receipt-token" }, b.token)),
          h("p", {}, bi(`提出时间：${moment(b.filed_at)}；异议的项目：第${b.entry}项。`, `Filed ${moment(b.filed_at)}; entry ${b.entry}.`)),
          h("p", {}, h("strong", {}, bi(b.message_zh, b.message_en))),
          h("p", {}, h("a", { href: followLink(b.tracking_number, b.token), class: "follow" }, bi("查询这件异议的进度 →", "Follow this objection →"))),
          copyButton(`${b.tracking_number} ${b.token} ${link}`, "复制编号、令牌和查询链接", "Copy the number, token and link"),
          " ",
          printButton(() => receipt),
        );
        put(out, receipt);
        receipt.focus();
      } else {
        put(out, h("p", { class: "bad", role: "alert" }, errorMessage(r.body)));
      }
    } catch (e) {
      put(out, h("p", { class: "bad", role: "alert" }, bi("网络不可用，请稍后重试。", "The network is unavailable; please try again."), ` (${e})`));
    } finally {
      button.disabled = false;
    }
  });
  const details = h(
    "details",
    { class: "objection-box" },
    h("summary", {}, bi("提出异议（公示期内）", "Object to an entry (during the notice period)")),
    f,
  );
  return { details, entry };
}

// The proof of work an objection carries (PROC-OBJECT, against floods): a nonce whose
// SHA-256 with the service's challenge starts with `bits` zero bits, tried in batches with
// WebCrypto (about a second at the default 16 bits). None when the service asks for none.
async function proofOfWork() {
  const r = await api("GET", "/api/objections/challenge");
  if (r.status !== 200) throw new Error(`challenge: ${r.status}`);
  const { challenge, bits } = r.body;
  if (!bits) return undefined;
  const enc = new TextEncoder();
  const batch = 256;
  for (let base = 0; ; base += batch) {
    const digests = await Promise.all(
      Array.from({ length: batch }, (_, i) => crypto.subtle.digest("SHA-256", enc.encode(`${challenge}:${base + i}`))),
    );
    const found = digests.findIndex((d) => zeroBits(new Uint8Array(d)) >= bits);
    if (found >= 0) return { challenge, nonce: String(base + found) };
  }
}

function zeroBits(bytes) {
  let n = 0;
  for (const b of bytes) {
    if (b !== 0) return n + Math.clz32(b) - 24;
    n += 8;
  }
  return n;
}

main();
