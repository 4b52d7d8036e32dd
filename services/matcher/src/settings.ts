// The matcher's settings (env and flags), one schema for parsing and the configuration reference.
import { commonSettings } from "@evtrigger/runtime";
import { defineSettings } from "@evtrigger/telemetry";

export const matcherSettings = defineSettings({
  ...commonSettings({
    dir: "EventSources, EventTriggers, SveltosClusters, ClusterSets",
    cluster: "EventSources, EventTriggers, SveltosClusters, ClusterSets",
  }),
  concurrency: {
    env: "EVT_MATCHER_CONCURRENCY",
    type: "int",
    default: 64,
    min: 1,
    description: "Events handled at once by one matcher process (events of one CE source+subject stay serial).",
  },
  maxAckPending: {
    env: "EVT_MATCHER_MAX_ACK_PENDING",
    type: "int",
    default: 1000,
    min: 1,
    description: "Unacked events the shared durable allows across all matcher replicas (backpressure).",
  },
  ackWaitMs: {
    env: "EVT_MATCHER_ACK_WAIT_MS",
    type: "int",
    default: 30_000,
    min: 1000,
    description:
      "AckWait of the shared durable on EVT_EVENTS: how soon an event a crashed matcher held is redelivered.",
  },
  reportLimit: {
    env: "EVT_MATCHER_REPORT_LIMIT",
    type: "int",
    default: 100,
    min: 1,
    max: 200,
    description: "Matched events kept per (cluster, EventSource) for `evtctl show events`.",
  },
});
