// The pre-check in the browser's engine (issue 17): the shipped bundle (web/pkg, built by
// `cargo xtask web`) in node's V8, the documented example request, 20,000 calls after
// 2,000 to warm up. Run from the repository: `node tests/benches/precheck-v8.mjs`.
import { readFileSync } from "node:fs";

const root = new URL("../../", import.meta.url);
const glue = await import(new URL("web/pkg/precheck.js", root));
glue.initSync({ module: readFileSync(new URL(glue.wasmUrl)) });
const req = readFileSync(new URL("shared/rules/data/example-precheck-request.json", root), "utf8");
for (let i = 0; i < 2000; i++) JSON.parse(glue.precheck(req));
const N = 20000;
const t0 = process.hrtime.bigint();
for (let i = 0; i < N; i++) JSON.parse(glue.precheck(req));
const t1 = process.hrtime.bigint();
console.log(`pre-check in V8: ${(Number(t1 - t0) / N / 1000).toFixed(1)} µs a call (precheck() and JSON.parse of its answer)`);
