// The matcher's Prometheus series: its own evtrigger_matcher_* plus its part of the shared pipeline catalogue
// (evtrigger_matches_total{cluster,trigger}, dead letters, consumer lag), with bounded label values.
import { type Metrics, pipelineMetrics } from "@evtrigger/telemetry";

/** Matching is microseconds, not milliseconds: buckets from 5 µs to 10 ms. */
const MATCH_BUCKETS = [0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.01];

export type EventOutcome = "matched" | "unmatched" | "no_trigger" | "invalid_envelope";

export function matcherMetrics(m: Metrics) {
  const pm = pipelineMetrics(m);
  const events = m.counter("evtrigger_matcher_events_total", "Events consumed from EVT_EVENTS, by outcome", [
    "outcome",
  ]);
  const invalid = m.gauge(
    "evtrigger_matcher_invalid_eventsources",
    "EventSources skipped because they are invalid (e.g. a pattern that is not RE2)",
  );
  const sources = m.gauge("evtrigger_matcher_eventsources", "Valid EventSources in the current index");
  const unindexed = m.gauge(
    "evtrigger_matcher_unindexed_criteria",
    "Criteria with no literal key, tried for every event",
  );
  const rebuilds = m.counter("evtrigger_matcher_index_rebuilds_total", "Index rebuilds after configuration changes");
  const duration = m.histogram(
    "evtrigger_matcher_match_duration_seconds",
    "Time to match one event against all EventSources and select triggers",
    [],
    MATCH_BUCKETS,
  );
  const triggerProblems = m.counter(
    "evtrigger_matcher_trigger_problems_total",
    "EventTriggers that could not be evaluated for a cluster (e.g. eventSourceName template error)",
  );
  const reportErrors = m.counter("evtrigger_matcher_report_errors_total", "Failed event report updates");
  const reportDropped = m.counter(
    "evtrigger_matcher_report_dropped_total",
    "Event report entries dropped because the report writer fell behind",
  );
  return {
    event: (o: EventOutcome) => events.inc({ outcome: o }),
    match: (cluster: string, trigger: string) => pm.matched({ cluster, trigger }),
    deadLettered: (code: string) => pm.deadLettered({ stage: "matcher", code }),
    consumerLag: (pending: number, ackPending: number) =>
      pm.consumerLag({ stream: "EVT_EVENTS", consumer: "evt-matcher" }, { pending, ackPending }),
    index(s: { sources: number; invalid: number; unindexed: number }) {
      sources.set(s.sources);
      invalid.set(s.invalid);
      unindexed.set(s.unindexed);
      rebuilds.inc();
    },
    duration: (seconds: number) => duration.observe(seconds),
    triggerProblem: () => triggerProblems.inc(),
    reportError: () => reportErrors.inc(),
    reportDropped: (n: number) => reportDropped.inc(n),
  };
}

export type MatcherMetrics = ReturnType<typeof matcherMetrics>;
