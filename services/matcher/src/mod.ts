export type { CompiledSource, CriteriaSpec } from "./criteria/compile.js";
export { compileSource, PatternCache } from "./criteria/compile.js";
export type { EventFields, SourceMatch } from "./criteria/evaluate.js";
export { bruteForceMatch, eventFields } from "./criteria/evaluate.js";
export type { IndexStats } from "./criteria/index.js";
export { CriteriaIndex } from "./criteria/index.js";
export { MatcherError } from "./errors.js";
