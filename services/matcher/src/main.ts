// Production entry point: settings, internal bus, config source, the matcher and its HTTP endpoint. Wiring only.
import { bootService, openBus, openConfig, serve } from "@evtrigger/runtime";
import { startMatcher } from "./service.js";
import { matcherSettings } from "./settings.js";

const svc = bootService("matcher", matcherSettings);
const { cfg, lifecycle } = svc;
const { bus, check: nats } = await openBus(svc);
// The matcher is the one writer of the Valid conditions on EventSources and EventTriggers.
const { store, check: config } = await openConfig(svc, { writeStatus: true });
const matcher = await startMatcher({
  bus,
  store,
  logger: svc.logger,
  metrics: svc.metrics,
  // Tracing off: no span per event; the traceparent header is copied to the match records as it is.
  tracer: svc.tracing.enabled ? svc.tracing.tracer : undefined,
  concurrency: cfg.concurrency,
  maxAckPending: cfg.maxAckPending,
  ackWaitMs: cfg.ackWaitMs,
  reportLimit: cfg.reportLimit,
});
lifecycle.onShutdown(matcher.close, "matcher");
await serve(svc, {
  // startMatcher ensured the topology and the durable before returning.
  checks: { nats, consuming: () => (matcher.running ? true : "not consuming"), config },
  ready: { ...matcher.state().index.stats, triggers: matcher.state().selector.triggerCount },
});
