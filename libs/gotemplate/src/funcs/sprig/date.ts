/** sprig date.go on an injectable clock: time.Time values (GoTime), layouts, durations. */
import {
  FuncError,
  type FuncMap,
  type GoFunc,
  GoInt,
  GoObject,
  goFunc,
  goInt,
  type Kind,
  type Value,
} from "../../value.js";
import { DurationError, durationString, parseDuration, roundDuration } from "../go/duration.js";
import { parseGoInt } from "../go/strconv.js";
import {
  civil,
  dayName,
  formatTime,
  loadLocation,
  monthName,
  RFC3339NANO,
  TimeParseError,
  UTC,
  type Zone,
} from "../go/time.js";
import { parseTime } from "../go/time-parse.js";
import type { SprigEnv } from "./env.js";

const S = "string";
const ANY = "interface {}";
const T = "time.Time";

/** time.Time: an instant (ms + extra ns) in a zone; `mono` mimics Go's monotonic reading for String(). */
export class GoTime extends GoObject {
  readonly goType = "time.Time";
  readonly goKind: Kind = "struct";
  constructor(
    readonly ms: number,
    readonly nsExtra: number,
    readonly zone: Zone,
    readonly mono?: number,
  ) {
    super();
  }
  civil() {
    return civil(this.ms, this.nsExtra, this.zone);
  }
  unixNanos(): bigint {
    return BigInt(Math.floor(this.ms)) * 1000000n + BigInt(this.nsExtra);
  }
  unix(): bigint {
    return BigInt(Math.floor(this.ms / 1000));
  }
  in(z: Zone): GoTime {
    return new GoTime(this.ms, this.nsExtra, z);
  }
  add(ns: bigint): GoTime {
    const total = this.unixNanos() + ns;
    const ms = Number(total / 1000000n - (total % 1000000n < 0n ? 1n : 0n));
    const extra = Number(((total % 1000000n) + 1000000n) % 1000000n);
    return new GoTime(ms, extra, this.zone, this.mono === undefined ? undefined : this.mono + Number(ns) / 1e9);
  }
  format(): string {
    let s = formatTime(this.civil(), "2006-01-02 15:04:05.999999999 -0700 MST");
    if (this.mono !== undefined) s += ` m=+${this.mono.toFixed(9)}`;
    return s;
  }
  goJson(): Value {
    return formatTime(this.civil(), RFC3339NANO);
  }
  override method(name: string): GoFunc | undefined {
    const c = () => this.civil();
    switch (name) {
      case "Year":
        return goFunc([], () => goInt(c().year));
      case "Month":
        return goFunc([], () => monthName(c().month));
      case "Day":
        return goFunc([], () => goInt(c().day));
      case "Hour":
        return goFunc([], () => goInt(c().hour));
      case "Minute":
        return goFunc([], () => goInt(c().min));
      case "Second":
        return goFunc([], () => goInt(c().sec));
      case "Nanosecond":
        return goFunc([], () => goInt(c().nsec));
      case "YearDay":
        return goFunc([], () => goInt(c().yday));
      case "Weekday":
        return goFunc([], () => dayName(c().wday));
      case "Unix":
        return goFunc([], () => goInt(this.unix(), "int64"));
      case "UnixMilli":
        return goFunc([], () => goInt(BigInt(Math.floor(this.ms)), "int64"));
      case "UnixNano":
        return goFunc([], () => goInt(this.unixNanos(), "int64"));
      case "Format":
        return goFunc([S], (l) => formatTime(c(), l as string));
      case "UTC":
        return goFunc([], () => this.in(UTC));
      case "IsZero":
        return goFunc([], () => this.unixNanos() === -62135596800000000000n);
      case "String":
        return goFunc([], () => this.format());
      case "Before":
        return goFunc([T], (o) => this.unixNanos() < (o as GoTime).unixNanos());
      case "After":
        return goFunc([T], (o) => this.unixNanos() > (o as GoTime).unixNanos());
      case "Equal":
        return goFunc([T], (o) => this.unixNanos() === (o as GoTime).unixNanos());
    }
    return undefined;
  }
}

/** Go's zero time.Time (January 1, year 1, 00:00:00 UTC). */
export const ZERO_TIME = new GoTime(-62135596800000, 0, UTC);

