// evtctl render: Go-template rendering with the engine the applier uses.
//   render --jsonl                      stdin {"id","template","data"} lines -> stdout result lines, in order
//   render -f FILE --event CE.json [--cluster CLUSTER.json]
//                                       renders a ConfigMap's data values (or a plain template file) for humans
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { renderJsonlLine, render as renderTemplate, TemplateError, type Value } from "@evtrigger/gotemplate";
import { parseAllDocuments } from "yaml";
import type { Command } from "./types.js";

const USAGE =
  "usage: evtctl render --jsonl < cases.jsonl\n" +
  "       evtctl render -f TEMPLATE.yaml|TEMPLATE --event CE.json [--cluster CLUSTER.json]\n";

interface Args {
  jsonl: boolean;
  file?: string;
  event?: string;
  cluster?: string;
}

function parseArgs(argv: string[]): Args | string {
  const a: Args = { jsonl: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    try {
      if (arg === "--jsonl") a.jsonl = true;
      else if (arg === "-f" || arg === "--filename") a.file = value();
      else if (arg === "--event") a.event = value();
      else if (arg === "--cluster") a.cluster = value();
      else if (arg === "-h" || arg === "--help") return "";
      else return `unknown argument ${arg}`;
    } catch (e) {
      return (e as Error).message;
    }
  }
  if (!a.jsonl && a.file === undefined) return "give --jsonl or -f FILE";
  return a;
}

async function runJsonl(): Promise<number> {
  const rl = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of rl) {
    const out = renderJsonlLine(line);
    if (out !== "" && !process.stdout.write(`${out}\n`)) {
      await new Promise<void>((resolve) => process.stdout.once("drain", () => resolve()));
    }
  }
  return 0;
}

const readJson = (path: string): Value => JSON.parse(readFileSync(path, "utf8")) as Value;

/** Templates of a file: each string in data/stringData of ConfigMap/Secret documents, else the whole file. */
function templatesOf(file: string, text: string): { label: string; text: string }[] {
  const out: { label: string; text: string }[] = [];
  try {
    for (const doc of parseAllDocuments(text)) {
      const obj = doc.toJS() as { kind?: unknown; metadata?: { name?: string }; data?: unknown; stringData?: unknown };
      if (obj === null || typeof obj !== "object" || (obj.kind !== "ConfigMap" && obj.kind !== "Secret")) continue;
      // Secret data is base64: the template is the decoded text.
      const sections: [unknown, boolean][] = [
        [obj.data, obj.kind === "Secret"],
        [obj.stringData, false],
      ];
      for (const [section, base64] of sections) {
        if (section === null || typeof section !== "object") continue;
        for (const [k, v] of Object.entries(section)) {
          if (typeof v !== "string") continue;
          const text = base64 ? Buffer.from(v, "base64").toString("utf8") : v;
          out.push({ label: `${obj.kind}/${obj.metadata?.name ?? "?"} ${k}`, text });
        }
      }
    }
  } catch {
    // not YAML: a plain template file
  }
  return out.length > 0 ? out : [{ label: file, text }];
}

async function runFile(a: Args): Promise<number> {
  const file = a.file as string;
  const data: Record<string, Value> = {
    CloudEvent: a.event !== undefined ? readJson(a.event) : null,
    Cluster: a.cluster !== undefined ? readJson(a.cluster) : null,
  };
  const templates = templatesOf(file, readFileSync(file, "utf8"));
  let failed = 0;
  for (const t of templates) {
    if (templates.length > 1) process.stdout.write(`# ${t.label}\n`);
    try {
      const out = renderTemplate(t.text, data, { name: t.label });
      process.stdout.write(out.endsWith("\n") || templates.length === 1 ? out : `${out}\n`);
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e;
      failed++;
      process.stderr.write(`evtctl render: ${t.label}: ${e.message}\n`);
    }
    if (templates.length > 1) process.stdout.write("---\n");
  }
  return failed > 0 ? 1 : 0;
}

export const render: Command = {
  summary: "render Go templates (--jsonl contract, or -f FILE --event CE.json)",
  async run(argv) {
    const a = parseArgs(argv);
    if (typeof a === "string") {
      process.stderr.write(a ? `evtctl render: ${a}\n${USAGE}` : USAGE);
      return a ? 2 : 0;
    }
    return a.jsonl ? runJsonl() : runFile(a);
  },
};
