// startMatcher: EVT_EVENTS (durable evt-matcher) → criteria index → trigger selection → EVT_MATCHES, one record
// per (EventTrigger, event). The input is acked only after every output publish is acked; publishes carry
// Nats-Msg-Id `<event msg id>|<trigger>`, so a redelivered event produces no duplicate match.
import {
  AckBatcher,
  ack,
  BUCKETS,
  type Bus,
  CONSUMERS,
  type ConsumeLoop,
  deadLetter,
  type EventEnvelope,
  encodeRecord,
  ensureDurable,
  ensureTopology,
  hdrsToRecord,
  type MatchRecord,
  matchSubject,
  PipelinedPublisher,
  partitionOf,
  startConsumeLoop,
  truncateBody,
} from "@evtrigger/bus";
import type { ConfigStore } from "@evtrigger/config";
import { extractTrace, injectTrace, type Logger, type Metrics, type Tracer, withSpan } from "@evtrigger/telemetry";
import type { JsMsg } from "@nats-io/jetstream";
import { PatternCache } from "./criteria/compile.js";
import { eventFields } from "./criteria/evaluate.js";
import { decodeEnvelope, matchKey, orderingKey } from "./envelope.js";
import { MatcherError } from "./errors.js";
import { matcherMetrics } from "./metrics.js";
import { EventReportWriter, pipelinedCasPut } from "./report/eventReports.js";
import { goRender, type RenderFn } from "./select/templates.js";
import { type MatchState, MatchStateKeeper } from "./state.js";

/**
 * How long the eager index update after a configuration change waits for more changes, and the least time
 * between two eager updates: each update takes a snapshot, and the store's next writes copy the snapshot's map
 * shards, so during a burst of thousands of changes a 100 ms rhythm made ~7 MB of copies that reached the old
 * space. Events are never matched against a stale index: current() applies pending changes first.
 */
const UPDATE_DELAY_MS = 100;
const UPDATE_EVERY_MS = 1000;

export interface MatcherDeps {
  bus: Bus;
  store: ConfigStore;
  logger: Logger;
  metrics: Metrics;
  tracer?: Tracer;
  /** Events handled at once by this process (default 64). */
  concurrency?: number;
  /** Server-side bound of unacked events for the shared durable (default 1000). */
  maxAckPending?: number;
  /** AckWait of the shared durable (default 30 s); every replica sets it on start-up, so give them the same. */
  ackWaitMs?: number;
  /** Events kept per (cluster, EventSource) report (default 100; 0 disables the history). */
  reportLimit?: number;
  /** Go template renderer for templated eventSourceName (default: @evtrigger/gotemplate). */
  render?: RenderFn;
  /** Create streams, buckets and the durable if missing (default true). */
  ensureTopology?: boolean;
}

export interface Matcher {
  /** Stops consuming, waits for in-flight events and pending report writes. */
  close(): Promise<void>;
  /** The configuration state the next event is matched against (rebuilt if the config changed). */
  state(): MatchState;
  /** Resolves when report writes recorded so far are done. */
  flushReports(): Promise<void>;
  /** True once consuming; for /readyz. */
  readonly running: boolean;
}

