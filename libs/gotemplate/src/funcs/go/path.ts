/** Go's path package (slash-separated; path/filepath on Linux behaves the same). */

export function clean(path: string): string {
  if (path === "") return ".";
  const rooted = path[0] === "/";
  const n = path.length;
  const out: string[] = [];
  let r = 0;
  let dotdot = 0;
  if (rooted) {
    out.push("/");
    r = 1;
    dotdot = 1;
  }
  while (r < n) {
    if (path[r] === "/") r++;
    else if (path[r] === "." && (r + 1 === n || path[r + 1] === "/")) r++;
    else if (path[r] === "." && path[r + 1] === "." && (r + 2 === n || path[r + 2] === "/")) {
      r += 2;
      if (out.length > dotdot) {
        let w = out.length - 1;
        while (w > dotdot && out[w] !== "/") w--;
        out.length = w;
      } else if (!rooted) {
        if (out.length > 0) out.push("/");
        out.push(".", ".");
        dotdot = out.length;
      }
    } else {
      if ((rooted && out.length !== 1) || (!rooted && out.length !== 0)) out.push("/");
      for (; r < n && path[r] !== "/"; r++) out.push(path[r] as string);
    }
  }
  return out.length === 0 ? "." : out.join("");
}

export function base(path: string): string {
  if (path === "") return ".";
  let p = path;
  while (p.length > 0 && p.endsWith("/")) p = p.slice(0, -1);
  const i = p.lastIndexOf("/");
  if (i >= 0) p = p.slice(i + 1);
  return p === "" ? "/" : p;
}

export function dir(path: string): string {
  const i = path.lastIndexOf("/");
  return clean(path.slice(0, i + 1));
}

export function ext(path: string): string {
  for (let i = path.length - 1; i >= 0 && path[i] !== "/"; i--) {
    if (path[i] === ".") return path.slice(i);
  }
  return "";
}

export const isAbs = (path: string): boolean => path.startsWith("/");
