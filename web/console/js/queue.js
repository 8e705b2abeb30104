// The office's console: a round's applications by stage and what each waits for (documents
// missing, the review not begun, department opinions outstanding, the credit report not
// recorded), filtered by status and by what it waits for, searched by enterprise name,
// credit code or application number — all in the page, over GET /api/applications.
// The round is ?year=, else the current one (GET /api/rounds/current); the filters live in
// the address (?year=&status=&waits=&q=) so a link or a reload keeps them.
//
// Ids a test uses:
//   #queue-year (select of rounds), #queue-round (the round's stage and window),
//   #queue-message[data-state] (loaded: done; refused), #queue-stages with
//   #queue-stage-<status> (a count per status; a click filters), #queue-filter-status,
//   #queue-filter-waits, #queue-search, #queue-count (shown / all), #queue-total,
//   #queue-table, #queue-row-<ID> (data-status, data-waits), #queue-open-<ID> (its link)

import { initConsole, call, load, yuan, sumMoney, moneyCell, table, field, options, ph, moment, h, bi, put } from "./session.js";
import { STATUS, WAITS, DOC_KINDS, label, labels } from "./review-kit.js";

const state = { year: null, apps: [], hasWaits: false };

const params = () => new URLSearchParams(location.search);

function setParam(name, value) {
  const p = params();
  if (value) p.set(name, value);
  else p.delete(name);
  const q = p.toString();
  history.replaceState(null, "", `${location.pathname}${q ? `?${q}` : ""}${location.hash}`);
}

/** Letters and digits only, lower case: "9111 0109-MA01" finds "91110109MA01…". */
const squash = (s) => String(s ?? "").toLowerCase().replace(/[\s\-_.·/]/g, "");

function waitsOf(a) {
  if (!Array.isArray(a.waits_for)) return null;
  return a.waits_for.length ? a.waits_for : ["nothing"];
}

function waitsCell(a) {
  const w = waitsOf(a);
  if (!w) return h("td", { class: "muted" }, "—");
  return h("td", { class: "waits" }, h("ul", { class: "plain" }, w.map((k) => {
    const missing = k === "documents" && Array.isArray(a.missing_documents) && a.missing_documents.length
      ? [bi("：", ": "), labels(DOC_KINDS, a.missing_documents)]
      : null;
    return h("li", { class: `wait wait-${k}`, "data-wait": k }, label(WAITS, k), missing);
  })));
}

function row(a) {
  const link = `application.html#id=${encodeURIComponent(a.id)}`;
  const w = waitsOf(a);
  return h("tr", { id: `queue-row-${a.id}`, "data-status": a.status, "data-waits": w ? w.join(" ") : "" },
    h("th", { scope: "row" }, h("a", { href: link, id: `queue-open-${a.id}` }, a.id)),
    h("td", {}, a.enterprise_name),
    h("td", {}, h("a", { href: `enterprise.html#code=${encodeURIComponent(a.credit_code)}&name=${encodeURIComponent(a.enterprise_name)}` }, h("code", {}, a.credit_code))),
    moneyCell(a.amount),
    h("td", {}, moment(a.submitted_at)),
    h("td", { class: `status status-${a.status}` }, label(STATUS, a.status)),
    waitsCell(a));
}

/** The rows the filters and the search let through. */
function shown() {
  const status = document.getElementById("queue-filter-status").value;
  const waits = document.getElementById("queue-filter-waits").value;
  const q = squash(document.getElementById("queue-search").value.trim());
  const rawQ = document.getElementById("queue-search").value.trim().toLowerCase();
  return state.apps.filter((a) => {
    if (status && a.status !== status) return false;
    if (waits) {
      const w = waitsOf(a);
      if (!w || !w.includes(waits)) return false;
    }
    if (q) {
      const hay = [squash(a.enterprise_name), squash(a.credit_code), squash(a.id)];
      if (!hay.some((x) => x.includes(q)) && !String(a.enterprise_name).toLowerCase().includes(rawQ)) return false;
    }
    return true;
  });
}

function draw() {
  const list = shown();
  const tbody = document.querySelector("#queue-table tbody");
  put(tbody, list.length ? list.map(row) : h("tr", { id: "queue-empty" }, h("td", { colspan: 7, class: "hint" },
    state.apps.length ? bi("没有符合筛选条件的申报。", "No application matches the filters.") : bi("本年度还没有申报。", "No application in this round yet."))));
  const c = document.getElementById("queue-count");
  c.dataset.shown = String(list.length);
  c.dataset.all = String(state.apps.length);
  put(c, bi(`显示 ${list.length} / 共 ${state.apps.length} 件`, `${list.length} of ${state.apps.length} shown`));
  const total = sumMoney(list.map((a) => a.amount));
  const t = document.getElementById("queue-total");
  t.dataset.amount = total;
  put(t, bi("显示的申报金额合计：", "Amount of those shown: "), yuan(total));
}