export async function startMatcher(deps: MatcherDeps): Promise<Matcher> {
  const { bus, store, logger } = deps;
  const metrics = matcherMetrics(deps.metrics);
  deps.metrics.onScrape(async () => {
    const ci = await bus.jsm.consumers.info(CONSUMERS.matcher.stream, CONSUMERS.matcher.durable);
    metrics.consumerLag(ci.num_pending, ci.num_ack_pending);
  });
  if (deps.ensureTopology ?? true) {
    await ensureTopology(bus.jsm, bus.kvm);
    await ensureDurable(bus.jsm, {
      ...CONSUMERS.matcher,
      maxAckPending: deps.maxAckPending ?? 1000,
      ackWaitMs: deps.ackWaitMs,
    });
  }
  // Match records and report writes go through one pipelined publisher (reply inbox shared by all publishes):
  // same durability as js.publish (resolved = stored), a fraction of its per-message cost.
  // An event's ack rides with the next publish (AckBatcher): one socket write per event instead of two.
  const acks = new AckBatcher();
  const publisher = new PipelinedPublisher(bus.nc, undefined, acks);
  const kv = await bus.kvm.open(BUCKETS.eventReports);
  const reports = new EventReportWriter(kv, {
    limit: deps.reportLimit,
    // Writes are cheap through the pipelined publisher; more of them in flight keeps up with evenly hit sources.
    put: pipelinedCasPut(publisher, BUCKETS.eventReports),
    maxInFlight: 16,
    onDropped: (n) => metrics.reportDropped(n),
    onError: (err, key) => {
      metrics.reportError();
      logger.warn("event report update failed", { key, error: String(err) });
    },
  });

  // Configuration: brought up to date lazily when the snapshot moved, and eagerly soon after a change. The
  // keeper applies changed EventSources one by one (change events name them), so a burst of 10,000 new
  // EventSources costs 10,000 small index updates instead of a rebuild per batch.
  const reportedProblems = new Set<string>();
  const keeper = new MatchStateKeeper(new PatternCache(), deps.render ?? goRender, (p) => {
    metrics.triggerProblem();
    const key = `${p.trigger}\u0000${p.cluster}\u0000${p.reason}`;
    if (reportedProblems.has(key)) return;
    reportedProblems.add(key);
    logger.warn("EventTrigger cannot be evaluated", { trigger: p.trigger, cluster: p.cluster, reason: p.reason });
  });
  // The eager update waits a little so a burst of changes is applied in a few batches (see UPDATE_EVERY_MS).
  let soon: NodeJS.Timeout | undefined;
  let lastUpdate = 0;
  const scheduleUpdate = () => {
    if (soon) return;
    const wait = Math.max(UPDATE_DELAY_MS, lastUpdate + UPDATE_EVERY_MS - performance.now());
    soon = setTimeout(() => {
      soon = undefined;
      update();
    }, wait);
    soon.unref();
  };

  const unsubscribe = store.onChange((change) => {
    keeper.noteChange(change);
    scheduleUpdate();
  });
  const update = () => {
    const done = keeper.update(store.snapshot());
    if (!done) return;
    lastUpdate = performance.now();
    const st = keeper.state;
    const stats = st.index.stats;
    const invalid = st.invalidSources;
    metrics.index({ sources: stats.sources, invalid: invalid.length, unindexed: stats.unindexed });
    for (const s of invalid) {
      const key = `${s.name}\u0000${JSON.stringify(s.problems)}`;
      if (reportedProblems.has(key)) continue;
      reportedProblems.add(key);
      logger.warn("EventSource skipped: invalid", { eventSource: s.name, problems: s.problems });
    }
    const fields = { version: st.version, ms: Math.round(st.builtMs), applied: done.applied, ...stats };
    if (done.full) logger.info("match index built", fields);
    else logger.debug("match index updated", fields);
  };
  update();
  const current = (): MatchState => {
    update();
    return keeper.state;
  };

  // Decoded once per message: keyOf (ordering) runs before the handler.
  const decoded = new WeakMap<JsMsg, EventEnvelope | MatcherError>();
  const decode = (m: JsMsg): EventEnvelope | MatcherError => {
    let d = decoded.get(m);
    if (!d) {
      try {
        d = decodeEnvelope(m.data);
      } catch (err) {
        d = err instanceof MatcherError ? err : new MatcherError("EVT_MATCHER_BAD_ENVELOPE", String(err));
      }
      decoded.set(m, d);
    }
    return d;
  };

  const handle = async (m: JsMsg) => {
    const env = decode(m);
    if (env instanceof MatcherError) {
      await deadLetter(
        bus.js,
        {
          stage: "matcher",
          code: env.code,
          reason: `${env.message} (EVT_EVENTS sequence ${m.info.streamSequence}, subject ${m.subject})`,
          natsSubject: m.subject,
          headers: hdrsToRecord(m.headers),
          ...truncateBody(m.data),
          origin: { stream: m.info.stream, seq: m.info.streamSequence, subject: m.subject },
        },
        `${m.info.stream}:${m.info.streamSequence}`,
      );
      metrics.event("invalid_envelope");
      metrics.deadLettered(env.code);
      logger.warn("undecodable event dead-lettered", { seq: m.info.streamSequence, reason: env.message });
      return ack();
    }
    const getHeader = (k: string) => m.headers?.get(k) || undefined;
    if (!deps.tracer) return matchAndPublish(m, env, (set) => copyTrace(getHeader, set));
    return withSpan(
      deps.tracer,
      "match",
      extractTrace(getHeader),
      {
        "evt.cluster": `${env.cluster.namespace}/${env.cluster.name}`,
        "cloudevents.event_id": env.event.id,
        "cloudevents.event_type": env.event.type,
        "cloudevents.event_source": env.event.source,
      },
      (_span, ctx) => matchAndPublish(m, env, (set) => injectTrace(ctx, set)),
    );
  };

  const matchAndPublish = async (
    m: JsMsg,
    env: EventEnvelope,
    trace: (set: (k: string, v: string) => void) => void,
  ) => {
    const st = current();
    const started = performance.now();
    const clusterKey = `${env.cluster.namespace}/${env.cluster.name}`;
    const matched = st.index.match(eventFields(env));
    const fired = matched.map((sm) => ({ ...sm, triggers: st.selector.triggersFor(clusterKey, sm.name) }));
    metrics.duration((performance.now() - started) / 1000);
    if (matched.length === 0) {
      metrics.event("unmatched");
      return ack();
    }
    const seq = m.info.streamSequence;
    const eventMsgId = m.headers?.get("Nats-Msg-Id") || `${m.info.stream}:${seq}`;
    const headers: Record<string, string> = {};
    let hasHeaders = false;
    trace((k, v) => {
      headers[k] = v;
      hasHeaders = true;
    });
    const matchedAt = new Date().toISOString();
    const publishes: Promise<unknown>[] = [];
    const seen = new Set<string>();
    for (const f of fired) {
      for (const t of f.triggers) {
        const trigger = t.metadata.name;
        if (seen.has(trigger)) continue;
        seen.add(trigger);
        const rec: MatchRecord = {
          v: 1,
          eventSeq: seq,
          upstream: env.upstream,
          eventMsgId,
          cluster: env.cluster,
          eventSource: f.name,
          eventTrigger: trigger,
          triggerGeneration: t.metadata.generation ?? 0,
          natsSubject: env.natsSubject,
          subscription: env.subscription,
          matchedAt,
          event: env.event,
        };
        publishes.push(
          publisher.publish(matchSubject(partitionOf(matchKey(trigger, env))), encodeRecord(rec), {
            msgId: `${eventMsgId}|${trigger}`,
            headers: hasHeaders ? headers : undefined,
          }),
        );
      }
    }
    await Promise.all(publishes);
    for (const t of seen) metrics.match(clusterKey, t);
    metrics.event(seen.size ? "matched" : "no_trigger");
    for (const f of deps.reportLimit === 0 ? [] : fired) {
      reports.record(env.cluster, f.name, {
        seq,
        eventMsgId,
        matchedAt,
        criterion: f.criterion,
        triggers: f.triggers.map((t) => t.metadata.name),
        natsSubject: env.natsSubject,
        event: env.event,
      });
    }
    if (logger.isLevelEnabled("debug")) {
      logger.debug("event matched", { seq, cluster: clusterKey, eventId: env.event.id, triggers: [...seen] });
    }
    return ack();
  };

  const loop: ConsumeLoop = await startConsumeLoop({
    js: bus.js,
    stream: CONSUMERS.matcher.stream,
    durable: CONSUMERS.matcher.durable,
    concurrency: deps.concurrency ?? 64,
    acks,
    keyOf: (m) => {
      const env = decode(m);
      return env instanceof MatcherError ? `poison:${m.info.streamSequence}` : orderingKey(env);
    },
    handler: handle,
    onError: (err, m) => {
      logger.warn("event handling failed; will be redelivered", {
        seq: m.info.streamSequence,
        deliveries: m.info.deliveryCount,
        error: err instanceof Error ? err.message : String(err),
      });
    },
  });
  let running = true;
  logger.info("matcher consuming", { stream: CONSUMERS.matcher.stream, durable: CONSUMERS.matcher.durable });

  return {
    async close() {
      if (!running) return;
      running = false;
      unsubscribe();
      if (soon) clearTimeout(soon);
      await loop.stop();
      await reports.flush();
      publisher.close();
    },
    state: current,
    flushReports: () => reports.flush(),
    get running() {
      return running;
    },
  };
}

/** Without a tracer the matcher is transparent: the incoming trace context goes on unchanged. */
function copyTrace(get: (k: string) => string | undefined, set: (k: string, v: string) => void): void {
  for (const k of ["traceparent", "tracestate"]) {
    const v = get(k);
    if (v) set(k, v);
  }
}
