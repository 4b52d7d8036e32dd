// The gateway's settings (env and flags), one schema for parsing and the configuration reference.
import { commonSettings } from "@evtrigger/runtime";
import { defineSettings } from "@evtrigger/telemetry";

export const gatewaySettings = defineSettings({
  ...commonSettings({
    dir: "SveltosClusters with kubeconfigs",
    cluster: "SveltosClusters and their kubeconfig Secrets",
  }),
  maxBytes: {
    env: "EVT_GATEWAY_MAX_BYTES",
    flag: "max-bytes",
    type: "int",
    default: 1024 * 1024,
    min: 1024,
    description: "Largest accepted message; bigger ones are dead-lettered (EVT_GATEWAY_TOO_LARGE).",
  },
  maxBatch: {
    env: "EVT_GATEWAY_MAX_BATCH",
    type: "int",
    default: 1000,
    min: 1,
    description: "Most events accepted in one application/cloudevents-batch+json message.",
  },
  publishRetryMs: {
    env: "EVT_GATEWAY_PUBLISH_RETRY_MS",
    type: "int",
    default: 10_000,
    min: 100,
    description: "How long an internal publish is retried before the upstream message is nak'ed (JetStream).",
  },
  ackWaitMs: {
    env: "EVT_GATEWAY_ACK_WAIT_MS",
    type: "int",
    default: 30_000,
    min: 1000,
    description: "AckWait of the upstream durable consumer: how soon a message a crashed gateway held is redelivered.",
  },
  jsConcurrency: {
    env: "EVT_GATEWAY_JS_CONCURRENCY",
    type: "int",
    default: 256,
    min: 1,
    description: "Upstream JetStream messages handled at once per stream.",
  },
});
