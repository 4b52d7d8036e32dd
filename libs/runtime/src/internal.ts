export * from "./boot.js";
export * from "./errors.js";
export * from "./settings.js";
