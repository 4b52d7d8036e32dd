// Everything the package offers, including internals used by its tests and benchmarks.
export * from "./criteria/ahocorasick.js";
export * from "./criteria/atoms.js";
export * from "./criteria/compile.js";
export * from "./criteria/evaluate.js";
export * from "./criteria/index.js";
export * from "./criteria/literal.js";
export * from "./envelope.js";
export * from "./errors.js";
export * from "./metrics.js";
export * from "./report/eventReports.js";
export * from "./select/templates.js";
export * from "./select/triggers.js";
export * from "./service.js";
export * from "./state.js";
