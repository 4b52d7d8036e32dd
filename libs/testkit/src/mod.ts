export type { NatsServer, NatsServerOptions, TlsFiles } from "./internal.js";
export {
  findNatsServer,
  freePort,
  makeNkeyUser,
  makeSelfSignedTls,
  NatsServerError,
  startNatsServer,
  tempDir,
  waitFor,
} from "./internal.js";
