import { tzAbbrev } from "./tzabbrev.js";

/**
 * Go time.Time for templates: instants with a zone (UTC, fixed, or IANA through Intl), Go layout
 * formatting ("2006-01-02T15:04:05Z07:00") and parsing (time.ParseInLocation), plus Time.String().
 */

export class TimeParseError extends Error {}

export interface Zone {
  /** IANA name, "UTC", or "" for a fixed offset. */
  name: string;
  /** fixed offset seconds (used when name is "" or "UTC"). */
  fixed: number;
  /** abbreviation for fixed zones. */
  abbrev: string;
}

export const UTC: Zone = { name: "UTC", fixed: 0, abbrev: "UTC" };

const dtfCache = new Map<string, Intl.DateTimeFormat>();

function dtf(tz: string): Intl.DateTimeFormat {
  let f = dtfCache.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      timeZoneName: "short",
      era: "short",
    });
    dtfCache.set(tz, f);
  }
  return f;
}

/** time.LoadLocation: undefined for an unknown zone. */
export function loadLocation(name: string, local: Zone): Zone | undefined {
  if (name === "" || name === "UTC") return UTC;
  if (name === "Local") return local;
  try {
    dtf(name);
    return { name, fixed: 0, abbrev: "" };
  } catch {
    return undefined;
  }
}

/** Offset (seconds east of UTC) and abbreviation of zone at a Unix instant (ms). */
export function zoneAt(z: Zone, ms: number): { offset: number; abbrev: string } {
  if (z.name === "" || z.name === "UTC") return { offset: z.fixed, abbrev: z.abbrev };
  const offset = rawOffset(z.name, ms);
  const year = new Date(ms + offset * 1000).getUTCFullYear();
  const known = tzAbbrev(z.name, offset, standardOffset(z.name, year));
  if (known !== undefined) return { offset, abbrev: known };
  const parts = dtf(z.name).formatToParts(new Date(Math.floor(ms / 1000) * 1000));
  const name = parts.find((p) => p.type === "timeZoneName")?.value ?? "";
  return { offset, abbrev: /^GMT([+-]|$)/.test(name) ? fixedAbbrev(offset) : name };
}

const stdCache = new Map<string, number>();

/** The zone's standard (smaller) offset in `year`: the lesser of mid-January's and mid-July's. */
function standardOffset(tz: string, year: number): number {
  const key = `${tz}\u0000${year}`;
  let v = stdCache.get(key);
  if (v === undefined) {
    const at = (month: number) => {
      const d = new Date(Date.UTC(2000, month, 15));
      d.setUTCFullYear(year);
      return rawOffset(tz, d.getTime());
    };
    v = Math.min(at(0), at(6));
    if (stdCache.size > 1000) stdCache.clear();
    stdCache.set(key, v);
  }
  return v;
}

function rawOffset(tz: string, ms: number): number {
  const sec = Math.floor(ms / 1000) * 1000;
  const parts = dtf(tz).formatToParts(new Date(sec));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  let year = Number(get("year"));
  if (get("era") === "BC") year = 1 - year;
  const local = new Date(
    Date.UTC(
      2000,
      Number(get("month")) - 1,
      Number(get("day")),
      Number(get("hour")),
      Number(get("minute")),
      Number(get("second")),
    ),
  );
  local.setUTCFullYear(year);
  return Math.round((local.getTime() - sec) / 1000);
}

/** tzdata-style numeric abbreviations ("+03", "-0330") where no letters are known. */
function fixedAbbrev(offset: number): string {
  const sign = offset < 0 ? "-" : "+";
  const a = Math.abs(offset);
  const h = String(Math.floor(a / 3600)).padStart(2, "0");
  const m = Math.floor((a % 3600) / 60);
  return m === 0 ? `${sign}${h}` : `${sign}${h}${String(m).padStart(2, "0")}`;
}

export interface Civil {
  year: number;
  month: number; // 1..12
  day: number;
  hour: number;
  min: number;
  sec: number;
  nsec: number;
  wday: number; // 0 = Sunday
  yday: number; // 1..366
  offset: number;
  abbrev: string;
}

const DAY_MS = 86400000;

export function civil(ms: number, nsecExtra: number, z: Zone): Civil {
  const { offset, abbrev } = zoneAt(z, ms);
  const wall = ms + offset * 1000;
  const d = new Date(wall);
  const year = d.getUTCFullYear();
  const start = Date.UTC(year, 0, 1);
  const msPart = ((wall % 1000) + 1000) % 1000;
  return {
    year,
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    min: d.getUTCMinutes(),
    sec: d.getUTCSeconds(),
    nsec: msPart * 1e6 + nsecExtra,
    wday: d.getUTCDay(),
    yday: Math.floor((wall - start) / DAY_MS) + 1,
    offset,
    abbrev,
  };
}

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
const LONG_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

export const monthName = (m: number): string => LONG_MONTHS[m - 1] ?? `%!Month(${m})`;
export const dayName = (d: number): string => LONG_DAYS[d] ?? "";

type Std = { k: "lit"; s: string } | { k: "std"; s: string; frac?: { ch: string; n: number; sep: string } };

const lower = (c: string | undefined) => c !== undefined && c >= "a" && c <= "z";
const digit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";

