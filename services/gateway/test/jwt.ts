// Minimal NATS decentralized-auth JWTs for tests: an operator, one account and a user, signed with nkeys, so a
// real nats-server in operator mode can check a `.creds` login (no @nats-io/jwt dependency needed).

import { createHash } from "node:crypto";
import { createAccount, createOperator, createUser, type KeyPair } from "@nats-io/nkeys";

const b64url = (b: Uint8Array | string) => Buffer.from(b).toString("base64url");
const dec = new TextDecoder();

function sign(issuer: KeyPair, subject: string, name: string, nats: Record<string, unknown>): string {
  const header = b64url(JSON.stringify({ typ: "JWT", alg: "ed25519-nkey" }));
  const claims: Record<string, unknown> = {
    iat: Math.floor(Date.now() / 1000),
    iss: issuer.getPublicKey(),
    name,
    sub: subject,
    nats: { ...nats, version: 2 },
  };
  claims.jti = createHash("sha256").update(JSON.stringify(claims)).digest("base64url").slice(0, 52);
  const body = b64url(JSON.stringify(claims));
  const sig = b64url(issuer.sign(new TextEncoder().encode(`${header}.${body}`)));
  return `${header}.${body}.${sig}`;
}

export interface OperatorSetup {
  /** nats-server config lines for operator mode with a memory resolver. */
  serverConfig: string;
  /** A `.creds` file for a user of the account. */
  creds: string;
}

export function makeOperatorCreds(): OperatorSetup {
  const op = createOperator();
  const acc = createAccount();
  const user = createUser();
  const unlimited = { subs: -1, data: -1, payload: -1 };
  const opJwt = sign(op, op.getPublicKey(), "evt-op", { type: "operator" });
  const accJwt = sign(op, acc.getPublicKey(), "evt-acc", {
    type: "account",
    limits: { ...unlimited, imports: -1, exports: -1, wildcards: true, conn: -1, leaf: -1 },
    default_permissions: { pub: {}, sub: {} },
  });
  const userJwt = sign(acc, user.getPublicKey(), "evt-user", { type: "user", pub: {}, sub: {}, ...unlimited });
  const creds = [
    "-----BEGIN NATS USER JWT-----",
    userJwt,
    "------END NATS USER JWT------",
    "",
    "-----BEGIN USER NKEY SEED-----",
    dec.decode(user.getSeed()),
    "------END USER NKEY SEED------",
    "",
  ].join("\n");
  return {
    serverConfig: `operator: ${opJwt}\nresolver: MEMORY\nresolver_preload: { ${acc.getPublicKey()}: ${accJwt} }\n`,
    creds,
  };
}
