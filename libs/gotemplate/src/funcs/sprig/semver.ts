/** sprig semver.go: semver returns *semver.Version (fields and methods usable in templates). */
import { FuncError, type FuncMap, type GoFunc, GoObject, goFunc, goInt, type Kind, type Value } from "../../value.js";
import { check, compare, newConstraint, newVersion, SemverError, type Version, versionString } from "../go/semver.js";

const S = "string";

/** *semver.Version (ptr) or semver.Version (struct, from IncMajor & co). */
export class SemverVersion extends GoObject {
  readonly goType: string;
  readonly goKind: Kind;
  constructor(
    readonly v: Version,
    pointer = true,
  ) {
    super();
    this.goType = pointer ? "*semver.Version" : "semver.Version";
    this.goKind = pointer ? "ptr" : "struct";
  }
  format(): string {
    return versionString(this.v);
  }
  goJson(): Value {
    return versionString(this.v);
  }
  override method(name: string): GoFunc | undefined {
    const v = this.v;
    const other = (o: Value): Version => {
      if (!(o instanceof SemverVersion)) throw new FuncError("wrong type for value; expected *semver.Version");
      return o.v;
    };
    const inc = (next: Version) => {
      const vp = v.original.startsWith("v") ? "v" : "";
      return new SemverVersion({ ...next, original: vp + versionString(next) }, false);
    };
    switch (name) {
      case "Major":
        return goFunc([], () => goInt(v.major, "uint64"));
      case "Minor":
        return goFunc([], () => goInt(v.minor, "uint64"));
      case "Patch":
        return goFunc([], () => goInt(v.patch, "uint64"));
      case "Prerelease":
        return goFunc([], () => v.pre);
      case "Metadata":
        return goFunc([], () => v.metadata);
      case "Original":
        return goFunc([], () => v.original);
      case "String":
        return goFunc([], () => versionString(v));
      case "Compare":
        return goFunc(["*semver.Version"], (o) => goInt(compare(v, other(o))));
      case "LessThan":
        return goFunc(["*semver.Version"], (o) => compare(v, other(o)) < 0);
      case "GreaterThan":
        return goFunc(["*semver.Version"], (o) => compare(v, other(o)) > 0);
      case "Equal":
        return goFunc(["*semver.Version"], (o) => compare(v, other(o)) === 0);
      case "IncMajor":
        return goFunc([], () => inc({ ...v, major: v.major + 1n, minor: 0n, patch: 0n, pre: "", metadata: "" }));
      case "IncMinor":
        return goFunc([], () => inc({ ...v, minor: v.minor + 1n, patch: 0n, pre: "", metadata: "" }));
      case "IncPatch":
        return goFunc([], () =>
          inc(v.pre !== "" ? { ...v, pre: "", metadata: "" } : { ...v, patch: v.patch + 1n, pre: "", metadata: "" }),
        );
    }
    return undefined;
  }
}

function wrap<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof SemverError) throw new FuncError(e.message);
    throw e;
  }
}

export function semverFuncs(): FuncMap {
  return {
    semver: goFunc([S], (s) => wrap(() => new SemverVersion(newVersion(s as string)))),
    semverCompare: goFunc([S, S], (c, v) =>
      wrap(() => {
        const cs = newConstraint(c as string);
        return check(cs, newVersion(v as string));
      }),
    ),
  };
}
