// Accounts and the audit log: everyone changes their own password and keeps their own API
// tokens; administrators create, disable, enable accounts, change roles, reset passwords;
// administrators and auditors read every account and the audit log.
//
// Ids a test uses:
//   #me-facts; #password-current, #password-new, #password-confirm, #password-submit,
//     #password-status (data-state)
//   #token-label, #token-create, #token-status (data-state; #token-value holds the new token
//     once, #token-copy copies it), #tokens-table (tr[data-id]), #token-<id>-revoke
//   #account-create-username, #account-create-display-name, #account-create-role
//     (officer|admin|auditor), #account-create-password, #account-create-submit,
//     #account-create-status (data-state)
//   #accounts-table (tr[data-username][data-disabled]), #account-<username>-disable /
//     #account-<username>-enable, #account-<username>-role + #account-<username>-role-save,
//     #account-<username>-password + #account-<username>-reset, #account-action-status (data-state)
//   #audit-actor, #audit-subject, #audit-action, #audit-search, #audit-table (#audit-rows:
//     tr[data-id][data-actor][data-action]), #audit-older, #audit-status (data-state)

import {
  initConsole, call, can, me, act, succeeded, done, load, problem, bi, h, put, moment, copyButton, table, ROLES, ruleLinks,
} from "./session.js";

const $ = (id) => document.getElementById(id);

async function main() {
  const s = await initConsole();
  if (!s) return;
  drawMe();
  wirePassword();
  wireTokens();
  await loadTokens();
  if (can("admin", "auditor")) {
    $("accounts-section").hidden = false;
    $("audit-section").hidden = false;
    if (can("admin")) wireCreate();
    wireAudit();
    await Promise.all([loadAccounts(), loadAudit(false)]);
  }
}

function roleName(role) {
  const r = ROLES[role] || [role, role];
  return bi(r[0], r[1]);
}

function drawMe() {
  const a = me();
  put($("me-facts"),
    h("dt", {}, bi("用户名", "User name")), h("dd", { id: "me-username" }, a.username),
    h("dt", {}, bi("姓名", "Name")), h("dd", {}, a.display_name),
    h("dt", {}, bi("角色", "Role")), h("dd", { id: "me-role", "data-role": a.role }, roleName(a.role)));
}

// ---- My password -----------------------------------------------------------------------

function wirePassword() {
  const cur = $("password-current");
  const neu = $("password-new");
  const again = $("password-confirm");
  const out = $("password-status");
  $("password-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    for (const el of [cur, neu, again]) el.removeAttribute("aria-invalid");
    if (!cur.value) {
      cur.setAttribute("aria-invalid", "true");
      return problem(out, "请输入当前密码。", "Enter your current password.");
    }
    if ([...neu.value].length < 12) {
      neu.setAttribute("aria-invalid", "true");
      return problem(out, "新密码至少 12 个字符。", "The new password needs 12 characters at least.");
    }
    if (neu.value !== again.value) {
      again.setAttribute("aria-invalid", "true");
      return problem(out, "两次输入的新密码不一致。", "The two new passwords differ.");
    }
    const r = await act(out, $("password-submit"),
      () => call("POST", "/api/session/password", { current_password: cur.value, new_password: neu.value }),
      () => done("密码已修改。", "Your password is changed."));
    if (succeeded(r)) {
      cur.value = "";
      neu.value = "";
      again.value = "";
    }
    return undefined;
  });
}

// ---- My API tokens ---------------------------------------------------------------------

function wireTokens() {
  const label = $("token-label");
  const out = $("token-status");
  $("token-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    label.toggleAttribute("aria-invalid", !label.value.trim());
    if (!label.value.trim()) {
      label.focus();
      return problem(out, "请填写令牌的用途。", "Give the token a label.");
    }
    const r = await act(out, $("token-create"), () => call("POST", "/api/session/tokens", { label: label.value.trim() }), (t) => {
      const copy = copyButton(t.token, "复制令牌", "Copy the token");
      copy.id = "token-copy";
      return h("div", { class: "keep", role: "status", id: "token-created", "data-id": t.id },
        h("p", {}, h("strong", {}, bi(`令牌“${t.label}”已创建。请立即复制保存：关闭本页后将无法再次查看。`,
          `Token “${t.label}” created. Copy it now: it cannot be shown again once you leave this page.`))),
        h("p", {}, h("code", { class: "token", id: "token-value" }, t.token), " ", copy));
    });
    if (r && r.status === 201) {
      label.value = "";
      await loadTokens();
    }
    return undefined;
  });
}

