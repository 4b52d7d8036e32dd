/** Port of Go's time.ParseInLocation (layout-driven parsing and its ParseError texts). */
import { timeQuote as goQuote } from "./duration.js";
import { layoutChunks, TimeParseError, type Zone, zoneAt } from "./time.js";

export interface Parsed {
  /** Unix milliseconds of the instant. */
  ms: number;
  /** nanoseconds below the millisecond. */
  nsExtra: number;
  zone: Zone;
}

const SHORT_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const LONG_MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const SHORT_DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const LONG_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

class Bad extends Error {}

const isDigit = (s: string, i: number) => i < s.length && (s[i] as string) >= "0" && (s[i] as string) <= "9";

function getnum(s: string, fixed: boolean): [number, string] {
  if (!isDigit(s, 0)) throw new Bad();
  if (!isDigit(s, 1)) {
    if (fixed) throw new Bad();
    return [Number(s[0]), s.slice(1)];
  }
  return [Number(s.slice(0, 2)), s.slice(2)];
}

/** time.atoi: optional sign, then only digits. */
function atoi(s: string): number {
  if (!/^[+-]?[0-9]+$/.test(s)) throw new Bad();
  return Number(s);
}

function getnum3(s: string, fixed: boolean): [number, string] {
  let n = 0;
  let i = 0;
  for (; i < 3 && isDigit(s, i); i++) n = n * 10 + Number(s[i]);
  if (i === 0 || (fixed && i !== 3)) throw new Bad();
  return [n, s.slice(i)];
}

function lookup(tab: string[], val: string): [number, string] {
  for (let i = 0; i < tab.length; i++) {
    const v = tab[i] as string;
    if (val.length >= v.length && val.slice(0, v.length).toLowerCase() === v.toLowerCase())
      return [i, val.slice(v.length)];
  }
  throw new Bad();
}

function skip(value: string, prefix: string): string {
  let v = value;
  let p = prefix;
  while (p.length > 0) {
    if (p[0] === " ") {
      if (v.length > 0 && v[0] !== " ") throw new Bad();
      p = p.replace(/^ +/, "");
      v = v.replace(/^ +/, "");
      continue;
    }
    if (v.length === 0 || v[0] !== p[0]) throw new Bad();
    p = p.slice(1);
    v = v.slice(1);
  }
  return v;
}

function parseNanos(value: string, nbytes: number): number {
  if (value[0] !== "." && value[0] !== ",") throw new Bad();
  const n = Math.min(nbytes, 10);
  const digits = value.slice(1, n);
  if (!/^[0-9]*$/.test(digits)) throw new Bad();
  return Number(digits || "0") * 10 ** (10 - n);
}

function parseTimeZone(value: string): number | undefined {
  if (value.length < 3) return undefined;
  if (value.startsWith("ChST") || value.startsWith("MeST")) return 4;
  if (value.startsWith("GMT")) {
    const m = /^GMT([+-]\d+)?/.exec(value) as RegExpExecArray;
    return m[0].length;
  }
  if (value[0] === "+" || value[0] === "-") {
    const m = /^[+-]\d+/.exec(value);
    return m ? m[0].length : undefined;
  }
  let n = 0;
  while (n < value.length && (value[n] as string) >= "A" && (value[n] as string) <= "Z") n++;
  if (n === 3) return 3;
  if (n === 4) return value[3] === "T" || value.startsWith("WITA") ? 4 : undefined;
  if (n === 5) return value[4] === "T" ? 5 : undefined;
  return undefined;
}

