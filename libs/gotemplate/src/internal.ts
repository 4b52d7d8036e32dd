// Everything the package offers, including internals for tests and the function libraries (funcs/).

export { builtins, htmlEscape, jsEscape, queryEscape } from "./builtins.js";
export type { TemplateErrorCode } from "./errors.js";
export { TemplateError } from "./errors.js";
export type { ExecLimits, FuncEntry, FuncTable } from "./exec.js";
export { ExecState, execute } from "./exec.js";
export type { Flags } from "./format.js";
export type { RenderResult } from "./jsonl.js";
export { renderCase, renderJsonlLine } from "./jsonl.js";
export type { Item } from "./parse/item.js";
export { ItemType, itemString } from "./parse/item.js";
export { Lexer } from "./parse/lex.js";
export type { ListNode, Node, PipeNode } from "./parse/node.js";
export { NodeType, nodeString } from "./parse/node.js";
export type { Tree, TreeSet } from "./parse/parse.js";
export { ParseError, parseTemplate } from "./parse/parse.js";
export { formatArg, formatFloat, quote, sprint, sprintf, sprintln, toGoString } from "./print.js";
export type { ExecuteOptions, FuncSetName, ParseOptions, RenderOptions } from "./template.js";
export {
  checkTemplate,
  DEFAULT_LIMITS,
  funcTable,
  parse,
  parseCached,
  render,
  setFuncSets,
  Template,
} from "./template.js";
export * from "./value.js";