async function loadTokens() {
  const box = $("tokens-list");
  const body = await load(box, "/api/session/tokens");
  if (!body) return;
  const tokens = body.tokens || [];
  if (!tokens.length) {
    put(box, h("p", { class: "muted", id: "tokens-none" }, bi("还没有令牌。", "No token yet.")));
    return;
  }
  put(box, table("tokens-table", [["用途", "Label"], ["创建时间", "Created"], ["状态", "State"], ["", ""]], tokens.map((t) => {
    const revoke = t.revoked_at ? null : h("button", { type: "button", class: "secondary danger", id: `token-${t.id}-revoke` }, bi("撤销", "Revoke"));
    if (revoke) {
      revoke.addEventListener("click", async () => {
        const x = await act($("token-status"), revoke, () => call("DELETE", `/api/session/tokens/${encodeURIComponent(t.id)}`),
          () => done(`令牌“${t.label}”已撤销。`, `Token “${t.label}” revoked.`));
        if (succeeded(x)) await loadTokens();
      });
    }
    return h("tr", { "data-id": t.id, "data-revoked": String(!!t.revoked_at) },
      h("th", { scope: "row" }, t.label),
      h("td", {}, moment(t.created_at)),
      h("td", {}, t.revoked_at ? bi(`已于 ${moment(t.revoked_at)} 撤销`, `revoked ${moment(t.revoked_at)}`) : h("span", { class: "ok" }, bi("有效", "active"))),
      h("td", {}, revoke));
  })));
}

// ---- Accounts (administrators; auditors read) --------------------------------------------

function wireCreate() {
  const form = $("account-create-form");
  form.hidden = false;
  const f = (k) => $(`account-create-${k}`);
  const out = f("status");
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const username = f("username").value.trim();
    const name = f("display-name").value.trim();
    const password = f("password").value;
    const badUser = !/^[a-z0-9._-]{3,32}$/.test(username);
    const badPass = [...password].length < 12;
    f("username").toggleAttribute("aria-invalid", badUser);
    f("display-name").toggleAttribute("aria-invalid", !name);
    f("password").toggleAttribute("aria-invalid", badPass);
    if (badUser) return problem(out, "用户名须为 3–32 位小写字母、数字或 . _ -。", "The user name must be 3–32 of a–z, 0–9, '.', '_', '-'.");
    if (!name) return problem(out, "请填写姓名。", "Enter the person's name.");
    if (badPass) return problem(out, "初始密码至少 12 个字符。", "The initial password needs 12 characters at least.");
    const r = await act(out, f("submit"),
      () => call("POST", "/api/accounts", { username, display_name: name, role: f("role").value, password }),
      (a) => done(`已创建账户 ${a.username}（${a.display_name}，${(ROLES[a.role] || [a.role])[0]}）。`,
        `Account ${a.username} created (${a.display_name}, ${(ROLES[a.role] || [a.role, a.role])[1]}).`));
    if (r && r.status === 201) {
      f("username").value = "";
      f("display-name").value = "";
      f("password").value = "";
      await Promise.all([loadAccounts(), loadAudit(false)]);
    }
    return undefined;
  });
}

async function loadAccounts() {
  const box = $("accounts-list");
  const body = await load(box, "/api/accounts");
  if (!body) return;
  const admin = can("admin");
  const self = me().username;
  const head = [["用户名", "User name"], ["姓名", "Name"], ["角色", "Role"], ["状态", "State"], ["创建", "Created"]];
  if (admin) head.push(["操作", "Actions"]);
  put(box, table("accounts-table", head, (body.accounts || []).map((a) => h("tr", { "data-username": a.username, "data-disabled": String(!!a.disabled), "data-role": a.role },
    h("th", { scope: "row" }, h("code", {}, a.username)),
    h("td", {}, a.display_name),
    h("td", {}, roleName(a.role)),
    h("td", { id: `account-${a.username}-state` }, a.disabled ? h("span", { class: "bad" }, bi("已停用", "disabled")) : h("span", { class: "ok" }, bi("启用", "active"))),
    h("td", {}, moment(a.created_at), a.created_by ? h("div", { class: "muted" }, a.created_by) : null),
    admin ? h("td", { class: "row-actions" }, actions(a, a.username === self)) : null))));
}

