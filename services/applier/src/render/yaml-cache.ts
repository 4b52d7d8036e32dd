// Parsed YAML per rendered text. A trigger renders the same text for the same event identity again and again (a
// user's every login renders the same Namespace), and parsing it was 4-7% of the applier's CPU. Values are frozen:
// they are shared by every caller that renders the same text, and nothing downstream may change them in place.

/** Texts longer than this are parsed every time (a large manifest is rarely rendered twice). */
const MAX_TEXT = 16 * 1024;

export class ParsedYamlCache {
  private readonly m = new Map<string, readonly unknown[]>();
  private chars = 0;

  /** At most `maxEntries` texts and `maxChars` characters of them. */
  constructor(
    private readonly maxEntries = 4096,
    private readonly maxChars = 4 * 1024 * 1024,
  ) {}

  get(text: string): readonly unknown[] | undefined {
    const v = this.m.get(text);
    if (v) {
      this.m.delete(text);
      this.m.set(text, v);
    }
    return v;
  }

  /** Keeps `docs` (every document's value, nulls included) for `text`; returns them frozen. */
  set(text: string, docs: unknown[]): readonly unknown[] {
    const frozen = deepFreeze(docs);
    if (text.length > MAX_TEXT || this.maxEntries <= 0) return frozen;
    if (!this.m.has(text)) this.chars += text.length;
    this.m.delete(text);
    this.m.set(text, frozen);
    while (this.m.size > this.maxEntries || this.chars > this.maxChars) {
      const oldest = this.m.keys().next().value as string;
      this.m.delete(oldest);
      this.chars -= oldest.length;
    }
    return frozen;
  }

  get size(): number {
    return this.m.size;
  }
}

function deepFreeze<T>(v: T): T {
  if (typeof v === "object" && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
}
