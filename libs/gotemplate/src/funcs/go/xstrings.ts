/** Port of huandu/xstrings 1.3 case conversion (ToSnakeCase, ToKebabCase, ToCamelCase) and Shuffle. */
import { isLetter, isNumber, isPunct, isSpace, isUpper, toLowerRune, toUpperRune } from "./text.js";

const isConnector = (r: string): boolean => r === "-" || r === "_" || isSpace(r.codePointAt(0) as number);

function isAlphabet(r: string): boolean {
  if (!isLetter(r)) return false;
  const c = r.codePointAt(0) as number;
  if (c < 0x3400) return true;
  if (c >= 0x4e00 && c <= 0x9fcc) return false;
  if (c >= 0x3400 && c <= 0x4d85) return false;
  if (c >= 0x20000 && c <= 0x2b81d) return false;
  return true;
}

enum W {
  Invalid,
  Number,
  Upper,
  Alphabet,
  Connector,
  Punct,
  Other,
}

interface Word {
  wt: W;
  word: string[];
  rest: string[];
}

function nextWord(s: string[]): Word {
  if (s.length === 0) return { wt: W.Invalid, word: [], rest: [] };
  const r = s[0] as string;
  let i = 1;
  let wt: W;
  if (isConnector(r)) {
    wt = W.Connector;
    while (i < s.length && isConnector(s[i] as string)) i++;
  } else if (isPunct(r)) {
    wt = W.Punct;
    while (i < s.length && isPunct(s[i] as string)) i++;
  } else if (isUpper(r)) {
    wt = W.Upper;
    if (i < s.length) {
      const r1 = s[i] as string;
      if (isUpper(r1)) {
        i++;
        while (i < s.length && isUpper(s[i] as string)) i++;
        if (i < s.length && isAlphabet(s[i] as string)) i--;
      } else if (isAlphabet(r1)) {
        i++;
        while (i < s.length && isAlphabet(s[i] as string) && !isUpper(s[i] as string)) i++;
      }
    }
  } else if (isAlphabet(r)) {
    wt = W.Alphabet;
    while (i < s.length && isAlphabet(s[i] as string) && !isUpper(s[i] as string)) i++;
  } else if (isNumber(r)) {
    wt = W.Number;
    while (i < s.length && isNumber(s[i] as string)) i++;
  } else {
    wt = W.Other;
    while (i < s.length) {
      const c = s[i] as string;
      if (isConnector(c) || isAlphabet(c) || isNumber(c) || isPunct(c)) break;
      i++;
    }
  }
  return { wt, word: s.slice(0, i), rest: s.slice(i) };
}

function toLower(out: string[], wt: W, word: string[], connector: string): void {
  if (wt !== W.Upper && wt !== W.Connector) {
    out.push(...word);
    return;
  }
  for (const r of word) out.push(isConnector(r) ? connector : isUpper(r) ? toLowerRune(r) : r);
}

function camelCaseToLowerCase(str: string, connector: string): string {
  if (str === "") return "";
  const out: string[] = [];
  let { wt, word, rest } = nextWord(Array.from(str));
  while (rest.length > 0) {
    if (wt !== W.Connector) toLower(out, wt, word, connector);
    const prev = wt;
    const last = word;
    ({ wt, word, rest } = nextWord(rest));
    if (prev === W.Number) {
      while (wt === W.Alphabet || wt === W.Number) {
        toLower(out, wt, word, connector);
        ({ wt, word, rest } = nextWord(rest));
      }
      if (wt !== W.Invalid && wt !== W.Punct && wt !== W.Connector) out.push(connector);
    } else if (prev === W.Connector) {
      toLower(out, prev, last, connector);
    } else if (prev === W.Punct) {
      // nothing
    } else {
      if (wt !== W.Number) {
        if (wt !== W.Connector && wt !== W.Punct) out.push(connector);
        continue;
      }
      if (rest.length === 0) continue;
      const lastNum = word;
      ({ wt, word, rest } = nextWord(rest));
      if (wt !== W.Alphabet) {
        toLower(out, W.Number, lastNum, connector);
        if (wt !== W.Connector && wt !== W.Punct) out.push(connector);
        continue;
      }
      out.push(connector);
      toLower(out, W.Number, lastNum, connector);
      while (wt === W.Alphabet || wt === W.Number) {
        toLower(out, wt, word, connector);
        ({ wt, word, rest } = nextWord(rest));
      }
      if (wt !== W.Invalid && wt !== W.Connector && wt !== W.Punct) out.push(connector);
    }
  }
  toLower(out, wt, word, connector);
  return out.join("");
}

export const toSnakeCase = (s: string): string => camelCaseToLowerCase(s, "_");
export const toKebabCase = (s: string): string => camelCaseToLowerCase(s, "-");

export function toCamelCase(str: string): string {
  if (str === "") return "";
  const runes = Array.from(str);
  let out = "";
  let i = 0;
  let r0 = "";
  while (i < runes.length) {
    r0 = runes[i++] as string;
    if (!isConnector(r0)) {
      r0 = toUpperRune(r0);
      break;
    }
    out += r0;
  }
  if (i >= runes.length) return out + r0; // Go writes the last rune again, even a connector
  while (i < runes.length) {
    const r1 = r0;
    r0 = runes[i++] as string;
    if (isConnector(r0) && isConnector(r1)) {
      out += r1;
      continue;
    }
    if (isConnector(r1)) r0 = toUpperRune(r0);
    else {
      r0 = toLowerRune(r0);
      out += r1;
    }
  }
  return out + r0;
}

/** xstrings.Shuffle: a random permutation of the runes. */
export function shuffle(s: string, random: () => number = Math.random): string {
  const r = Array.from(s);
  for (let i = r.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [r[i], r[j]] = [r[j] as string, r[i] as string];
  }
  return r.join("");
}