/** An administrator's controls on one account. */
function actions(a, self) {
  const u = a.username;
  const out = $("account-action-status");
  const after = async (r) => {
    if (succeeded(r)) await Promise.all([loadAccounts(), loadAudit(false)]);
  };
  const toggle = h("button", { type: "button", class: a.disabled ? "secondary" : "secondary danger", id: `account-${u}-${a.disabled ? "enable" : "disable"}`, disabled: self && !a.disabled },
    a.disabled ? bi("启用", "Enable") : bi("停用", "Disable"));
  toggle.addEventListener("click", async () => after(await act(out, toggle,
    () => call("POST", `/api/accounts/${encodeURIComponent(u)}`, { disabled: !a.disabled }),
    (x) => done(x.disabled ? `已停用 ${u}：其登录会话与令牌立即失效。` : `已启用 ${u}。`,
      x.disabled ? `${u} disabled: their sessions and tokens stop at once.` : `${u} enabled.`))));

  const role = h("select", { id: `account-${u}-role`, "aria-label": `${u} role` },
    ["officer", "admin", "auditor"].map((x) => h("option", { value: x, selected: x === a.role }, `${ROLES[x][0]} · ${ROLES[x][1]}`)));
  const saveRole = h("button", { type: "button", class: "secondary", id: `account-${u}-role-save` }, bi("改角色", "Set role"));
  saveRole.addEventListener("click", async () => after(await act(out, saveRole,
    () => call("POST", `/api/accounts/${encodeURIComponent(u)}`, { role: role.value }),
    (x) => done(`${u} 的角色已改为${(ROLES[x.role] || [x.role])[0]}。`, `${u} is now ${(ROLES[x.role] || [x.role, x.role])[1]}.`))));

  const pass = h("input", { type: "password", id: `account-${u}-password`, autocomplete: "new-password", minlength: 12, "aria-label": `${u} new password`, placeholder: "≥ 12" });
  const reset = h("button", { type: "button", class: "secondary", id: `account-${u}-reset` }, bi("重置密码", "Reset password"));
  reset.addEventListener("click", async () => {
    if ([...pass.value].length < 12) {
      pass.setAttribute("aria-invalid", "true");
      pass.focus();
      return problem(out, `${u}：新密码至少 12 个字符。`, `${u}: the new password needs 12 characters at least.`);
    }
    pass.removeAttribute("aria-invalid");
    const r = await act(out, reset, () => call("POST", `/api/accounts/${encodeURIComponent(u)}`, { password: pass.value }),
      () => done(`已重置 ${u} 的密码，请当面或经安全渠道告知本人。`, `${u}'s password is reset; tell them in person or by a safe channel.`));
    if (r && r.status === 200) pass.value = "";
    return after(r);
  });
  return h("div", { class: "actions" },
    h("span", { class: "act" }, toggle),
    h("span", { class: "act" }, role, saveRole),
    h("span", { class: "act" }, pass, reset));
}

// ---- The audit log -----------------------------------------------------------------------

let oldest = null;

function wireAudit() {
  $("audit-form").addEventListener("submit", (e) => {
    e.preventDefault();
    loadAudit(false);
  });
  $("audit-older").addEventListener("click", () => loadAudit(true));
}

/** Reads the log with the filters: from the newest, or (`older`) the page before `oldest`. */
async function loadAudit(older) {
  const out = $("audit-status");
  const rows = $("audit-rows");
  const q = new URLSearchParams();
  for (const k of ["actor", "subject", "action"]) {
    const v = $(`audit-${k}`).value.trim();
    if (v) q.set(k, v);
  }
  q.set("limit", "100");
  if (older && oldest !== null) q.set("before", String(oldest));
  const button = $("audit-older");
  button.disabled = true;
  const body = await load(out, `/api/audit?${q}`, "正在读取日志…", "Reading the log…");
  button.disabled = false;
  if (!body) return;
  const entries = body.entries || [];
  if (!older) put(rows);
  for (const e of entries) rows.append(entryRow(e));
  if (entries.length) oldest = entries[entries.length - 1].id;
  button.hidden = entries.length < 100;
  const shown = rows.children.length;
  put(out, h("p", { role: "status", class: "muted" }, bi(`显示 ${shown} 条记录${entries.length < 100 ? "（已到最早）" : ""}。`,
    `${shown} entries shown${entries.length < 100 ? " (back to the first)" : ""}.`)));
  out.dataset.state = "done";
}

/** An entry's time in Beijing time, like every other time in the console: entries are
 *  kept in Beijing time (+08:00); those an earlier version wrote, in UTC ("…Z"). */
function beijing(at) {
  const t = Date.parse(at);
  if (!/Z$/.test(String(at)) || Number.isNaN(t)) return moment(at);
  return new Date(t + 8 * 3600 * 1000).toISOString().slice(0, 16).replace("T", " ");
}

function entryRow(e) {
  let detail = "";
  if (e.detail !== null && e.detail !== undefined) {
    const text = typeof e.detail === "string" ? e.detail : JSON.stringify(e.detail);
    detail = text.length > 160 ? h("details", {}, h("summary", {}, h("code", {}, `${text.slice(0, 80)}…`)), h("pre", { class: "detail" }, JSON.stringify(e.detail, null, 2))) : h("code", {}, text);
  }
  const person = e.actor_name;
  return h("tr", { "data-id": e.id, "data-actor": e.actor, "data-action": e.action },
    h("td", { class: "nowrap" }, h("time", { datetime: e.at }, beijing(e.at))),
    h("td", { class: "actor" }, person ? [h("strong", {}, person), h("div", { class: "muted" }, e.actor)] : h("code", {}, e.actor)),
    h("td", {}, h("code", {}, e.action), e.component ? h("div", { class: "muted" }, e.component) : null),
    h("td", {}, e.subject ? h("code", {}, e.subject) : "—"),
    h("td", {}, ruleLinks(e.rule_ids, " ")),
    h("td", { class: "detail" }, detail));
}

main();
