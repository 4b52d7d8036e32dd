/** Port of Go 1.19 net/url Parse and URL.String, enough for sprig's urlParse/urlJoin. */
import { quote as goQuote } from "../../print.js";

enum Mode {
  Path,
  PathSegment,
  Host,
  Zone,
  UserPassword,
  QueryComponent,
  Fragment,
}

export class GoUrlError extends Error {}

const quote = (s: string): string => goQuote(s);

export interface GoUrl {
  scheme: string;
  opaque: string;
  user?: { username: string; password?: string };
  host: string;
  path: string;
  rawPath: string;
  forceQuery: boolean;
  rawQuery: string;
  fragment: string;
  rawFragment: string;
}

const isAlnum = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39);

function shouldEscape(c: number, mode: Mode): boolean {
  if (isAlnum(c)) return false;
  const ch = String.fromCharCode(c);
  if ((mode === Mode.Host || mode === Mode.Zone) && "!$&'()*+,;=:[]<>\"".includes(ch)) return false;
  if ("-_.~".includes(ch)) return false;
  if ("$&+,/:;=?@".includes(ch)) {
    switch (mode) {
      case Mode.Path:
        return ch === "?";
      case Mode.PathSegment:
        return ch === "/" || ch === ";" || ch === "," || ch === "?";
      case Mode.UserPassword:
        return ch === "@" || ch === "/" || ch === "?" || ch === ":";
      case Mode.QueryComponent:
        return true;
      case Mode.Fragment:
        return false;
    }
  }
  if (mode === Mode.Fragment && "!()*".includes(ch)) return false;
  return true;
}

const isHex = (c: number | undefined) =>
  c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46));

function urlUnescape(s: string, mode: Mode): string {
  const b = Buffer.from(s, "utf8");
  let n = 0;
  for (let i = 0; i < b.length; ) {
    const c = b[i] as number;
    if (c === 0x25) {
      n++;
      if (i + 2 >= b.length || !isHex(b[i + 1]) || !isHex(b[i + 2])) {
        throw new GoUrlError(`invalid URL escape ${quote(b.subarray(i, i + 3).toString("latin1"))}`);
      }
      const v = Number.parseInt(b.subarray(i + 1, i + 3).toString("latin1"), 16);
      const three = b.subarray(i, i + 3).toString("latin1");
      if (mode === Mode.Host && v >> 4 < 8 && three !== "%25")
        throw new GoUrlError(`invalid URL escape ${quote(three)}`);
      if (mode === Mode.Zone && three !== "%25" && v !== 0x20 && shouldEscape(v, Mode.Host)) {
        throw new GoUrlError(`invalid URL escape ${quote(three)}`);
      }
      i += 3;
    } else {
      if ((mode === Mode.Host || mode === Mode.Zone) && c < 0x80 && shouldEscape(c, mode)) {
        throw new GoUrlError(`invalid character ${quote(String.fromCharCode(c))} in host name`);
      }
      i++;
    }
  }
  if (n === 0) return s;
  const out: number[] = [];
  for (let i = 0; i < b.length; i++) {
    if (b[i] === 0x25) {
      out.push(Number.parseInt(b.subarray(i + 1, i + 3).toString("latin1"), 16));
      i += 2;
    } else out.push(b[i] as number);
  }
  return new TextDecoder().decode(new Uint8Array(out));
}

function urlEscape(s: string, mode: Mode): string {
  let out = "";
  for (const c of Buffer.from(s, "utf8")) {
    out += shouldEscape(c, mode) ? `%${c.toString(16).toUpperCase().padStart(2, "0")}` : String.fromCharCode(c);
  }
  return out;
}

function getScheme(raw: string): [string, string] {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) continue;
    if ((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e) {
      if (i === 0) return ["", raw];
      continue;
    }
    if (c === 0x3a) {
      if (i === 0) throw new GoUrlError("missing protocol scheme");
      return [raw.slice(0, i), raw.slice(i + 1)];
    }
    return ["", raw];
  }
  return ["", raw];
}

const validOptionalPort = (p: string) => p === "" || /^:[0-9]*$/.test(p);

function parseHost(host: string): string {
  if (host.startsWith("[")) {
    const i = host.lastIndexOf("]");
    if (i < 0) throw new GoUrlError("missing ']' in host");
    const colonPort = host.slice(i + 1);
    if (!validOptionalPort(colonPort)) throw new GoUrlError(`invalid port ${quote(colonPort)} after host`);
    const zone = host.slice(0, i).indexOf("%25");
    if (zone >= 0) {
      return (
        urlUnescape(host.slice(0, zone), Mode.Host) +
        urlUnescape(host.slice(zone, i), Mode.Zone) +
        urlUnescape(host.slice(i), Mode.Host)
      );
    }
  } else {
    const i = host.lastIndexOf(":");
    if (i !== -1 && !validOptionalPort(host.slice(i))) {
      throw new GoUrlError(`invalid port ${quote(host.slice(i))} after host`);
    }
  }
  return urlUnescape(host, Mode.Host);
}

function parseAuthority(authority: string, u: GoUrl): void {
  const i = authority.lastIndexOf("@");
  u.host = parseHost(i < 0 ? authority : authority.slice(i + 1));
  if (i < 0) return;
  const userinfo = authority.slice(0, i);
  if (!/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(userinfo)) throw new GoUrlError("net/url: invalid userinfo");
  const c = userinfo.indexOf(":");
  if (c < 0) u.user = { username: urlUnescape(userinfo, Mode.UserPassword) };
  else {
    u.user = {
      username: urlUnescape(userinfo.slice(0, c), Mode.UserPassword),
      password: urlUnescape(userinfo.slice(c + 1), Mode.UserPassword),
    };
  }
}

