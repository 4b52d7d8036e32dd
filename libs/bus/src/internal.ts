export * from "./connect.js";
export * from "./consume.js";
export * from "./dlq.js";
export * from "./errors.js";
export * from "./publish.js";
export * from "./records.js";
export * from "./streams.js";
export * from "./topology.js";
