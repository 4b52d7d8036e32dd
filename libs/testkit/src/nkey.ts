import { createUser } from "@nats-io/nkeys";

/** A fresh nkey user: the public key goes in the server config, the seed to the client. */
export function makeNkeyUser(): { publicKey: string; seed: string } {
  const kp = createUser();
  return { publicKey: kp.getPublicKey(), seed: new TextDecoder().decode(kp.getSeed()) };
}