const daysIn = (m: number, y: number): number =>
  m === 2
    ? (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
      ? 29
      : 28
    : ([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] as number);

/** time.ParseInLocation(layout, value, loc) with `local` as time.Local. Throws TimeParseError. */
export function parseTime(layout: string, value: string, loc: Zone, local: Zone): Parsed {
  const err = (le: string, ve: string, msg = "") =>
    new TimeParseError(
      msg === ""
        ? `parsing time ${goQuote(value)} as ${goQuote(layout)}: cannot parse ${goQuote(ve)} as ${goQuote(le)}`
        : `parsing time ${goQuote(value)}${msg}`,
    );
  let year = 0;
  let month = -1;
  let day = -1;
  let yday = -1;
  let hour = 0;
  let min = 0;
  let sec = 0;
  let nsec = 0;
  let z: Zone | undefined;
  let zoneOffset = -1;
  let zoneName = "";
  let am = false;
  let pm = false;
  let v = value;
  const chunks = layoutChunks(layout);
  for (let ci = 0; ci < chunks.length; ci++) {
    const ch = chunks[ci] as (typeof chunks)[number];
    if (ch.k === "lit") {
      try {
        v = skip(v, ch.s);
      } catch {
        throw err(ch.s, v);
      }
      continue;
    }
    let range = "";
    try {
      const s = ch.s;
      if (ch.frac) {
        if (ch.frac.ch === "0") {
          const nd = 1 + ch.frac.n;
          if (v.length < nd) throw new Bad();
          nsec = parseNanos(v, nd);
          v = v.slice(nd);
        } else if (v.length >= 2 && (v[0] === "." || v[0] === ",") && isDigit(v, 1)) {
          let i = 0;
          while (i + 1 < v.length && isDigit(v, i + 1)) i++;
          nsec = parseNanos(v, 1 + i);
          v = v.slice(1 + i);
        }
      } else if (s === "06") {
        if (v.length < 2) throw new Bad();
        const p = v.slice(0, 2);
        v = v.slice(2);
        year = atoi(p);
        year += year >= 69 ? 1900 : 2000;
      } else if (s === "2006") {
        if (v.length < 4 || !isDigit(v, 0)) throw new Bad();
        const p = v.slice(0, 4);
        v = v.slice(4);
        year = atoi(p);
      } else if (s === "Jan" || s === "January") {
        [month, v] = lookup(s === "Jan" ? SHORT_MONTHS : LONG_MONTHS, v);
        month++;
      } else if (s === "1" || s === "01") {
        [month, v] = getnum(v, s === "01");
        if (month <= 0 || month > 12) range = "month";
      } else if (s === "Mon" || s === "Monday") {
        [, v] = lookup(s === "Mon" ? SHORT_DAYS : LONG_DAYS, v);
      } else if (s === "2" || s === "_2" || s === "02") {
        if (s === "_2" && v[0] === " ") v = v.slice(1);
        [day, v] = getnum(v, s === "02");
      } else if (s === "__2" || s === "002") {
        for (let i = 0; i < 2; i++) if (s === "__2" && v[0] === " ") v = v.slice(1);
        [yday, v] = getnum3(v, s === "002");
      } else if (s === "15") {
        [hour, v] = getnum(v, false);
        if (hour >= 24) range = "hour";
      } else if (s === "3" || s === "03") {
        [hour, v] = getnum(v, s === "03");
        if (hour > 12) range = "hour";
      } else if (s === "4" || s === "04") {
        [min, v] = getnum(v, s === "04");
        if (min >= 60) range = "minute";
      } else if (s === "5" || s === "05") {
        [sec, v] = getnum(v, s === "05");
        if (sec >= 60) range = "second";
        else if (v.length >= 2 && (v[0] === "." || v[0] === ",") && isDigit(v, 1)) {
          const next = chunks[ci + 1];
          if (!(next?.k === "std" && next.frac)) {
            let n = 2;
            while (n < v.length && isDigit(v, n)) n++;
            nsec = parseNanos(v, n);
            v = v.slice(n);
          }
        }
      } else if (s === "PM" || s === "pm") {
        if (v.length < 2) throw new Bad();
        const p = v.slice(0, 2);
        v = v.slice(2);
        if (p === (s === "PM" ? "PM" : "pm")) pm = true;
        else if (p === (s === "PM" ? "AM" : "am")) am = true;
        else throw new Bad();
      } else if (s === "MST") {
        if (v.startsWith("UTC")) {
          z = { name: "UTC", fixed: 0, abbrev: "UTC" };
          v = v.slice(3);
        } else {
          const n = parseTimeZone(v);
          if (n === undefined) throw new Bad();
          zoneName = v.slice(0, n);
          v = v.slice(n);
        }
      } else {
        // numeric zones: -0700, -07:00, -07, -070000, -07:00:00 and the Z (ISO 8601) forms
        const body = s.slice(1);
        if (s[0] === "Z" && (body === "0700" || body === "07" || body === "07:00") && v[0] === "Z") {
          v = v.slice(1);
          z = { name: "UTC", fixed: 0, abbrev: "UTC" };
        } else {
          let sign: string;
          let hh: string;
          let mm = "00";
          let ss = "00";
          if (body === "07:00") {
            if (v.length < 6 || v[3] !== ":") throw new Bad();
            [sign, hh, mm] = [v[0] as string, v.slice(1, 3), v.slice(4, 6)];
            v = v.slice(6);
          } else if (body === "07") {
            if (v.length < 3) throw new Bad();
            [sign, hh] = [v[0] as string, v.slice(1, 3)];
            v = v.slice(3);
          } else if (body === "07:00:00") {
            if (v.length < 9 || v[3] !== ":" || v[6] !== ":") throw new Bad();
            [sign, hh, mm, ss] = [v[0] as string, v.slice(1, 3), v.slice(4, 6), v.slice(7, 9)];
            v = v.slice(9);
          } else if (body === "070000") {
            if (v.length < 7) throw new Bad();
            [sign, hh, mm, ss] = [v[0] as string, v.slice(1, 3), v.slice(3, 5), v.slice(5, 7)];
            v = v.slice(7);
          } else {
            if (v.length < 5) throw new Bad();
            [sign, hh, mm] = [v[0] as string, v.slice(1, 3), v.slice(3, 5)];
            v = v.slice(5);
          }
          const [h] = getnum(hh, true);
          const [m] = getnum(mm, true);
          const [sx] = getnum(ss, true);
          zoneOffset = (h * 60 + m) * 60 + sx;
          if (sign === "-") zoneOffset = -zoneOffset;
          else if (sign !== "+") throw new Bad();
        }
      }
    } catch (e) {
      if (e instanceof Bad) throw err(ch.s, v); // Go reports the value left after the failed step
      throw e;
    }
    if (range !== "") throw err(ch.s, v, `: ${range} out of range`);
  }
  if (v.length !== 0) throw err("", v, `: extra text: ${goQuote(v)}`);
  if (pm && hour < 12) hour += 12;
  else if (am && hour === 12) hour = 0;
  if (yday >= 0) {
    let leapDays = yday;
    let m = 0;
    if (yday < 1 || yday > 365 + (daysIn(2, year) === 29 ? 1 : 0)) throw err("", v, ": day-of-year out of range");
    if (month < 0) {
      m = 1;
      while (leapDays > daysIn(m, year)) leapDays -= daysIn(m++, year);
      month = m;
      day = leapDays;
    }
  } else {
    if (month < 0) month = 1;
    if (day < 0) day = 1;
  }
  if (day < 1 || day > daysIn(month, year)) throw err("", v, ": day out of range");
  const wallDate = new Date(Date.UTC(2000, month - 1, day, hour, min, sec));
  wallDate.setUTCFullYear(year, month - 1, day); // Date.UTC maps years 0..99 to 1900..1999
  const wall = wallDate.getTime();
  const msPart = Math.floor(nsec / 1e6);
  const nsExtra = nsec % 1e6;
  if (z) return { ms: wall + msPart, nsExtra, zone: z };
  if (zoneOffset !== -1) {
    const ms = wall - zoneOffset * 1000 + msPart;
    const lz = zoneAt(local, ms);
    if (lz.offset === zoneOffset && (zoneName === "" || lz.abbrev === zoneName)) return { ms, nsExtra, zone: local };
    return { ms, nsExtra, zone: { name: "", fixed: zoneOffset, abbrev: zoneName } };
  }
  if (zoneName !== "") {
    const lz = zoneAt(local, wall);
    if (lz.abbrev === zoneName) return { ms: wall - lz.offset * 1000 + msPart, nsExtra, zone: local };
    let off = 0;
    if (zoneName.length > 3 && zoneName.startsWith("GMT")) off = Number(zoneName.slice(3)) * 3600;
    return { ms: wall - off * 1000 + msPart, nsExtra, zone: { name: "", fixed: off, abbrev: zoneName } };
  }
  // Wall clock in the default location: find the instant whose local time is `wall`.
  const off1 = zoneAt(loc, wall).offset;
  let ms = wall - off1 * 1000;
  const off2 = zoneAt(loc, ms).offset;
  if (off2 !== off1) ms = wall - off2 * 1000;
  return { ms: ms + msPart, nsExtra, zone: loc };
}
