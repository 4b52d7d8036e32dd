#!/usr/bin/env node
// Fails when a `pnpm deploy` output holds a package version the workspace lockfile does not: pnpm 9's deploy
// resolves the injected workspace libs' dependencies again, so an image could silently ship versions that
// were never tested. Used by the Dockerfile; no dependencies (runs before anything is installed).
//   node scripts/check-deploy-lock.mjs <deploy-dir> <pnpm-lock.yaml>
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** "name@version" of every package in the lockfile's snapshots (peer suffixes dropped). */
export function lockedPackages(lockText) {
  const at = lockText.indexOf("\nsnapshots:\n");
  if (at < 0) throw new Error("lockfile has no snapshots: section (pnpm 9 lockfile expected)");
  const out = new Set();
  for (const line of lockText.slice(at).split("\n")) {
    const m = /^ {2}'?([^\s'(]+)[^:]*'?:/.exec(line);
    if (m) out.add(m[1]);
  }
  return out;
}

/** "name@version" of every package in a deploy dir's virtual store (workspace packages skipped). */
export function deployedPackages(deployDir) {
  const out = [];
  for (const entry of readdirSync(join(deployDir, "node_modules/.pnpm"))) {
    const m = /^(@?[^@]+)@([^_]+)/.exec(entry);
    if (!m || m[2].startsWith("file+")) continue; // node_modules, lock.yaml, injected workspace libs
    out.push(`${m[1].replace("+", "/")}@${m[2]}`);
  }
  return out.sort();
}

export function driftOf(deployDir, lockText) {
  const locked = lockedPackages(lockText);
  return deployedPackages(deployDir).filter((p) => !locked.has(p));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [deployDir, lockFile] = process.argv.slice(2);
  if (!deployDir || !lockFile) {
    console.error("usage: check-deploy-lock.mjs <deploy-dir> <pnpm-lock.yaml>");
    process.exit(2);
  }
  const drift = driftOf(deployDir, readFileSync(lockFile, "utf8"));
  if (drift.length) {
    console.error(
      `pnpm deploy resolved versions that are not in ${lockFile}: ${drift.join(", ")}\n` +
        "Update the lockfile (pnpm install / pnpm update), test, and commit it.",
    );
    process.exit(1);
  }
  console.log(`check-deploy-lock: ${deployedPackages(deployDir).length} packages, all from the lockfile`);
}
