// sveltos-nats `authorization` → nats.js connection options. Like the Go agent, every form given is applied
// (they stack): user/password, token, root CA, client certificate, and beyond Sveltos nkey seeds and .creds.
import {
  type Authenticator,
  credsAuthenticator,
  type NodeConnectionOptions,
  nkeyAuthenticator,
} from "@nats-io/transport-node";
import { GatewayError } from "../errors.js";
import { decodeAuthorization, type NatsAuthorization } from "../natsconfig.js";

const enc = new TextEncoder();

export function connectionOptions(
  c: { url: string; authorization?: NatsAuthorization },
  name: string,
  path: string,
): NodeConnectionOptions {
  const opts: NodeConnectionOptions = {
    servers: c.url
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    name,
  };
  try {
    const a = decodeAuthorization(c.authorization, path);
    if (a.user) {
      opts.user = a.user.user;
      opts.pass = a.user.password;
    }
    if (a.token) opts.token = a.token;
    const authenticators: Authenticator[] = [];
    if (a.nkeySeed) authenticators.push(nkeyAuthenticator(enc.encode(a.nkeySeed)));
    if (a.creds) authenticators.push(credsAuthenticator(enc.encode(a.creds)));
    if (authenticators.length > 1) throw new Error(`${path}.authorization: nkey and creds are mutually exclusive`);
    if (authenticators[0]) opts.authenticator = authenticators[0];
    if (a.rootCA || a.clientCert) {
      opts.tls = {};
      if (a.rootCA) opts.tls.ca = a.rootCA;
      if (a.clientCert) {
        opts.tls.cert = a.clientCert.certPem;
        opts.tls.key = a.clientCert.keyPem;
      }
    }
  } catch (err) {
    throw new GatewayError("EVT_GATEWAY_AUTH_CONFIG", (err as Error).message, {
      cause: err,
      field: `${path}.authorization`,
    });
  }
  // tls:// URLs need TLS even with the system CAs.
  if (!opts.tls && /^tls:\/\//i.test(c.url)) opts.tls = {};
  return opts;
}
