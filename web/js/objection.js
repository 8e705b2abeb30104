// An objection's status for its objector: the tracking number and the receipt token, typed
// or brought in the URL's fragment (objection.html#id=…&token=…, which never reaches a
// server or a log), sent as the Authorization header the API asks for.

import { bi, fact as row, filled, getWithToken, h, initPage, moment, money, put } from "./common.js";

initPage();

const form = document.getElementById("objection-form");
const idEl = document.getElementById("objection-id");
const tokenEl = document.getElementById("objection-token");
const out = document.getElementById("objection-result");

async function lookUp() {
  const id = idEl.value.trim();
  const token = tokenEl.value.trim();
  if (!filled(out, [idEl, tokenEl], "请填写受理编号和回执令牌。", "Enter the tracking number and the receipt token.")) return;
  const o = await getWithToken(out, `/api/objections/${encodeURIComponent(id)}`, token);
  if (o) show(o);
}

function show(o) {
  const c = o.conclusion;
  put(
    out,
    h(
      "div",
      { class: "panel", id: "objection-view", "data-status": o.status },
      h("h2", {}, bi(`异议 ${o.tracking_number}`, `Objection ${o.tracking_number}`)),
      h(
        "dl",
        { class: "facts" },
        row("处理状态", "Status", h("strong", { id: "objection-status" }, bi(o.status_zh, o.status_en))),
        row("异议的项目", "Entry objected to", h("a", { href: `/notices/${encodeURIComponent(o.notice_id)}` }, bi(`${o.notice_id} 第${o.entry}项`, `${o.notice_id}, entry ${o.entry}`))),
        row("提出时间", "Filed", moment(o.filed_at)),
        c ? row("重审结论时间", "Re-review concluded", moment(c.concluded_at)) : null,
        c && c.new_amount ? row("调整后的补助金额", "Amount after re-review", bi(`${money(c.new_amount)} 元`, `${money(c.new_amount)} CNY`)) : null,
        c ? row("重审理由", "Reasons", bi(c.reasons_zh || "—", c.reasons_en || "—")) : null,
        c && c.notice_update_url ? row("公示更新", "Published in the notice", h("a", { href: c.notice_update_url }, bi("查看公示中的重审结论", "The conclusion in the notice"))) : null,
      ),
      c ? null : h("p", { class: "hint" }, bi("区知识产权局重审后在公示中公布重审结论，届时本页显示结论。", "The IP office publishes its re-review conclusion in the notice; this page shows it then.")),
    ),
  );
}

form.addEventListener("submit", (ev) => {
  ev.preventDefault();
  lookUp();
});

// Arriving from the receipt's link: the fragment fills the form and opens the status.
const given = new URLSearchParams(location.hash.slice(1));
if (given.get("id") && given.get("token")) {
  idEl.value = given.get("id");
  tokenEl.value = given.get("token");
  lookUp();
}
