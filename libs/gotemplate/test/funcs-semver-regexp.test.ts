// Masterminds/semver v3 constraints and Go regexp (RE2) semantics behind sprig's functions.
import { compile, findAll, replaceAll, split } from "../src/funcs/go/regexp.js";
import { check, newConstraint, newVersion, versionString } from "../src/funcs/go/semver.js";
import { render } from "../src/internal.js";

const ok = (c: string, v: string) => check(newConstraint(c), newVersion(v));

describe("semver", () => {
  test.each([
    [">=1.2.0", "1.2.3", true],
    ["^1.2", "1.9.0", true],
    ["^1.2", "2.0.0", false],
    ["~1.2.3", "1.2.9", true],
    ["~1.2.3", "1.3.0", false],
    ["1.2.x", "1.2.7", true],
    [">1.0 <2.0", "1.5.0", true],
    ["<1.0 || >=3", "3.1.0", true],
    ["1.0 - 2.0", "2.0.5", true],
    [">=1.0.0", "1.2.0-beta", false],
    ["^0.2.3", "0.3.0", false],
    ["!=1.2", "1.2.5", false],
  ])("semver - %s against %s is %s", (c, v, want) => {
    expect(ok(c, v)).toBe(want);
  });

  test("semver - parses leniently and rejects like Masterminds", () => {
    expect(versionString(newVersion("v1.2"))).toBe("1.2.0");
    expect(() => newVersion("1.2.3-01")).toThrow("Version segment starts with 0");
    expect(() => newConstraint("bad")).toThrow("improper constraint: bad");
    expect(
      render(
        '{{ (semver "v1.2.3-rc.1+b5").Prerelease }} {{ (semver "v1.2").Original }} {{ (semver "1.2.3-a").IncPatch }}',
        {},
      ),
    ).toBe("rc.1 v1.2 1.2.3");
  });
});

describe("regexp", () => {
  test("regexp - expands $name greedily like Go ($1W names group 1W)", () => {
    const re = compile("a(x*)b");
    expect(replaceAll(re, "-ab-axxb-", "$1W", false)).toBe("---");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Go regexp replacement syntax
    expect(replaceAll(re, "-ab-axxb-", "${1}W", false)).toBe("-W-xxW-");
    expect(replaceAll(re, "-ab-axxb-", "$1", true)).toBe("-$1-$1-");
  });

  test("regexp - handles empty matches as Go's FindAll, ReplaceAll and Split do", () => {
    const re = compile("x*");
    expect(replaceAll(re, "abc", "-", false)).toBe("-a-b-c-");
    expect(split(re, "x*", "axbxxc", -1)).toEqual(["a", "b", "c"]);
    expect(findAll(re, "axxb", -1).map((m) => "axxb".slice(m[0], m[1]))).toEqual(["", "xx", ""]);
  });

  test("regexp - reports Go 1.19 syntax errors, including for (?<name>)", () => {
    expect(() => compile("(")).toThrow("error parsing regexp: missing closing ): `(`");
    expect(() => compile("(?<n>x)")).toThrow("error parsing regexp: invalid or unsupported Perl syntax: `(?<`");
    expect(render('{{ regexMatch "(" "x" }}', {})).toBe("false");
    expect(() => render('{{ regexFind "(" "x" }}', {})).toThrow(
      "regexp: Compile(`(`): error parsing regexp: missing closing ): `(`",
    );
  });
});
