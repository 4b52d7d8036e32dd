// sprig dates on Go's time package semantics: layouts, parsing errors, durations, the injectable clock.
import { durationString, parseDuration } from "../src/funcs/go/duration.js";
import { civil, formatTime, UTC } from "../src/funcs/go/time.js";
import { parseTime } from "../src/funcs/go/time-parse.js";
import { render } from "../src/internal.js";

const at = (iso: string) => civil(Date.parse(iso), 0, UTC);

describe("time", () => {
  test("time - formats Go reference layouts", () => {
    const c = at("2024-03-05T14:07:09.120Z");
    expect(formatTime(c, "2006-01-02T15:04:05.000Z07:00")).toBe("2024-03-05T14:07:09.120Z");
    expect(formatTime(c, "Mon Jan _2 3:04:05 PM MST 2006 .999 002 __2")).toBe(
      "Tue Mar  5 2:07:09 PM UTC 2024 .12 065  65",
    );
    expect(formatTime(c, "January 06 -07:00 Monday 1/2")).toBe("March 24 +00:00 Tuesday 3/5");
  });

  test("time - parses layouts and reports Go's ParseError texts", () => {
    const p = parseTime("2006-01-02T15:04:05Z07:00", "2024-01-02T03:04:05+01:00", UTC, UTC);
    expect(p.ms / 1000).toBe(1704161045);
    expect(() => parseTime("2006-01-02 15:04", "2024-02-30 10:00", UTC, UTC)).toThrow(
      'parsing time "2024-02-30 10:00": day out of range',
    );
    expect(() => parseTime("2006-01-02 15:04", "2024-02-10 25:00", UTC, UTC)).toThrow(
      'parsing time "2024-02-10 25:00": hour out of range',
    );
    expect(() => parseTime("2006-01-02", "2024-1-10", UTC, UTC)).toThrow(
      'parsing time "2024-1-10" as "2006-01-02": cannot parse "1-10" as "01"',
    );
  });

  test("time - parses and prints durations like time.ParseDuration and Duration.String", () => {
    expect(parseDuration("1h30m")).toBe(5400000000000n);
    expect(parseDuration("-1.5h")).toBe(-5400000000000n);
    expect(parseDuration("1.5us")).toBe(1500n);
    expect(() => parseDuration("1x")).toThrow('time: unknown unit "x" in duration "1x"');
    expect(() => parseDuration("1")).toThrow('time: missing unit in duration "1"');
    expect(durationString(90061000000000n)).toBe("25h1m1s");
    expect(durationString(1500n)).toBe("1.5µs");
    expect(durationString(0n)).toBe("0s");
    expect(durationString(-1500000n)).toBe("-1.5ms");
  });

  test("time - sprig duration, durationRound and dateModify", () => {
    expect(
      render('{{ duration 3661 }}|{{ duration "90061" }}|{{ durationRound "26h" }}|{{ durationRound "35d" }}', {}),
    ).toBe("0s|25h1m1s|1d|0s");
    expect(render('{{ dateModify "-1.5h" (toDate "2006-01-02 15:04" "2024-01-01 00:30") }}', {})).toBe(
      "2023-12-31 23:00:00 +0000 UTC",
    );
  });

  test("time - now, date and ago follow the injected clock", () => {
    const now = () => new Date("2025-02-04T13:12:03Z");
    expect(render('{{ now | date "2006-01-02 15:04:05" }}|{{ date "Jan 2" .t }}', { t: 1 }, { now })).toBe(
      "2025-02-04 13:12:03|Feb 4",
    );
    expect(render('{{ ago (toDate "2006-01-02" "2025-02-01") }}|{{ now.Year }}', {}, { now })).toBe("85h12m3s|2025");
    expect(render("{{ now }}", {}, { now })).toMatch(/^2025-02-04 13:12:03 \+0000 UTC m=\+\d+\.\d{9}$/);
  });

  test("time - dateInZone uses tzdata abbreviations and DST", () => {
    expect(
      render(
        '{{ dateInZone "15:04 MST" 1700000000 "Europe/Berlin" }}|{{ dateInZone "15:04 MST" 1690000000 "Europe/Berlin" }}',
        {},
      ),
    ).toBe("23:13 CET|06:26 CEST");
    expect(
      render('{{ dateInZone "MST -0700" 1700000000 "Asia/Dubai" }}|{{ dateInZone "MST" 0 "Bogus/Zone" }}', {}),
    ).toBe("+04 +0400|UTC");
  });
});
