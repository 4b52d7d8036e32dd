// Parse-checks Go templates (cloudEventAction, instantiated ConfigMap/Secret data, templated names).
// The parser is @evtrigger/gotemplate's `checkTemplate(name, text) → {ok:true}|{ok:false,error}`. It is
// loaded once, optionally, with no compile-time dependency: this package builds and validates (with a
// structural fallback) even while the engine is absent or broken. The single-quote check needs no engine.

type CheckResult = { ok: true } | { ok: false; error: unknown };
/** Sveltos renders with sprig.FuncMap, or sprig.TxtFuncMap under the `projectsveltos.io/tex-template` annotation. */
export type TemplateFuncs = "default" | "text";
type CheckFn = (name: string, text: string, funcs?: TemplateFuncs) => CheckResult;

const ENGINE = "@evtrigger/gotemplate";
const engine: Record<string, unknown> | undefined = await import(ENGINE).catch(() => undefined);

function engineCheck(): CheckFn | undefined {
  const fn = engine?.checkTemplate;
  return typeof fn === "function" ? (fn as CheckFn) : undefined;
}

/** True when the Go template engine is available (otherwise only structural checks run). */
export function hasTemplateEngine(): boolean {
  return engineCheck() !== undefined;
}

/** True when `text` contains template actions at all. */
export function isTemplate(text: string): boolean {
  return text.includes("{{");
}

/**
 * Finds a multi-character single-quoted literal inside an action: `{{ eq .X 'a.b' }}`. In Go templates
 * single quotes delimit one character (a rune constant), so Sveltos rejects this with "malformed character
 * constant"; the seed's docs contain exactly this mistake.
 */
export function findSingleQuotedString(text: string): string | undefined {
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf("{{", i);
    if (open < 0) return undefined;
    i = open + 2;
    if (text.startsWith("/*", i) || text.startsWith("- /*", i)) {
      const end = text.indexOf("*/", i);
      i = end < 0 ? text.length : end + 2;
      continue;
    }
    while (i < text.length && !text.startsWith("}}", i)) {
      const c = text[i];
      if (c === '"') {
        i++;
        while (i < text.length && text[i] !== '"' && text[i] !== "\n") i += text[i] === "\\" ? 2 : 1;
        i++;
      } else if (c === "`") {
        const end = text.indexOf("`", i + 1);
        i = end < 0 ? text.length : end + 1;
      } else if (c === "'") {
        let j = i + 1;
        while (j < text.length && text[j] !== "'" && text[j] !== "\n") j += text[j] === "\\" ? 2 : 1;
        const body = text.slice(i + 1, j);
        if ([...body.replace(/^\\./, "x")].length > 1) return text.slice(i, j + 1);
        i = j + 1;
      } else {
        i++;
      }
    }
    i += 2;
  }
  return undefined;
}

function quoteHint(literal: string): string {
  const inner = literal.slice(1, literal.endsWith("'") ? -1 : undefined);
  return (
    `single-quoted string ${literal} is not a string in Go templates (single quotes delimit one character, ` +
    `Go reports "malformed character constant"); use double quotes "${inner}" or backticks \`${inner}\`` +
    ` (in YAML, wrap the whole value in single quotes when the template uses double quotes)`
  );
}

/** Returns why `text` does not parse as a Go template, or undefined when it parses. */
export function templateProblem(name: string, text: string, funcs: TemplateFuncs = "default"): string | undefined {
  const quoted = findSingleQuotedString(text);
  if (quoted !== undefined) return quoteHint(quoted);
  const check = engineCheck();
  if (!check) return structureProblem(text);
  let result: CheckResult;
  try {
    result = check(name, text, funcs);
  } catch (err) {
    return `template check failed: ${err instanceof Error ? err.message : String(err)}`;
  }
  if (result.ok) return undefined;
  const e = result.error;
  return `does not parse as a Go template: ${e instanceof Error ? e.message : String(e)}`;
}

/** Fallback while the engine is unavailable: unclosed actions and unbalanced control blocks. */
function structureProblem(text: string): string | undefined {
  let depth = 0;
  let i = 0;
  for (;;) {
    const open = text.indexOf("{{", i);
    if (open < 0) break;
    const close = text.indexOf("}}", open + 2);
    if (close < 0) return "does not parse as a Go template: unclosed action";
    const body = text
      .slice(open + 2, close)
      .replace(/^-\s*/, "")
      .trim();
    const word = /^[a-z]+/.exec(body)?.[0];
    if (word === "if" || word === "range" || word === "with" || word === "define" || word === "block") depth++;
    else if (word === "end" && --depth < 0) return "does not parse as a Go template: unexpected {{end}}";
    i = close + 2;
  }
  return depth > 0 ? "does not parse as a Go template: unexpected EOF (missing {{end}})" : undefined;
}