const isIntKind = (v: Value, kinds: string[]): v is GoInt => v instanceof GoInt && kinds.includes(v.kind);

export function dateFuncs(env: SprigEnv): FuncMap {
  const local = (): Zone => loadLocation(env.localZone, UTC) ?? UTC;
  const started = env.now().ms;
  const now = (): GoTime => {
    const n = env.now();
    return new GoTime(n.ms, n.nanos ?? 0, local(), (n.ms - started) / 1000);
  };
  /** sprig's date argument: time.Time, or Unix seconds as int/int64/int32; anything else means now. */
  const toTime = (d: Value, kinds = ["int", "int64", "int32"]): GoTime => {
    if (d instanceof GoTime) return d;
    if (isIntKind(d, kinds)) return new GoTime(Number(d.value) * 1000, 0, local());
    return now();
  };
  const dateInZone = (fmt: string, d: Value, zone: string): string => {
    const z = loadLocation(zone, local()) ?? UTC;
    return formatTime(toTime(d).in(z).civil(), fmt);
  };
  const toDate = (fmt: string, s: string): GoTime => {
    const p = parseTime(fmt, s, local(), local());
    return new GoTime(p.ms, p.nsExtra, p.zone);
  };
  const dateModify = (must: boolean) =>
    goFunc([S, T], (f, d) => {
      try {
        return (d as GoTime).add(parseDuration(f as string));
      } catch (e) {
        if (!(e instanceof DurationError)) throw e;
        if (must) throw new FuncError(e.message);
        return d;
      }
    });
  const since = (t: GoTime): bigint => now().unixNanos() - t.unixNanos();
  return {
    now: goFunc([], () => now()),
    date: goFunc([S, ANY], (f, d) => dateInZone(f as string, d, "Local")),
    dateInZone: goFunc([S, ANY, S], (f, d, z) => dateInZone(f as string, d, z as string)),
    date_in_zone: goFunc([S, ANY, S], (f, d, z) => dateInZone(f as string, d, z as string)),
    htmlDate: goFunc([ANY], (d) => dateInZone("2006-01-02", d, "Local")),
    htmlDateInZone: goFunc([ANY, S], (d, z) => dateInZone("2006-01-02", d, z as string)),
    dateModify: dateModify(false),
    date_modify: dateModify(false),
    mustDateModify: dateModify(true),
    must_date_modify: dateModify(true),
    ago: goFunc([ANY], (d) => durationString(roundDuration(since(toTime(d, ["int", "int64"])), 1000000000n))),
    duration: goFunc([ANY], (sec) => {
      let n = 0n;
      if (typeof sec === "string") {
        const r = parseGoInt(sec, 10);
        n = typeof r === "bigint" ? r : 0n;
      } else if (isIntKind(sec, ["int64"])) n = sec.value;
      return durationString(BigInt.asIntN(64, n * 1000000000n));
    }),
    durationRound: goFunc([ANY], (d) => {
      let dur = 0n;
      if (typeof d === "string") {
        try {
          dur = parseDuration(d);
        } catch (e) {
          if (!(e instanceof DurationError)) throw e;
        }
      } else if (isIntKind(d, ["int64"])) dur = d.value;
      else if (d instanceof GoTime) dur = since(d);
      return durationRoundText(dur);
    }),
    toDate: goFunc([S, S], (f, s) => {
      try {
        return toDate(f as string, s as string);
      } catch (e) {
        if (e instanceof TimeParseError) return ZERO_TIME;
        throw e;
      }
    }),
    mustToDate: goFunc([S, S], (f, s) => {
      try {
        return toDate(f as string, s as string);
      } catch (e) {
        if (e instanceof TimeParseError) throw new FuncError(e.message);
        throw e;
      }
    }),
    unixEpoch: goFunc([T], (d) => String((d as GoTime).unix())),
  };
}

function durationRoundText(d: bigint): string {
  const u = d < 0n ? -d : d;
  const hour = 3600n * 1000000000n;
  const steps: [bigint, string][] = [
    [hour * 24n * 365n, "y"],
    [hour * 24n * 30n, "mo"],
    [hour * 24n, "d"],
    [hour, "h"],
    [60n * 1000000000n, "m"],
    [1000000000n, "s"],
  ];
  for (const [unit, suffix] of steps) if (u > unit) return `${u / unit}${suffix}`;
  return "0s";
}
