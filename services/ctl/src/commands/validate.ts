// evtctl validate -f FILE...: offline validation with the same code the services use.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { formatProblem, loadYamlDocuments, type ValidationProblem, validateObject } from "@evtrigger/config";
import type { Command } from "./types.js";

const USAGE = "usage: evtctl validate -f FILE|DIR|- [-f FILE|DIR|- ...]\n";

function parseArgs(argv: string[]): string[] | string {
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "-f" || a === "--filename") {
      const v = argv[++i];
      if (!v) return "-f needs a value";
      files.push(v);
    } else if (a.startsWith("--filename=")) files.push(a.slice("--filename=".length));
    else if (a === "-h" || a === "--help") return "";
    else if (a.startsWith("-") && a !== "-") return `unknown flag ${a}`;
    else files.push(a);
  }
  return files.length ? files : "no file given";
}

/** Directories expand to their *.yaml/*.yml files, recursively and sorted; "-" is stdin. */
function expand(path: string): string[] {
  if (path === "-" || !statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => {
      const p = join(path, e.name);
      if (e.isDirectory()) return expand(p);
      return /\.ya?ml$/.test(e.name) ? [p] : [];
    });
}

export const validate: Command = {
  summary: "validate Sveltos/evtrigger YAML files offline (-f FILE...)",
  async run(argv) {
    const args = parseArgs(argv);
    if (typeof args === "string") {
      process.stderr.write(args ? `evtctl validate: ${args}\n${USAGE}` : USAGE);
      return args ? 2 : 0;
    }
    const problems: ValidationProblem[] = [];
    let objects = 0;
    let files = 0;
    for (const arg of args) {
      let paths: string[];
      try {
        paths = expand(arg);
      } catch (err) {
        problems.push({ kind: "File", name: arg, path: "", reason: (err as Error).message, file: arg });
        continue;
      }
      for (const file of paths) {
        files++;
        const loaded = loadYamlDocuments(
          readFileSync(file === "-" ? 0 : file, "utf8"),
          file === "-" ? "<stdin>" : file,
        );
        problems.push(...loaded.problems);
        for (const o of loaded.objects) {
          objects++;
          problems.push(...validateObject(o.object, { file, doc: o.doc }));
        }
      }
    }
    for (const p of problems) process.stdout.write(`${formatProblem(p)}\n`);
    if (problems.length) {
      process.stderr.write(`${problems.length} problem(s) in ${objects} object(s) from ${files} file(s)\n`);
      return 1;
    }
    process.stdout.write(`ok: ${objects} object(s) in ${files} file(s)\n`);
    return 0;
  },
};
