import {
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
} from "@nats-io/jetstream";
import type { Kvm } from "@nats-io/kv";
import { BusError } from "./errors.js";
import { BUCKETS, DEFAULT_TOPOLOGY, STREAMS, type TopologyOptions } from "./topology.js";

const ms2ns = (ms: number) => ms * 1_000_000;

function streamConfigs(o: Required<TopologyOptions>): (Partial<StreamConfig> & { name: string })[] {
  const common = {
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    num_replicas: o.replicas,
    duplicate_window: ms2ns(o.duplicateWindowMs),
    discard: DiscardPolicy.Old,
    max_bytes: o.maxBytes,
  };
  return [
    { ...common, name: STREAMS.events.name, subjects: [...STREAMS.events.subjects], max_age: ms2ns(o.maxAgeMs) },
    { ...common, name: STREAMS.matches.name, subjects: [...STREAMS.matches.subjects], max_age: ms2ns(o.maxAgeMs) },
    { ...common, name: STREAMS.dlq.name, subjects: [...STREAMS.dlq.subjects], max_age: ms2ns(14 * 24 * 3600_000) },
  ];
}

/**
 * Creates or updates the internal streams and KV buckets. Idempotent: every service calls it at start, and
 * replicas racing each other converge on the same configuration.
 */
export async function ensureTopology(jsm: JetStreamManager, kvm: Kvm, opts: TopologyOptions = {}): Promise<void> {
  const o = { ...DEFAULT_TOPOLOGY, ...opts };
  for (const cfg of streamConfigs(o)) {
    try {
      await jsm.streams.info(cfg.name);
      await jsm.streams.update(cfg.name, cfg);
    } catch (err) {
      if (!(err instanceof JetStreamApiError) || err.code !== JetStreamApiCodes.StreamNotFound) {
        throw new BusError("EVT_BUS_TOPOLOGY", `cannot create or update stream ${cfg.name}`, { cause: err });
      }
      try {
        await jsm.streams.add(cfg);
      } catch (addErr) {
        // Another replica may have created it between our info and add.
        if (!/already in use|exists/i.test(String(addErr))) {
          throw new BusError("EVT_BUS_TOPOLOGY", `cannot create stream ${cfg.name}`, { cause: addErr });
        }
      }
    }
  }
  for (const bucket of Object.values(BUCKETS)) {
    try {
      await kvm.create(bucket, { history: 1, replicas: o.replicas });
    } catch (err) {
      throw new BusError("EVT_BUS_TOPOLOGY", `cannot create KV bucket ${bucket}`, { cause: err });
    }
  }
}