/** url.Parse; throws GoUrlError with Go's message `parse "RAW": CAUSE`. */
export function parseUrl(rawUrl: string): GoUrl {
  const hash = rawUrl.indexOf("#");
  const u0 = hash < 0 ? rawUrl : rawUrl.slice(0, hash);
  const frag = hash < 0 ? "" : rawUrl.slice(hash + 1);
  const wrap = (what: string, f: () => void) => {
    try {
      f();
    } catch (e) {
      if (e instanceof GoUrlError) throw new GoUrlError(`parse ${quote(what)}: ${e.message}`);
      throw e;
    }
  };
  let u: GoUrl | undefined;
  wrap(u0, () => {
    u = parse(u0);
  });
  const url = u as GoUrl;
  wrap(rawUrl, () => {
    url.fragment = urlUnescape(frag, Mode.Fragment);
    url.rawFragment = urlEscape(url.fragment, Mode.Fragment) === frag ? "" : frag;
  });
  return url;
}

function parse(raw: string): GoUrl {
  if (/[\x00-\x1f\x7f]/.test(raw)) throw new GoUrlError("net/url: invalid control character in URL");
  const u: GoUrl = {
    scheme: "",
    opaque: "",
    host: "",
    path: "",
    rawPath: "",
    forceQuery: false,
    rawQuery: "",
    fragment: "",
    rawFragment: "",
  };
  if (raw === "*") {
    u.path = "*";
    return u;
  }
  const [scheme, rest0] = getScheme(raw);
  u.scheme = scheme.toLowerCase();
  let rest = rest0;
  if (rest.endsWith("?") && rest.split("?").length === 2) {
    u.forceQuery = true;
    rest = rest.slice(0, -1);
  } else {
    const q = rest.indexOf("?");
    if (q >= 0) {
      u.rawQuery = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
  }
  if (!rest.startsWith("/")) {
    if (u.scheme !== "") {
      u.opaque = rest;
      return u;
    }
    if ((rest.split("/")[0] ?? "").includes(":"))
      throw new GoUrlError("first path segment in URL cannot contain colon");
  }
  if ((u.scheme !== "" || !rest.startsWith("///")) && rest.startsWith("//")) {
    let authority = rest.slice(2);
    rest = "";
    const i = authority.indexOf("/");
    if (i >= 0) {
      rest = authority.slice(i);
      authority = authority.slice(0, i);
    }
    parseAuthority(authority, u);
  }
  u.path = urlUnescape(rest, Mode.Path);
  u.rawPath = urlEscape(u.path, Mode.Path) === rest ? "" : rest;
  return u;
}

export function hostname(u: GoUrl): string {
  const h = u.host;
  if (h.startsWith("[")) {
    const i = h.indexOf("]");
    return i < 0 ? h.slice(1) : h.slice(1, i);
  }
  const c = h.lastIndexOf(":");
  return c >= 0 && validOptionalPort(h.slice(c)) ? h.slice(0, c) : h;
}

export function userinfoString(user: GoUrl["user"]): string {
  if (!user) return "";
  let s = urlEscape(user.username, Mode.UserPassword);
  if (user.password !== undefined) s += `:${urlEscape(user.password, Mode.UserPassword)}`;
  return s;
}

function validEncoded(s: string, mode: Mode): boolean {
  for (const c of Buffer.from(s, "utf8")) {
    if ("!$&'()*+,;=:@[]%".includes(String.fromCharCode(c))) continue;
    if (shouldEscape(c, mode)) return false;
  }
  return true;
}

function escapedPath(u: GoUrl): string {
  if (u.rawPath !== "" && validEncoded(u.rawPath, Mode.Path)) {
    try {
      if (urlUnescape(u.rawPath, Mode.Path) === u.path) return u.rawPath;
    } catch {
      // fall through to escaping Path
    }
  }
  if (u.path === "*") return "*";
  return urlEscape(u.path, Mode.Path);
}

/** URL.String(). */
export function formatUrl(u: GoUrl): string {
  let buf = "";
  if (u.scheme !== "") buf += `${u.scheme}:`;
  if (u.opaque !== "") buf += u.opaque;
  else {
    if (u.scheme !== "" || u.host !== "" || u.user) {
      if (u.host !== "" || u.path !== "" || u.user) buf += "//";
      if (u.user) buf += `${userinfoString(u.user)}@`;
      if (u.host !== "") buf += urlEscape(u.host, Mode.Host);
    }
    const path = escapedPath(u);
    if (path !== "" && path[0] !== "/" && u.host !== "") buf += "/";
    if (buf === "" && (path.split("/")[0] ?? "").includes(":")) buf += "./";
    buf += path;
  }
  if (u.forceQuery || u.rawQuery !== "") buf += `?${u.rawQuery}`;
  if (u.fragment !== "") buf += `#${urlEscape(u.fragment, Mode.Fragment)}`;
  return buf;
}

/** url.Parse of "proto://USERINFO@host" → its Userinfo (urlJoin's way to split user:password). */
export function parseUserinfo(userinfo: string): GoUrl["user"] {
  return parseUrl(`proto://${userinfo}@host`).user;
}
