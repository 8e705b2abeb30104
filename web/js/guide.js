// The guide (办事指南): the policy's conditions, materials, process and time limits are the
// page itself; this year's guide — its title, document number (文号), approval and dates —
// comes from GET /api/rounds (newest first) into the places the page keeps for it.

import { api, bi, h, initPage, money, put } from "./common.js";

initPage();

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** "2026-04-01…" → ["2026年4月1日", "1 April 2026"] (the time, if any, after it). */
function day(s) {
  const m = /^(\d{4})-(\d\d)-(\d\d)(?:T(\d\d:\d\d))?/.exec(String(s || ""));
  if (!m) return [String(s || "—"), String(s || "—")];
  const [, y, mo, d, t] = m;
  const at = t ? ` ${t}` : "";
  return [`${y}年${Number(mo)}月${Number(d)}日${at}`, `${Number(d)} ${MONTHS[Number(mo) - 1]} ${y}${at}`];
}

const range = (a, b) => {
  const [az, ae] = day(a);
  const [bz, be] = day(b);
  return bi(`${az} 至 ${bz}`, `${ae} to ${be}`);
};

async function main() {
  const el = (id) => document.getElementById(id);
  let rounds = [];
  try {
    const r = await api("GET", "/api/rounds");
    if (r.status === 200 && r.body) rounds = r.body.rounds || [];
  } catch (_) {
    put(el("guide-title"), bi("网络不可用，无法加载本年度申报指南。", "The network is unavailable; this year's guide cannot be shown."));
    return;
  }
  const g = rounds[0];
  if (!g) {
    put(el("guide-title"), bi("本年度申报指南尚未发布。", "This year's guide has not been issued yet."));
    return;
  }
  const guide = g.guide || {};
  el("year").dataset.year = g.year;
  put(el("guide-title"), guide.title || bi(`${g.year}年度申报指南`, `${g.year} application guide`));
  put(el("guide-reference"), g.guide_reference || "—");
  const approval = guide.approval;
  put(el("guide-approval"), approval ? bi(`${day(approval.approved_on)[0]}，${approval.reference}`, `${day(approval.approved_on)[1]}, ${approval.reference}`) : "—");
  put(el("guide-window"), range(g.window.opens_at, g.window.closes_at), bi("，逾期不予受理", "; late applications are not accepted"));
  put(el("time-window"), range(g.window.opens_at, g.window.closes_at), bi("（北京时间）", " (Beijing time)"));
  put(el("guide-covered"), bi("最终还款日在 ", "Final repayment from "), range(g.covered_period.from, g.covered_period.to));
  put(el("guide-budget"), bi(`${money(g.budget)} 元`, `${money(g.budget)} CNY`));
  put(el("guide-stage"), bi(g.stage_zh || g.stage, g.stage_en || g.stage));
  // Only a web address is a link (the guide's URL is the office's entry, shown as given).
  put(
    el("guide-link"),
    /^https?:\/\//.test(guide.url || "") ? h("a", { href: guide.url, rel: "noopener" }, guide.title || guide.url) : guide.url || "—",
  );
  if ((guide.materials || []).length) {
    put(el("guide-materials"), bi(`${g.year}年度申报指南所列材料：${guide.materials.join("、")}。`, `Documents this year's guide lists: ${guide.materials.join(", ")}.`));
  }
  const earlier = rounds.slice(1).filter((r) => r.guide_reference);
  if (earlier.length) {
    put(
      el("guide-earlier"),
      bi("往年申报指南：", "Earlier guides: "),
      earlier.map((r, i) => [i ? "；" : "", `${r.year} ${r.guide_reference}`]),
    );
  }
}

main();
