// TraceRunner backed by OpenTelemetry (libs/telemetry): one `normalize` span per event, child of the CE's
// distributed-tracing extension or the upstream traceparent header; its context goes on the internal message.
import { extractFromCloudEvent, extractTrace, injectTrace, type Tracer, withSpan } from "@evtrigger/telemetry";
import { childTraceparent, type TraceRunner } from "./trace.js";

export function otelTrace(tracer: Tracer): TraceRunner {
  return (event, upstream, where, publish) => {
    const parent = extractFromCloudEvent(
      event,
      extractTrace((k) => upstream.get(k)),
    );
    const attrs = {
      "evt.cluster": where.cluster,
      "messaging.destination.name": where.natsSubject,
      "cloudevents.event_id": event.id,
      "cloudevents.event_type": event.type,
      "cloudevents.event_source": event.source,
    };
    return withSpan(tracer, "normalize", parent, attrs, (_span, ctx) => {
      let tp: string | undefined;
      injectTrace(ctx, (k, v) => {
        if (k === "traceparent") tp = v;
      });
      // Tracing off and no incoming trace: nothing to inject, so start a trace the next services can join.
      return publish(tp ?? childTraceparent(event, upstream));
    });
  };
}
