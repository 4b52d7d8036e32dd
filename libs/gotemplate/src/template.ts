// Template (Go: text/template/template.go): a named set of parsed trees sharing one function table,
// plus the parse cache (keyed by function set, name and source text) and execution limits.
import { builtins } from "./builtins.js";
import { TemplateError } from "./errors.js";
import { type ExecLimits, execute, type FuncTable } from "./exec.js";
import { createFuncs, defaultFuncs, textFuncs } from "./funcs/index.js";
import { ParseError, parseTemplate, type TreeSet } from "./parse/parse.js";
import { type FuncMap, type GoFunc, registeredFuncs, registeredFuncsVersion, type Value } from "./value.js";

export type FuncSetName = "default" | "text" | "none";

export interface ExecuteOptions {
  /** Output limit in bytes (default 10 MiB). */
  maxOutputBytes?: number;
  /** Wall-clock budget for one execution in ms (default 5000), checked periodically. */
  timeBudgetMs?: number;
  /** Maximum {{template}} nesting (default 1000; Go allows 100000, which a JS stack cannot). */
  maxDepth?: number;
  /** Clock for sprig's date functions (now, date, ago...); default the system clock. */
  now?: () => Date;
}

export interface ParseOptions {
  /** Function set: "default" (sprig + Sveltos), "text" (sprig's TxtFuncMap + Sveltos), "none", or a FuncMap. */
  funcs?: FuncSetName | FuncMap;
}

export const DEFAULT_LIMITS = { maxOutputBytes: 10 << 20, timeBudgetMs: 5000, maxDepth: 1000 } as const;

// Function sets: sprig + Sveltos from funcs/index.ts; replaceable with setFuncSets (tests, embedding).
const funcSets: Record<"default" | "text", FuncMap> = { default: defaultFuncs, text: textFuncs };
const tables = new Map<FuncSetName | FuncMap, FuncTable>();

/** Installs the sprig/Sveltos function maps used by the "default" and "text" function sets. */
export function setFuncSets(sets: { default?: FuncMap; text?: FuncMap }): void {
  if (sets.default) funcSets.default = sets.default;
  if (sets.text) funcSets.text = sets.text;
  tables.clear();
  cache.clear();
  cacheSize = 0;
}

/** Function table: builtins, overridden by the set's functions (as Go's execFuncs win over builtins). */
let tablesVersion = 0;

/** Drops function tables and parsed templates once registerFuncs changed the registry. */
function syncRegistry(): void {
  if (tablesVersion !== registeredFuncsVersion()) {
    tablesVersion = registeredFuncsVersion();
    tables.clear();
    cache.clear();
    cacheSize = 0;
  }
}

export function funcTable(set: FuncSetName | FuncMap = "default"): FuncTable {
  syncRegistry();
  let t = tables.get(set);
  if (t !== undefined) return t;
  const extra = typeof set === "string" ? (set === "none" ? {} : funcSets[set]) : set;
  t = buildTable(extra);
  if (tables.size > 64) tables.clear();
  tables.set(set, t);
  return t;
}

function buildTable(extra: FuncMap): FuncTable {
  const t: FuncTable = new Map();
  for (const [k, fn] of Object.entries(builtins)) t.set(k, { fn, builtin: true });
  for (const [k, fn] of Object.entries({ ...registeredFuncs(), ...extra })) t.set(k, { fn, builtin: false });
  return t;
}

// Tables whose sprig functions read an injected clock, cached per clock function.
const clockTables = new WeakMap<() => Date, FuncTable>();
function tableWithClock(base: FuncTable, now: () => Date): FuncTable {
  let t = clockTables.get(now);
  if (t === undefined) {
    const timed = createFuncs({ env: { now: () => ({ ms: now().getTime() }) } });
    t = new Map(base);
    for (const [k, fn] of Object.entries(timed))
      if (base.has(k) && !base.get(k)?.builtin) t.set(k, { fn: fn as GoFunc, builtin: false });
    clockTables.set(now, t);
  }
  return t;
}

export class Template {
  constructor(
    readonly name: string,
    readonly trees: TreeSet,
    readonly funcs: FuncTable,
  ) {}

  /** Names of all templates defined in this set (the main one included). */
  definedTemplates(): string[] {
    return [...this.trees.keys()];
  }

