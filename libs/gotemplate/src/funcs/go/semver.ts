/** Port of Masterminds/semver v3.2 (NewVersion, Compare, NewConstraint, Check) as sprig uses it. */

export class SemverError extends Error {}

export interface Version {
  major: bigint;
  minor: bigint;
  patch: bigint;
  pre: string;
  metadata: string;
  original: string;
}

const SEMVER = String.raw`v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?`;
const VERSION_RE = new RegExp(`^${SEMVER}$`);
const UINT64_MAX = 2n ** 64n - 1n;

function parseSegment(s: string): bigint {
  const v = BigInt(s);
  if (v > UINT64_MAX)
    throw new SemverError(`Error parsing version segment: strconv.ParseUint: parsing "${s}": value out of range`);
  return v;
}

function validatePrerelease(p: string): void {
  for (const part of p.split(".")) {
    if (/^[0-9]*$/.test(part)) {
      if (part.length > 1 && part[0] === "0") throw new SemverError("Version segment starts with 0");
    } else if (!/^[0-9A-Za-z-]*$/.test(part)) throw new SemverError("Invalid Prerelease string");
  }
}

export function newVersion(v: string): Version {
  const m = VERSION_RE.exec(v);
  if (!m) throw new SemverError("Invalid Semantic Version");
  const sv: Version = {
    major: parseSegment(m[1] as string),
    minor: m[2] ? parseSegment(m[2].slice(1)) : 0n,
    patch: m[3] ? parseSegment(m[3].slice(1)) : 0n,
    pre: m[5] ?? "",
    metadata: m[8] ?? "",
    original: v,
  };
  if (sv.pre !== "") validatePrerelease(sv.pre);
  return sv;
}

export function versionString(v: Version): string {
  let s = `${v.major}.${v.minor}.${v.patch}`;
  if (v.pre) s += `-${v.pre}`;
  if (v.metadata) s += `+${v.metadata}`;
  return s;
}

const cmp = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

function comparePrePart(s: string, o: string): number {
  if (s === o) return 0;
  if (s === "") return o !== "" ? -1 : 1;
  if (o === "") return s !== "" ? 1 : -1;
  const sn = /^[0-9]+$/.test(s) && BigInt(s) <= UINT64_MAX;
  const on = /^[0-9]+$/.test(o) && BigInt(o) <= UINT64_MAX;
  if (!sn && !on) return s > o ? 1 : -1;
  if (!on) return -1;
  if (!sn) return 1;
  return BigInt(s) > BigInt(o) ? 1 : -1;
}

function comparePrerelease(v: string, o: string): number {
  const sp = v.split(".");
  const op = o.split(".");
  for (let i = 0; i < Math.max(sp.length, op.length); i++) {
    const d = comparePrePart(sp[i] ?? "", op[i] ?? "");
    if (d !== 0) return d;
  }
  return 0;
}

export function compare(v: Version, o: Version): number {
  const d = cmp(v.major, o.major) || cmp(v.minor, o.minor) || cmp(v.patch, o.patch);
  if (d !== 0) return d;
  if (v.pre === "" && o.pre === "") return 0;
  if (v.pre === "") return 1;
  if (o.pre === "") return -1;
  return comparePrerelease(v.pre, o.pre);
}

// ---- constraints ----

interface Constraint {
  con: Version;
  orig: string;
  op: string;
  minorDirty: boolean;
  patchDirty: boolean;
  dirty: boolean;
}

const CV = String.raw`v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?`;
const OPS = String.raw`=||!=|>|<|>=|=>|<=|=<|~|~>|\^`;
const CONSTRAINT_RE = new RegExp(String.raw`^\s*(${OPS})\s*(${CV})\s*$`);
const RANGE_RE = new RegExp(String.raw`\s*(${CV})\s+-\s+(${CV})\s*`, "g");
const FIND_RE = new RegExp(String.raw`(${OPS})\s*(${CV})`, "g");
const VALID_RE = new RegExp(String.raw`^(\s*(${OPS})\s*(${CV})\s*)((?:\s+|,\s*)(${OPS})\s*(${CV})\s*)*$`);

const isX = (x: string | undefined) => x === "x" || x === "*" || x === "X";

