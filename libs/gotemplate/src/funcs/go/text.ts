/**
 * Go's strings/unicode behaviour sprig depends on: unicode.IsSpace, simple case mapping, strings.Title,
 * byte-indexed slicing of UTF-8 text, and ports of goutils (Abbreviate, Wrap, Initials, SwapCase...) and
 * xstrings (ToSnakeCase, ToCamelCase...).
 */

export function isSpace(c: number): boolean {
  if (c <= 0xff) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0x85 || c === 0xa0;
  return (
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

const cp = (ch: string): number => ch.codePointAt(0) as number;
export const isLetter = (ch: string): boolean => /\p{L}/u.test(ch);
export const isUpper = (ch: string): boolean => /\p{Lu}/u.test(ch);
export const isLower = (ch: string): boolean => /\p{Ll}/u.test(ch);
export const isTitleCase = (ch: string): boolean => /\p{Lt}/u.test(ch);
export const isNumber = (ch: string): boolean => /\p{N}/u.test(ch);
export const isPunct = (ch: string): boolean => /\p{P}/u.test(ch);
export const isDigitCh = (ch: string): boolean => /\p{Nd}/u.test(ch);

/** unicode.ToUpper (simple mapping: multi-character results keep the rune). */
export function toUpperRune(ch: string): string {
  const u = ch.toUpperCase();
  return Array.from(u).length === 1 ? u : ch;
}
export function toLowerRune(ch: string): string {
  const l = ch.toLowerCase();
  return Array.from(l).length === 1 ? l : ch;
}
/** unicode.ToTitle: the title-case form (Dž for dž), else upper. */
export function toTitleRune(ch: string): string {
  const special: Record<string, string> = {
    "\u01c4": "\u01c5",
    "\u01c6": "\u01c5",
    "\u01c7": "\u01c8",
    "\u01c9": "\u01c8",
    "\u01ca": "\u01cb",
    "\u01cc": "\u01cb",
    "\u01f1": "\u01f2",
    "\u01f3": "\u01f2",
  };
  return special[ch] ?? toUpperRune(ch);
}

export const goUpper = (s: string): string =>
  /^[\x00-\x7f]*$/.test(s) ? s.toUpperCase() : Array.from(s, toUpperRune).join("");
export const goLower = (s: string): string =>
  /^[\x00-\x7f]*$/.test(s) ? s.toLowerCase() : Array.from(s, toLowerRune).join("");

/** strings.TrimSpace. */
export function trimSpace(s: string): string {
  const a = Array.from(s);
  let i = 0;
  let j = a.length;
  while (i < j && isSpace(cp(a[i] as string))) i++;
  while (j > i && isSpace(cp(a[j - 1] as string))) j--;
  return a.slice(i, j).join("");
}

/** strings.Trim / TrimLeft / TrimRight with a cutset. */
export function trimCutset(s: string, cutset: string, left = true, right = true): string {
  const set = new Set(Array.from(cutset));
  const a = Array.from(s);
  let i = 0;
  let j = a.length;
  if (left) while (i < j && set.has(a[i] as string)) i++;
  if (right) while (j > i && set.has(a[j - 1] as string)) j--;
  return a.slice(i, j).join("");
}

/** strings.Title: upper-cases the first letter of each word (Go's isSeparator rules). */
export function goTitle(s: string): string {
  let prev = " ";
  let out = "";
  for (const ch of s) {
    out += isSeparator(prev) ? toTitleRune(ch) : ch;
    prev = ch;
  }
  return out;
}

function isSeparator(ch: string): boolean {
  const c = cp(ch);
  if (c <= 0x7f) {
    if ((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f) return false;
    return true;
  }
  if (isLetter(ch) || isDigitCh(ch)) return false;
  return isSpace(c);
}

/** strings.Replace(s, old, new, -1), including Go's rune-boundary insertion for an empty `old`. */
export function replaceAll(s: string, old: string, rep: string): string {
  if (old === "") return rep + Array.from(s).join(rep) + (s === "" ? "" : rep);
  return s.split(old).join(rep);
}

/** strings.Split / SplitN (n < 0: all; n == 0: none). */
export function goSplit(s: string, sep: string, n = -1): string[] {
  if (n === 0) return [];
  if (sep === "") {
    const runes = Array.from(s);
    if (n > 0 && runes.length > n) return [...runes.slice(0, n - 1), runes.slice(n - 1).join("")];
    return runes;
  }
  const parts = s.split(sep);
  if (n > 0 && parts.length > n) return [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
  return parts;
}

const isAscii = (s: string): boolean => /^[\x00-\x7f]*$/.test(s);

/** s[i:j] on the UTF-8 bytes (a cut inside a character decodes as U+FFFD, as Go's output would read). */
export function byteSlice(s: string, i: number, j?: number): string {
  if (isAscii(s)) return s.slice(i, j);
  return new TextDecoder().decode(Buffer.from(s, "utf8").subarray(i, j));
}

// ---- goutils ----

/** goutils.AbbreviateFull (errors only for widths sprig never passes). */
export function abbreviateFull(str: string, offset: number, maxWidth: number): string {
  if (str === "") return "";
  const len = Buffer.byteLength(str);
  if (maxWidth < 4) return "";
  if (len <= maxWidth) return str;
  let off = Math.min(offset, len);
  if (len - off < maxWidth - 3) off = len - (maxWidth - 3);
  if (off <= 4) return `${byteSlice(str, 0, maxWidth - 3)}...`;
  if (maxWidth < 7) return "";
  if (off + maxWidth - 3 < len) return `...${abbreviateFull(byteSlice(str, off), 0, maxWidth - 3)}`;
  return `...${byteSlice(str, len - (maxWidth - 3))}`;
}

/** goutils.WrapCustom on UTF-8 bytes. */
export function wrapCustom(str: string, wrapLength: number, newLine: string, wrapLongWords: boolean): string {
  if (str === "") return "";
  const nl = newLine === "" ? "\n" : newLine;
  const wl = Math.max(wrapLength, 1);
  const b = Buffer.from(str, "utf8");
  const dec = (i: number, j?: number) => b.subarray(i, j).toString("utf8");
  const n = b.length;
  let offset = 0;
  let out = "";
  while (n - offset > wl) {
    if (b[offset] === 0x20) {
      offset++;
      continue;
    }
    const end = Math.min(wl + offset + 1, n);
    const space = b.subarray(offset, end).lastIndexOf(0x20);
    if (space >= 0) {
      out += dec(offset, offset + space) + nl;
      offset = offset + space + 1;
    } else if (wrapLongWords) {
      out += dec(offset, wl + offset) + nl;
      offset += wl;
    } else {
      const e = wl + offset;
      const idx = b.subarray(e).indexOf(0x20);
      if (idx === -1) {
        out += dec(offset);
        offset = n;
      } else {
        out += dec(offset, idx + e) + nl;
        offset = idx + e + 1;
      }
    }
  }
  return out + dec(offset);
}

/** Runs f over each UTF-8 byte as a Latin-1 rune, as goutils' byte loops (rune(str[i])) do. */
function byteRunes(s: string): string[] {
  return Array.from(Buffer.from(s, "utf8"), (x) => String.fromCharCode(x));
}

/** goutils.DeleteWhiteSpace (byte-wise, like the original). */
export function deleteWhiteSpace(s: string): string {
  if (s === "") return s;
  if (isAscii(s))
    return Array.from(s)
      .filter((c) => !isSpace(cp(c)))
      .join("");
  const chars = byteRunes(s);
  const kept = chars.filter((c) => !isSpace(cp(c)));
  return kept.length === chars.length ? s : kept.join("");
}

/** goutils.Initials (byte-wise). */
export function initials(s: string): string {
  let out = "";
  let gap = true;
  for (const c of isAscii(s) ? Array.from(s) : byteRunes(s)) {
    if (isSpace(cp(c))) gap = true;
    else if (gap) {
      out += c;
      gap = false;
    }
  }
  return out;
}

/** goutils.Uncapitalize: lower-cases the first rune of each whitespace-separated word. */
export function uncapitalize(s: string): string {
  let next = true;
  let out = "";
  for (const ch of s) {
    if (isSpace(cp(ch))) {
      next = true;
      out += ch;
    } else if (next) {
      out += toLowerRune(ch);
      next = false;
    } else out += ch;
  }
  return out;
}

/** goutils.SwapCase. */
export function swapCase(s: string): string {
  let ws = true;
  let out = "";
  for (const ch of s) {
    if (isUpper(ch) || isTitleCase(ch)) {
      out += toLowerRune(ch);
      ws = false;
    } else if (isLower(ch)) {
      out += ws ? toTitleRune(ch) : toUpperRune(ch);
      ws = false;
    } else {
      ws = isSpace(cp(ch));
      out += ch;
    }
  }
  return out;
}
