// Multi-document YAML → plain objects, with syntax errors as problems carrying the line.
import { parseAllDocuments } from "yaml";
import type { ValidationProblem } from "./types.js";

export interface LoadedObject {
  object: unknown;
  /** 1-based index of the document in the file. */
  doc: number;
}

export interface LoadResult {
  objects: LoadedObject[];
  problems: ValidationProblem[];
}

/** Parses every document; empty documents (e.g. a trailing `---`) are skipped but still counted. */
export function loadYamlDocuments(text: string, file: string): LoadResult {
  const objects: LoadedObject[] = [];
  const problems: ValidationProblem[] = [];
  const docs = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: true });
  if (!Array.isArray(docs)) return { objects, problems }; // an empty stream
  docs.forEach((d, i) => {
    const doc = i + 1;
    if (d.errors.length > 0) {
      for (const e of d.errors) {
        const line = e.linePos?.[0]?.line;
        problems.push({
          kind: "YAML",
          name: "-",
          path: "",
          reason: `${line !== undefined ? `line ${line}: ` : ""}${e.message.split("\n")[0]}`,
          file,
          doc,
          line,
        });
      }
      return;
    }
    const value = d.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) return;
    // `kind: List` (as `kubectl get -o yaml` writes) stands for its items.
    if (value.kind === "List" && Array.isArray(value.items)) {
      for (const item of value.items) objects.push({ object: item, doc });
      return;
    }
    objects.push({ object: value, doc });
  });
  return { objects, problems };
}
