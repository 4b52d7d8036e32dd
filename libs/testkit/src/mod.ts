export type { NatsServer, NatsServerOptions, TlsFiles } from "./internal.js";
export {
  findNatsServer,
  freePort,
  makeNkeyUser,
  makeSelfSignedTls,
  NatsServerError,
  seededRandom,
  startNatsServer,
  tempDir,
  waitFor,
} from "./internal.js";
