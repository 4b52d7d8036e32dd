// A small flag parser shared by the evtctl commands: `--name value`, `--name=value`, `-n value`, boolean flags.

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

/** `booleans` are flags that never take a value; aliases map short to long names. */
export function parseArgs(
  argv: string[],
  spec: { booleans?: string[]; aliases?: Record<string, string> } = {},
): ParsedArgs {
  const booleans = new Set(spec.booleans ?? []);
  const aliases = spec.aliases ?? {};
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith("-") || a === "-") {
      positional.push(a);
      continue;
    }
    let name = a.replace(/^--?/, "");
    let value: string | undefined;
    const eq = name.indexOf("=");
    if (eq >= 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    name = aliases[name] ?? name;
    if (value === undefined && !booleans.has(name) && i + 1 < argv.length) value = argv[++i];
    flags.set(name, value ?? true);
  }
  return { positional, flags };
}

export function flagString(a: ParsedArgs, name: string): string | undefined {
  const v = a.flags.get(name);
  return typeof v === "string" ? v : undefined;
}

export function flagInt(a: ParsedArgs, name: string, dflt: number): number {
  const v = flagString(a, name);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got "${v}"`);
  return n;
}

/** Every value given for a repeatable flag such as -H. */
export function flagAll(argv: string[], names: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    for (const n of names) {
      if (a === n && i + 1 < argv.length) out.push(argv[i + 1]);
      else if (a.startsWith(`${n}=`)) out.push(a.slice(n.length + 1));
    }
  }
  return out;
}