function parseConstraint(c: string): Constraint {
  const m = CONSTRAINT_RE.exec(c);
  if (!m) throw new SemverError(`improper constraint: ${c}`);
  const [m3, m4, m5, m6] = [m[3] ?? "", m[4] ?? "", m[5] ?? "", m[6] ?? ""];
  let ver = m[2] as string;
  let minorDirty = false;
  let patchDirty = false;
  let dirty = false;
  if (isX(m3) || m3 === "") {
    ver = `0.0.0${m6}`;
    dirty = true;
  } else if (isX(m4.replace(/^\./, "")) || m4 === "") {
    minorDirty = true;
    dirty = true;
    ver = `${m3}.0.0${m6}`;
  } else if (isX(m5.replace(/^\./, "")) || m5 === "") {
    dirty = true;
    patchDirty = true;
    ver = `${m3}${m4}.0${m6}`;
  }
  let con: Version;
  try {
    con = newVersion(ver);
  } catch {
    throw new SemverError("constraint Parser Error");
  }
  return { con, orig: m[2] as string, op: m[1] as string, minorDirty, patchDirty, dirty };
}

function rewriteRange(i: string): string {
  let o = i;
  for (const m of i.matchAll(RANGE_RE)) o = o.replace(m[0], `>= ${m[1]}, <= ${m[11]}`);
  return o;
}

export type Constraints = Constraint[][];

export function newConstraint(c: string): Constraints {
  return rewriteRange(c)
    .split("||")
    .map((v) => {
      if (!VALID_RE.test(v)) throw new SemverError(`improper constraint: ${v}`);
      const cs = Array.from(v.matchAll(FIND_RE), (m) => m[0]);
      return (cs.length === 0 ? [v] : cs).map(parseConstraint);
    });
}

function checkOne(v: Version, c: Constraint): boolean {
  const preBlocked = v.pre !== "" && c.con.pre === "";
  switch (c.op) {
    case "":
    case "=":
      if (preBlocked) return false;
      return c.dirty ? tilde(v, c) : compare(v, c.con) === 0;
    case "!=":
      return notEqual(v, c);
    case ">":
      if (preBlocked) return false;
      if (!c.dirty) return compare(v, c.con) === 1;
      if (v.major > c.con.major) return true;
      if (v.major < c.con.major || c.minorDirty) return false;
      if (c.patchDirty) return v.minor > c.con.minor;
      return compare(v, c.con) === 1;
    case "<":
      return !preBlocked && compare(v, c.con) < 0;
    case ">=":
    case "=>":
      return !preBlocked && compare(v, c.con) >= 0;
    case "<=":
    case "=<":
      if (preBlocked) return false;
      if (!c.dirty) return compare(v, c.con) <= 0;
      if (v.major > c.con.major) return false;
      return !(v.major === c.con.major && v.minor > c.con.minor && !c.minorDirty);
    case "~":
    case "~>":
      return !preBlocked && tilde(v, c);
    case "^":
      return !preBlocked && caret(v, c);
  }
  return false;
}

function tilde(v: Version, c: Constraint): boolean {
  if (v.pre !== "" && c.con.pre === "") return false;
  if (compare(v, c.con) < 0) return false;
  if (c.con.major === 0n && c.con.minor === 0n && c.con.patch === 0n && !c.minorDirty && !c.patchDirty) return true;
  if (v.major !== c.con.major) return false;
  return !(v.minor !== c.con.minor && !c.minorDirty);
}

function caret(v: Version, c: Constraint): boolean {
  if (compare(v, c.con) < 0) return false;
  if (c.con.major > 0n || c.minorDirty) return v.major === c.con.major;
  if (c.con.major === 0n && v.major > 0n) return false;
  if (c.con.minor > 0n || c.patchDirty) return v.minor === c.con.minor;
  if (c.con.minor === 0n && v.minor > 0n) return false;
  return c.con.patch === v.patch;
}

function notEqual(v: Version, c: Constraint): boolean {
  if (c.dirty) {
    if (v.pre !== "" && c.con.pre === "") return false;
    if (c.con.major !== v.major) return true;
    if (c.con.minor !== v.minor && !c.minorDirty) return true;
    if (c.minorDirty) return false;
    if (c.con.patch !== v.patch && !c.patchDirty) return true;
    if (c.patchDirty) {
      if (v.pre !== "" || c.con.pre !== "") return comparePrerelease(v.pre, c.con.pre) !== 0;
      return false;
    }
  }
  return compare(v, c.con) !== 0;
}

export function check(cs: Constraints, v: Version): boolean {
  return cs.some((and) => and.every((c) => checkOne(v, c)));
}
