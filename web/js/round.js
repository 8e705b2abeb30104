// The open round (window, covered period, budget, extra key industries): from the API,
// remembered in localStorage so the pre-check still knows it offline.

import { api } from "./common.js";

const KEY = "mentougou-round";

/** The rules crate's Round from the API's view of it (unknown fields are refused). */
function roundOf(v) {
  return {
    year: v.year,
    window: v.window,
    covered_period: v.covered_period,
    budget: v.budget,
    guide_reference: v.guide_reference || "",
    extra_key_industries: v.extra_key_industries || [],
  };
}

/** Answers {round, stage} or null when there is no round (or none known offline). */
export async function currentRound() {
  try {
    const r = await api("GET", "/api/rounds/current");
    if (r.status === 200 && r.body && r.body.window) {
      const v = { round: roundOf(r.body), stage: r.body.stage, stage_zh: r.body.stage_zh, stage_en: r.body.stage_en };
      try {
        localStorage.setItem(KEY, JSON.stringify(v));
      } catch (_) {
        /* not remembered */
      }
      return v;
    }
    if (r.status === 404) return null;
  } catch (_) {
    /* offline: fall through */
  }
  try {
    return JSON.parse(localStorage.getItem(KEY)) || null;
  } catch (_) {
    return null;
  }
}

/** A datetime-local value read as Beijing time → RFC 3339 with +08:00. */
export function beijing(local) {
  return local.length === 16 ? `${local}:00+08:00` : `${local}+08:00`;
}

/** Now in Beijing as a datetime-local value (YYYY-MM-DDTHH:MM). */
export function nowBeijingLocal() {
  const d = new Date(Date.now() + 8 * 3600 * 1000);
  return d.toISOString().slice(0, 16);
}
