// Sign-in: the person's user name and password (POST /api/session); on success to `?next=`
// when it is a console page, else the dashboard.
//
// Ids a test uses: #signin-username, #signin-password, #signin-submit, #signin-status
// (data-state "pending" → "done" | "refused"; data-code "sign_in_failed" | "too_many_requests"),
// #signin-current (shown when a session is already open).

import { api, bi, h, initPage, put, errorMessage } from "../../js/common.js";

initPage();

const form = document.getElementById("signin-form");
const user = document.getElementById("signin-username");
const pass = document.getElementById("signin-password");
const submit = document.getElementById("signin-submit");
const out = document.getElementById("signin-status");

/** The page to go to after signing in: `?next=` when it is a console path on this site. */
function next() {
  const n = new URLSearchParams(location.search).get("next");
  if (n && /^\/console\/[A-Za-z0-9._\-/]*(\?[^#\\]*)?(#.*)?$/.test(n) && !n.includes("//") && !n.includes("..")) {
    const path = n.split(/[?#]/)[0];
    if (path !== "/console/" && path !== "/console/index.html") return n;
  }
  return "/console/dashboard.html";
}

/** The session already open in this browser (its CSRF token for the new sign-in), if any. */
let open = null;

async function check() {
  try {
    const r = await api("GET", "/api/session");
    if (r.status === 200 && r.body && r.body.account) {
      open = r.body;
      const note = h("p", { id: "signin-current", class: "panel" },
        bi(`您已以 ${open.account.display_name}（${open.account.username}）登录。`,
          `You are signed in as ${open.account.display_name} (${open.account.username}). `),
        h("a", { href: next() }, bi("进入工作台", "Go to the console")),
        bi("；或在下方以其他账户登录。", "; or sign in as someone else below."));
      form.before(note);
    }
  } catch (_) {
    /* nobody signed in, or offline: the form says so on submit */
  }
}

function say(state, code, ...children) {
  out.dataset.state = state;
  put(out, h("div", { class: state === "refused" ? "bad refusal" : "ok", role: state === "refused" ? "alert" : "status", "data-code": code }, ...children));
}

form.addEventListener("submit", async (e) => {
  e.preventDefault();
  const username = user.value.trim();
  const password = pass.value;
  user.toggleAttribute("aria-invalid", !username);
  pass.toggleAttribute("aria-invalid", !password);
  if (!username || !password) {
    say("refused", "missing", h("p", {}, bi("请填写用户名和密码。", "Enter your user name and password.")));
    (username ? pass : user).focus();
    return;
  }
  out.dataset.state = "pending";
  put(out, h("p", { role: "status" }, bi("正在登录…", "Signing in…")));
  submit.disabled = true;
  let res;
  let body = null;
  try {
    const headers = { "content-type": "application/json" };
    if (open) headers["x-csrf-token"] = open.csrf_token;
    res = await fetch("/api/session", {
      method: "POST",
      headers,
      credentials: "same-origin",
      body: JSON.stringify({ username, password }),
    });
    const text = await res.text();
    try {
      body = text ? JSON.parse(text) : null;
    } catch (_) {
      body = null;
    }
  } catch (_) {
    submit.disabled = false;
    say("refused", "network", h("p", {}, bi("网络不可用，请稍后重试。", "The network is unavailable; please try again.")));
    return;
  }
  submit.disabled = false;
  if (res.status === 200 && body && body.account) {
    say("done", "signed_in", h("p", {}, bi(`欢迎，${body.account.display_name}。正在进入…`, `Welcome, ${body.account.display_name}. Opening the console…`)));
    location.href = next();
    return;
  }
  pass.value = "";
  if (res.status === 401) {
    say("refused", "sign_in_failed",
      h("p", {}, bi("用户名或密码不正确，请重新输入。", "The user name or password is wrong; please try again.")),
      h("p", { class: "hint" }, bi("连续 5 次错误后，该账户将暂停登录 15 分钟。", "After 5 failures the account cannot sign in for 15 minutes.")));
    pass.focus();
    return;
  }
  if (res.status === 429) {
    const after = Number(res.headers.get("retry-after"));
    const minutes = Number.isFinite(after) && after > 0 ? Math.ceil(after / 60) : 15;
    say("refused", "too_many_requests",
      h("p", {}, bi(`该账户登录失败次数过多，已暂停登录。请约 ${minutes} 分钟后再试，或联系管理员。`,
        `Too many failed sign-ins for this account: signing in is paused. Try again in about ${minutes} minute${minutes === 1 ? "" : "s"}, or ask an administrator.`)),
      body && body.error ? h("p", { class: "hint" }, errorMessage(body)) : null);
    return;
  }
  say("refused", body && body.error ? body.error.code : "error", h("p", {}, errorMessage(body)));
});

check();
