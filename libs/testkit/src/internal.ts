export { NatsServerError } from "./errors.js";
export type { NatsServer, NatsServerOptions } from "./nats-server.js";
export { findNatsServer, startNatsServer } from "./nats-server.js";
export { freePort, tempDir } from "./net.js";
export { makeNkeyUser } from "./nkey.js";
export { seededRandom } from "./random.js";
export type { TlsFiles } from "./tls.js";
export { makeSelfSignedTls } from "./tls.js";
export { waitFor } from "./wait.js";