/** Splits a Go layout into literals and std chunks (time.nextStdChunk). */
export function layoutChunks(layout: string): Std[] {
  const out: Std[] = [];
  let lit = "";
  const push = (s: string, frac?: { ch: string; n: number; sep: string }) => {
    if (lit) out.push({ k: "lit", s: lit });
    lit = "";
    out.push(frac ? { k: "std", s, frac } : { k: "std", s });
  };
  let i = 0;
  const at = (s: string) => layout.startsWith(s, i);
  while (i < layout.length) {
    const c = layout[i] as string;
    let std: string | undefined;
    if (c === "J" && at("Jan")) {
      if (at("January")) std = "January";
      else if (!lower(layout[i + 3])) std = "Jan";
    } else if (c === "M") {
      if (at("Mon")) {
        if (at("Monday")) std = "Monday";
        else if (!lower(layout[i + 3])) std = "Mon";
      }
      if (!std && at("MST")) std = "MST";
    } else if (c === "0") {
      const n = layout[i + 1];
      if (n !== undefined && n >= "1" && n <= "6") std = `0${n}`;
      else if (at("002")) std = "002";
    } else if (c === "1") std = at("15") ? "15" : "1";
    else if (c === "2") std = at("2006") ? "2006" : "2";
    else if (c === "_") {
      if (layout[i + 1] === "2") {
        if (layout.startsWith("2006", i + 1)) {
          lit += "_";
          i++;
          std = "2006";
        } else std = "_2";
      } else if (at("__2")) std = "__2";
    } else if (c === "3" || c === "4" || c === "5") std = c;
    else if (c === "P" && layout[i + 1] === "M") std = "PM";
    else if (c === "p" && layout[i + 1] === "m") std = "pm";
    else if (c === "-" || c === "Z") {
      for (const t of ["070000", "07:00:00", "0700", "07:00", "07"]) {
        if (at(c + t)) {
          std = c + t;
          break;
        }
      }
    } else if ((c === "." || c === ",") && (layout[i + 1] === "0" || layout[i + 1] === "9")) {
      const ch = layout[i + 1] as string;
      let j = i + 1;
      while (j < layout.length && layout[j] === ch) j++;
      if (!digit(layout[j])) {
        push(`${c}${ch.repeat(j - i - 1)}`, { ch, n: j - i - 1, sep: c });
        i = j;
        continue;
      }
    }
    if (std) {
      push(std);
      i += std.length;
    } else {
      lit += c;
      i++;
    }
  }
  if (lit) out.push({ k: "lit", s: lit });
  return out;
}

const pad = (n: number, w: number): string => {
  const s = String(Math.abs(n)).padStart(w, "0");
  return n < 0 ? `-${s}` : s;
};

function tz(std: string, offset: number, abbrev: string): string {
  if (std === "MST") {
    if (abbrev) return abbrev;
    const z = Math.trunc(offset / 60);
    return (z < 0 ? "-" : "+") + pad(Math.floor(Math.abs(z) / 60), 2) + pad(Math.abs(z) % 60, 2);
  }
  const iso = std[0] === "Z";
  if (iso && offset === 0) return "Z";
  const body = std.slice(1);
  let zone = Math.trunc(offset / 60);
  let abs = offset;
  let s = "+";
  if (zone < 0) {
    s = "-";
    zone = -zone;
    abs = -abs;
  }
  s += pad(Math.floor(zone / 60), 2);
  const colon = body.includes(":");
  if (body !== "07") s += (colon ? ":" : "") + pad(zone % 60, 2);
  if (body === "070000" || body === "07:00:00") s += (colon ? ":" : "") + pad(abs % 60, 2);
  return s;
}

/** Time.Format(layout). */
export function formatTime(c: Civil, layout: string): string {
  let out = "";
  for (const ch of layoutChunks(layout)) {
    if (ch.k === "lit") {
      out += ch.s;
      continue;
    }
    if (ch.frac) {
      const digits = String(c.nsec).padStart(9, "0").slice(0, ch.frac.n);
      if (ch.frac.ch === "0") out += ch.frac.sep + digits;
      else {
        const t = digits.replace(/0+$/, "");
        if (t) out += ch.frac.sep + t;
      }
      continue;
    }
    const h12 = c.hour % 12 === 0 ? 12 : c.hour % 12;
    switch (ch.s) {
      case "2006":
        out += pad(c.year, 4);
        break;
      case "06":
        out += pad(((c.year % 100) + 100) % 100, 2);
        break;
      case "January":
        out += monthName(c.month);
        break;
      case "Jan":
        out += monthName(c.month).slice(0, 3);
        break;
      case "1":
        out += c.month;
        break;
      case "01":
        out += pad(c.month, 2);
        break;
      case "Monday":
        out += dayName(c.wday);
        break;
      case "Mon":
        out += dayName(c.wday).slice(0, 3);
        break;
      case "2":
        out += c.day;
        break;
      case "_2":
        out += String(c.day).padStart(2, " ");
        break;
      case "02":
        out += pad(c.day, 2);
        break;
      case "__2":
        out += String(c.yday).padStart(3, " ");
        break;
      case "002":
        out += pad(c.yday, 3);
        break;
      case "15":
        out += pad(c.hour, 2);
        break;
      case "3":
        out += h12;
        break;
      case "03":
        out += pad(h12, 2);
        break;
      case "4":
        out += c.min;
        break;
      case "04":
        out += pad(c.min, 2);
        break;
      case "5":
        out += c.sec;
        break;
      case "05":
        out += pad(c.sec, 2);
        break;
      case "PM":
        out += c.hour >= 12 ? "PM" : "AM";
        break;
      case "pm":
        out += c.hour >= 12 ? "pm" : "am";
        break;
      default:
        out += tz(ch.s, c.offset, c.abbrev);
    }
  }
  return out;
}

export const RFC3339NANO = "2006-01-02T15:04:05.999999999Z07:00";
