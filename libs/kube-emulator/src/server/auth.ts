import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

/** Bearer-token check in constant time; everything without the token is 401. */
export function authorized(req: IncomingMessage, token: string): boolean {
  const h = req.headers.authorization;
  if (!h?.startsWith("Bearer ")) return false;
  const got = Buffer.from(h.slice(7).trim());
  const want = Buffer.from(token);
  return got.length === want.length && timingSafeEqual(got, want);
}