  /** Executes the template on `data` (Go's Execute with missingkey=error); throws TemplateError. */
  execute(data: Value, opts: ExecuteOptions = {}): string {
    return this.executeTemplate(this.name, data, opts);
  }

  /** Executes the associated template `name` (Go's ExecuteTemplate). */
  executeTemplate(name: string, data: Value, opts: ExecuteOptions = {}): string {
    const tree = this.trees.get(name);
    if (tree === undefined) {
      throw new TemplateError(
        "EVT_GOTEMPLATE_EXEC",
        `template: no template ${JSON.stringify(name)} associated with template ${JSON.stringify(this.name)}`,
      );
    }
    const limits: ExecLimits = {
      maxOutputBytes: opts.maxOutputBytes ?? DEFAULT_LIMITS.maxOutputBytes,
      maxDepth: opts.maxDepth ?? DEFAULT_LIMITS.maxDepth,
      deadline: Date.now() + (opts.timeBudgetMs ?? DEFAULT_LIMITS.timeBudgetMs),
    };
    const funcs = opts.now === undefined ? this.funcs : tableWithClock(this.funcs, opts.now);
    return execute(tree, this.trees, funcs, limits, data);
  }
}

/** Parses `text` as template `name`; throws TemplateError (code EVT_GOTEMPLATE_PARSE) with Go's message. */
export function parse(name: string, text: string, opts: ParseOptions = {}): Template {
  const funcs = funcTable(opts.funcs ?? "default");
  const trees: TreeSet = new Map();
  try {
    parseTemplate(name, text, (n) => funcs.has(n), trees);
  } catch (e) {
    if (e instanceof ParseError) throw new TemplateError("EVT_GOTEMPLATE_PARSE", e.message, { cause: e });
    if (e instanceof RangeError && /call stack/.test(e.message)) {
      throw new TemplateError("EVT_GOTEMPLATE_DEPTH", `template: ${name}: template nested too deeply to parse`, {
        cause: e,
      });
    }
    throw new TemplateError(
      "EVT_GOTEMPLATE_INTERNAL",
      `template: ${name}: internal error: ${e instanceof Error ? e.message : String(e)}`,
      { cause: e },
    );
  }
  return new Template(name, trees, funcs);
}

// ---- parse cache ----
// Keyed by (function set, name) and then by the text itself: the text's hash is cached by V8, so a hit
// costs no string building. Bounded (cleared when full); parse errors are cached too.
const CACHE_MAX = 2000;
let cacheSize = 0;
const cache = new Map<string, Map<string, Template | TemplateError>>();

/** parse() through the bounded parse cache. */
export function parseCached(name: string, text: string, funcs: FuncSetName = "default"): Template {
  syncRegistry();
  const outerKey = funcs === "default" ? name : `${funcs}\u0000${name}`;
  let byText = cache.get(outerKey);
  let t = byText?.get(text);
  if (t === undefined) {
    try {
      t = parse(name, text, { funcs });
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e;
      t = e;
    }
    if (cacheSize >= CACHE_MAX) {
      cache.clear();
      cacheSize = 0;
      byText = undefined;
    }
    if (byText === undefined) {
      byText = new Map();
      cache.set(outerKey, byText);
    }
    byText.set(text, t);
    cacheSize++;
  }
  if (t instanceof TemplateError) throw t;
  return t;
}

export interface RenderOptions extends ExecuteOptions {
  /** Template name used in error messages (default "template"). */
  name?: string;
  /** Function set (default "default"). */
  funcs?: FuncSetName;
}

/** Parses (cached) and executes `text` on `data`. Throws TemplateError. */
export function render(text: string, data: Value, opts: RenderOptions = {}): string {
  return parseCached(opts.name ?? "template", text, opts.funcs ?? "default").execute(data, opts);
}

/** Parse-only check for config validation: Go's parse error text when `text` is not a valid template. */
export function checkTemplate(
  name: string,
  text: string,
  funcs: FuncSetName = "default",
): { ok: true } | { ok: false; error: string } {
  try {
    parseCached(name, text, funcs);
    return { ok: true };
  } catch (e) {
    if (e instanceof TemplateError) return { ok: false, error: e.message };
    throw e;
  }
}
