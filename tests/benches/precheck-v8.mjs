// The pre-check in the browser's engine (issue 17): the shipped bundle (web/pkg, built by
// `cargo xtask web`) in node's V8, the documented example request, 20,000 calls after
// 2,000 to warm up. Run from the repository: `node tests/benches/precheck-v8.mjs`, or
// give another bundle's directory (a copy of an earlier web/pkg) to compare builds:
// `node tests/benches/precheck-v8.mjs /tmp/pkg-before`.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const root = new URL("../../", import.meta.url);
const pkg = process.argv[2] ? pathToFileURL(resolve(process.argv[2]) + "/") : new URL("web/pkg/", root);
const glue = await import(new URL("precheck.js", pkg));
glue.initSync({ module: readFileSync(new URL(glue.wasmUrl)) });
const req = readFileSync(new URL("shared/rules/data/example-precheck-request.json", root), "utf8");
for (let i = 0; i < 2000; i++) JSON.parse(glue.precheck(req));
const N = 20000;
const t0 = process.hrtime.bigint();
for (let i = 0; i < N; i++) JSON.parse(glue.precheck(req));
const t1 = process.hrtime.bigint();
console.log(`pre-check in V8: ${(Number(t1 - t0) / N / 1000).toFixed(1)} µs a call (precheck() and JSON.parse of its answer)`);
