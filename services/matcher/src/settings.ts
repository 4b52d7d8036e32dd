// The matcher's settings (env and flags), one schema for parsing and the configuration reference.
import { defineSettings, SERVICE_SETTINGS } from "@evtrigger/telemetry";

export const matcherSettings = defineSettings({
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
    description: "Directory of YAML (EventSources, EventTriggers, SveltosClusters, ClusterSets).",
  },
  managementKubeconfig: {
    env: "EVT_MANAGEMENT_KUBECONFIG",
    flag: "management-kubeconfig",
    type: "string",
    description: "Kubeconfig of the management cluster holding the EventSources and EventTriggers.",
  },
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
  reportLimit: {
    env: "EVT_MATCHER_REPORT_LIMIT",
    type: "int",
    default: 100,
    min: 1,
    max: 200,
    description: "Matched events kept per (cluster, EventSource) for `evtctl show events`.",
  },
});
