#!/usr/bin/env node
// Writes k8s/crds/*.yaml from libs/config's schemas (build first: `pnpm exec tsc -b libs/config`).
// libs/config/test/crds.test.ts fails when the committed files differ from what this writes.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { crdFiles } from "../libs/config/dist/mod.js";

const out = join(dirname(fileURLToPath(import.meta.url)), "../k8s/crds");
mkdirSync(out, { recursive: true });
const files = crdFiles();
const wanted = new Set(files.map((f) => f.name));
for (const name of readdirSync(out)) if (name.endsWith(".yaml") && !wanted.has(name)) rmSync(join(out, name));
for (const f of files) writeFileSync(join(out, f.name), f.content);
console.log(`wrote ${files.length} CRDs to ${out}`);