function drawStages() {
  const counts = new Map();
  for (const a of state.apps) counts.set(a.status, (counts.get(a.status) || 0) + 1);
  const waitCounts = new Map();
  for (const a of state.apps) for (const w of waitsOf(a) || []) waitCounts.set(w, (waitCounts.get(w) || 0) + 1);
  const status = document.getElementById("queue-filter-status");
  const waits = document.getElementById("queue-filter-waits");
  put(document.getElementById("queue-stages"),
    h("ul", { class: "stages" },
      STATUS.filter(([s]) => counts.has(s)).map(([s, zh, en]) => h("li", {},
        h("button", { type: "button", class: "secondary small", id: `queue-stage-${s}`, "data-count": counts.get(s),
          onclick: () => { status.value = s; status.dispatchEvent(new Event("change")); } },
          bi(zh, en), " ", h("strong", {}, String(counts.get(s))))))),
    state.hasWaits ? h("ul", { class: "stages" },
      WAITS.filter(([k]) => waitCounts.has(k)).map(([k, zh, en]) => h("li", {},
        h("button", { type: "button", class: "secondary small", id: `queue-waits-${k}`, "data-count": waitCounts.get(k),
          onclick: () => { waits.value = k; waits.dispatchEvent(new Event("change")); } },
          bi(zh, en), " ", h("strong", {}, String(waitCounts.get(k))))))) : null);
}

async function loadRound(year) {
  const msg = document.getElementById("queue-message");
  state.year = year;
  const round = await load(msg, `/api/rounds/${year}`);
  if (!round) return;
  put(document.getElementById("queue-round"),
    h("span", { "data-stage": round.stage }, bi(`${round.year} 年度 · ${round.stage_zh}`, `${round.year} · ${round.stage_en}`)),
    bi(" · 申报期 ", " · window "), moment(round.window.opens_at), " – ", moment(round.window.closes_at),
    bi(" · 预算 ", " · budget "), yuan(round.budget));
  const body = await load(msg, `/api/applications?round=${year}`);
  if (!body) return;
  state.apps = [...body.applications].sort((a, b) => String(a.submitted_at).localeCompare(String(b.submitted_at)));
  state.hasWaits = state.apps.some((a) => Array.isArray(a.waits_for));
  const waits = document.getElementById("queue-filter-waits");
  waits.disabled = state.apps.length > 0 && !state.hasWaits;
  document.getElementById("queue-waits-hint").hidden = !waits.disabled;
  drawStages();
  draw();
  put(msg, h("p", { class: "hint" }, bi(`已加载 ${state.apps.length} 件申报。`, `${state.apps.length} application(s) loaded.`)));
  msg.dataset.state = "done";
}

async function main() {
  const s = await initConsole();
  if (!s) return;
  const p = params();
  const filters = document.getElementById("queue-filters");
  const yearSel = h("select", { id: "queue-year" });
  const status = h("select", { id: "queue-filter-status" },
    options(STATUS, p.get("status") || "", ["全部状态", "Every status"]));
  const waits = h("select", { id: "queue-filter-waits" },
    options(WAITS, p.get("waits") || "", ["全部", "Anything"]));
  const search = h("input", { type: "search", id: "queue-search", value: p.get("q") || "", autocomplete: "off", spellcheck: "false",
    ...ph("企业名称、统一社会信用代码或申报编号", "Enterprise name, credit code or application number") });
  put(filters,
    field("年度", "Round", yearSel),
    field("状态", "Status", status),
    field("等待事项", "Waits for", waits,
      h("span", { id: "queue-waits-hint", hidden: true }, bi("服务尚未提供等待事项。", "The service does not give this yet."))),
    field("搜索", "Search", search));
  filters.addEventListener("submit", (e) => e.preventDefault());
  status.addEventListener("change", () => { setParam("status", status.value); draw(); });
  waits.addEventListener("change", () => { setParam("waits", waits.value); draw(); });
  search.addEventListener("input", () => { setParam("q", search.value.trim()); draw(); });

  const heads = [["申报编号", "Application"], ["企业名称", "Enterprise"], ["统一社会信用代码", "Credit code"],
    ["申报金额", "Amount", "num"], ["提交时间", "Submitted"], ["状态", "Status"], ["等待", "Waits for"]];
  put(document.getElementById("queue-list"), table("queue-table", heads, []));

  const msg = document.getElementById("queue-message");
  let year = Number(p.get("year")) || null;
  const rounds = await call("GET", "/api/rounds").catch(() => null);
  const list = rounds && rounds.status === 200 ? rounds.body.rounds : [];
  if (!year) {
    const cur = await call("GET", "/api/rounds/current").catch(() => null);
    if (cur && cur.status === 200) year = cur.body.year;
    else if (list.length) year = list[0].year;
  }
  if (!year) {
    put(msg, h("p", { class: "hint" }, bi("还没有申报年度。", "There is no round yet.")));
    msg.dataset.state = "done";
    return;
  }
  if (!list.some((r) => r.year === year)) list.unshift({ year, stage_zh: "", stage_en: "" });
  put(yearSel, options(list.map((r) => [String(r.year), `${r.year} ${r.stage_zh || ""}`.trim(), `${r.year} ${r.stage_en || ""}`.trim()]), String(year)));
  yearSel.addEventListener("change", () => {
    setParam("year", yearSel.value);
    loadRound(Number(yearSel.value));
  });
  await loadRound(year);
}

main();
