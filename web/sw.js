// The pre-check keeps working offline: the pages, the stylesheet, the modules and the
// bundle are cached when first seen and served from the cache when the network fails
// (network first, so a new version is picked up at once). The API is never cached.

// The bundle's content-hashed file names, written by the build (pkg/bundle-files.js).
importScripts("pkg/bundle-files.js");

// Named after the bundle's wasm: a new build makes a new cache, and the old one (with the
// old bundle, which no page asks for any more) is deleted when this worker takes over.
const CACHE = `mentougou-web-v9-${self.BUNDLE_FILES[self.BUNDLE_FILES.length - 1]}`;
const SHELL = [
  "./",
  "index.html",
  "guide.html",
  "objection.html",
  "policy.html",
  "style.css",
  "favicon.svg",
  "js/common.js",
  "js/form.js",
  "js/guide.js",
  "js/index.js",
  "js/lang.js",
  "js/objection.js",
  "js/office.js",
  "js/policy.js",
  "js/result.js",
  "js/round.js",
  ...self.BUNDLE_FILES,
];

self.addEventListener("install", (e) => {
  e.waitUntil(
    caches
      .open(CACHE)
      .then((c) => c.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (e) => {
  e.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (e) => {
  const url = new URL(e.request.url);
  if (e.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (/^\/(api|notices|feeds)\//.test(url.pathname)) return;
  e.respondWith(
    fetch(e.request)
      .then((r) => {
        if (r.ok) {
          const copy = r.clone();
          caches.open(CACHE).then((c) => c.put(e.request, copy));
        }
        return r;
      })
      .catch(() =>
        caches.match(e.request, { ignoreSearch: true }).then((r) => r || Response.error()),
      ),
  );
});
