// A tiny random template generator for property tests (deterministic with a seed).
export { seededRandom as mulberry32 } from "@evtrigger/testkit";

export class TemplateGen {
  private vars: string[] = [];
  private inRange = 0;
  constructor(private readonly rnd: () => number) {}

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rnd() * xs.length)] as T;
  }

  operand(depth: number): string {
    const r = this.rnd();
    if (r < 0.25) return this.pick([".", ".a", ".a.b", ".list", ".m.k1", ".s", "$"]);
    if (r < 0.35 && this.vars.length > 0) return this.pick(this.vars);
    if (r < 0.5) return this.pick(['"str"', "`raw`", '"e\\tq"', "'x'", "3", "-1.5", "0x1F", "1e3", "true", "false"]);
    if (r < 0.6 && depth < 3) return `(${this.pipeline(depth + 1)})`;
    if (depth < 3) return this.command(depth + 1);
    return ".a";
  }

  command(depth: number): string {
    const fn = this.pick(["len", "print", "printf", "eq", "ne", "not", "and", "or", "index", "html", "js", "urlquery"]);
    const n = fn === "not" || fn === "len" ? 1 : 1 + Math.floor(this.rnd() * 3);
    const args: string[] = [];
    for (let i = 0; i < n; i++) args.push(this.operand(depth + 1));
    if (fn === "printf") args[0] = '"%v"';
    return `${fn} ${args.join(" ")}`;
  }

  pipeline(depth: number): string {
    let p = this.rnd() < 0.5 ? this.operand(depth) : this.command(depth);
    if (this.rnd() < 0.3) p += ` | ${this.pick(["print", "len", "html", 'printf "%v"'])}`;
    return p;
  }

  action(): string {
    const l = this.rnd() < 0.2 ? "{{- " : "{{";
    const r = this.rnd() < 0.2 ? " -}}" : "}}";
    if (this.rnd() < 0.15) {
      const v = `$v${this.vars.length}`;
      this.vars.push(v);
      return `${l}${v} := ${this.pipeline(0)}${r}`;
    }
    return `${l}${this.pipeline(0)}${r}`;
  }

  list(depth: number): string {
    let out = "";
    const n = Math.floor(this.rnd() * 4);
    for (let i = 0; i < n; i++) out += this.node(depth);
    return out;
  }

  node(depth: number): string {
    const r = this.rnd();
    if (r < 0.3) return this.pick(["text ", "\n", "  a-b ", "}} {", "é"]);
    if (r < 0.55 || depth > 2) return this.action();
    if (r < 0.6) return "{{/* comment */}}";
    const saved = this.vars.length;
    let out: string;
    if (r < 0.72) {
      out = `{{if ${this.pipeline(0)}}}${this.list(depth + 1)}`;
      if (this.rnd() < 0.3) out += `{{else if ${this.pipeline(0)}}}${this.list(depth + 1)}`;
      if (this.rnd() < 0.4) out += `{{else}}${this.list(depth + 1)}`;
      out += "{{end}}";
    } else if (r < 0.86) {
      const decl = this.rnd() < 0.5 ? "$i, $e := " : "";
      if (decl) this.vars.push("$i", "$e");
      this.inRange++;
      let body = this.list(depth + 1);
      if (this.inRange > 0 && this.rnd() < 0.2) body += this.pick(["{{break}}", "{{continue}}"]);
      this.inRange--;
      out = `{{range ${decl}${this.pick([".list", ".m", ".a"])}}}${body}`;
      if (this.rnd() < 0.3) out += `{{else}}${this.list(depth + 1)}`;
      out += "{{end}}";
    } else if (r < 0.95) {
      out = `{{with ${this.pipeline(0)}}}${this.list(depth + 1)}{{end}}`;
    } else {
      out = `{{template "t" ${this.operand(0)}}}`;
    }
    this.vars.length = saved;
    return out;
  }

  template(): string {
    this.vars = [];
    let out = this.list(0);
    if (this.rnd() < 0.2) out += '{{define "t"}}[{{.}}]{{end}}';
    return out;
  }
}
