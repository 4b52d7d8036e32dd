// The gateway's settings (env and flags), one schema for parsing and the configuration reference.
import { defineSettings, SERVICE_SETTINGS } from "@evtrigger/telemetry";

export const gatewaySettings = defineSettings({
  ...SERVICE_SETTINGS,
  natsUrl: {
    env: "EVT_NATS_URL",
    flag: "nats-url",
    type: "list",
    default: ["nats://127.0.0.1:4222"],
    description: "Internal NATS (JetStream) URLs, comma-separated.",
  },
  natsUser: { env: "EVT_NATS_USER", type: "string", description: "Internal NATS user." },
  natsPassword: { env: "EVT_NATS_PASSWORD", type: "string", secret: true, description: "Internal NATS password." },
  natsToken: { env: "EVT_NATS_TOKEN", type: "string", secret: true, description: "Internal NATS token." },
  configDir: {
    env: "EVT_CONFIG_DIR",
    flag: "config-dir",
    type: "string",
    description: "Directory of YAML (SveltosClusters with kubeconfigs); alternative to a management cluster.",
  },
  managementKubeconfig: {
    env: "EVT_MANAGEMENT_KUBECONFIG",
    flag: "management-kubeconfig",
    type: "string",
    description: "Kubeconfig of the management cluster holding the SveltosClusters.",
  },
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
