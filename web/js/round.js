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
    // The list, not /api/rounds/current: before the first round that answers 404, which
    // every browser reports as an error in the console (Lighthouse's best practices).
    const r = await api("GET", "/api/rounds");
    const newest = r.status === 200 && r.body && Array.isArray(r.body.rounds)
      ? r.body.rounds.reduce((a, b) => (a && a.year > b.year ? a : b), null)
      : undefined;
    if (newest && newest.window) {
      const v = { round: roundOf(newest), stage: newest.stage, stage_zh: newest.stage_zh, stage_en: newest.stage_en, window_status: newest.window_status };
      try {
        localStorage.setItem(KEY, JSON.stringify(v));
      } catch (_) {
        /* not remembered */
      }
      return v;
    }
    if (newest === null) {
      try {
        localStorage.removeItem(KEY);
      } catch (_) {
        /* nothing kept */
      }
      return null;
    }
  } catch (_) {
    /* offline: fall through */
  }
  return rememberedRound();
}

/** The round as last fetched (or null), read at once: what a page shows before the fetch. */
export function rememberedRound() {
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
