export * from "./boot.js";
export * from "./configStatus.js";
export * from "./errors.js";
export * from "./settings.js";
