// Public surface of @evtrigger/matcher: the service, the criteria engine, and the event-report reader (evtctl).

export type {
  CompiledSource,
  CriteriaSpec,
  EventFields,
  EventReport,
  IndexStats,
  Matcher,
  MatcherDeps,
  MatchState,
  RenderFn,
  ReportEntry,
  SourceMatch,
} from "./internal.js";
export {
  bruteForceMatch,
  CriteriaIndex,
  compileSource,
  DEFAULT_REPORT_LIMIT,
  EventReportWriter,
  eventFields,
  goRender,
  MatcherError,
  PatternCache,
  readEventReports,
  reportKey,
  startMatcher,
  TriggerSelector,
} from "./internal.js";
