// Everything the package offers, including internals for tests and the function libraries (funcs/).

export type { TemplateErrorCode } from "./errors.js";
export { TemplateError } from "./errors.js";
export { formatArg, formatFloat, quote, sprint, sprintf, sprintln, toGoString } from "./print.js";
export * from "./value.js";
