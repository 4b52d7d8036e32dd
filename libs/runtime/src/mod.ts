export type { CommonValues, Service } from "./internal.js";
export {
  BUS_SETTINGS,
  bootService,
  commonSettings,
  configSourceSettings,
  openBus,
  openConfig,
  RuntimeError,
  serve,
} from "./internal.js";
