// Error classes of @evtrigger/gotemplate. Messages follow Go's text/template forms
// (`template: NAME:LINE:COL: executing "NAME" at <NODE>: CAUSE`); `code` says which stage failed.

export type TemplateErrorCode =
  | "EVT_GOTEMPLATE_PARSE" // the template text is not valid Go template syntax
  | "EVT_GOTEMPLATE_EXEC" // execution failed the way Go's Execute fails
  | "EVT_GOTEMPLATE_DEPTH" // recursion deeper than maxDepth (hostile input guard)
  | "EVT_GOTEMPLATE_OUTPUT_LIMIT" // output larger than maxOutputBytes
  | "EVT_GOTEMPLATE_TIMEOUT" // execution exceeded timeBudgetMs
  | "EVT_GOTEMPLATE_INTERNAL"; // a bug in the engine or a function: reported, never thrown raw

export class TemplateError extends Error {
  readonly code: TemplateErrorCode;
  constructor(code: TemplateErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "TemplateError";
    this.code = code;
  }
}
