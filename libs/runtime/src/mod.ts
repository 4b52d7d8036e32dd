export type { CommonValues, ConfigStatus, Service } from "./internal.js";
export {
  BUS_SETTINGS,
  bootService,
  commonSettings,
  configSourceSettings,
  configStatus,
  openBus,
  openConfig,
  RuntimeError,
  serve,
} from "./internal.js";
