// One managed cluster: watches its sveltos-nats Secret and keeps one ClusterLink (connections + subscriptions)
// matching it. A new Secret value starts a new link, waits (bounded) for it to subscribe, then drains the old one:
// no restart, and messages already delivered to the old link finish (core) or are acked/redelivered (JetStream).
import type { ClusterRef } from "@evtrigger/bus";
import type { NatsConnection } from "@nats-io/transport-node";
import type { GatewayError } from "./errors.js";
import type { Ingest } from "./ingest.js";
import type { GatewayMetrics, LoggerLike } from "./metrics.js";
import { type ConfigProblem, checkNames, type NatsConnectionConfig, parseNatsConfig, redactUrl } from "./natsconfig.js";
import { type ClusterNatsSource, clusterKey, type NatsConfigResult } from "./source.js";
import { connectionOptions } from "./sources/auth.js";
import { type ConnState, errorText, startUpstreamConnection, type UpstreamConnection } from "./sources/connection.js";
import { type CoreSubscriptions, type SubStatus, subscribeCore } from "./sources/core.js";
import { type JetStreamSources, startJetStreamSources } from "./sources/jetstream.js";

export interface LinkTuning {
  coreMaxInFlight: number;
  jsConcurrency: number;
  ackWaitMs: number;
  reconnect: { initialMs: number; maxMs: number };
  /** How long a new link may take to subscribe before the old one is drained anyway. */
  switchoverMs: number;
}

export interface ConnectionStatus {
  transport: "nats" | "jetstream";
  url: string;
  state: ConnState;
  error?: string;
  subscriptions: SubStatus[];
}

export interface ClusterStatus {
  cluster: string;
  state: "pending" | "no-config" | "invalid-config" | "active";
  configHash: string | null;
  /** resourceVersion of the sveltos-nats Secret this state is for (null: unknown, e.g. no Secret). */
  resourceVersion: string | null;
  /**
   * Every connection for that Secret is up and every subscription active; for core NATS the server has confirmed
   * the subscriptions (a publish from now on is delivered). False without a usable Secret.
   */
  subscribed: boolean;
  problems: ConfigProblem[];
  connections: ConnectionStatus[];
}

interface LinkDeps {
  cluster: ClusterRef;
  ingest: Ingest;
  logger: LoggerLike;
  metrics: GatewayMetrics;
  tuning: LinkTuning;
}

/** Connections and subscriptions for one Secret value. */
class ClusterLink {
  private readonly parts: {
    status: ConnectionStatus;
    conn: UpstreamConnection;
    subs?: CoreSubscriptions | JetStreamSources;
  }[] = [];

  constructor(
    private readonly d: LinkDeps,
    config: NatsConnectionConfig,
  ) {
    const key = clusterKey(d.cluster);
    const name = `evtrigger-gateway ${key}`;
    const n = config.nats?.configuration;
    if (n) {
      this.add("nats", n.url, connectionOptions(n, name, "nats.configuration"), async (nc, part) => {
        part.subs = subscribeCore({
          nc,
          subjects: n.subjects,
          upstream: { cluster: d.cluster, transport: "nats" },
          ingest: d.ingest,
          logger: d.logger,
          maxInFlight: d.tuning.coreMaxInFlight,
        });
      });
    }
    const j = config.jetstream?.configuration;
    if (j) {
      this.add("jetstream", j.url, connectionOptions(j, name, "jetstream.configuration"), async (nc, part) => {
        part.subs = startJetStreamSources({
          nc,
          streamNames: j.subjects ?? [],
          streams: j.streams ?? [],
          upstream: { cluster: d.cluster, transport: "jetstream" },
          ingest: d.ingest,
          logger: d.logger,
          concurrency: d.tuning.jsConcurrency,
          ackWaitMs: d.tuning.ackWaitMs,
          retry: d.tuning.reconnect,
        });
      });
    }
  }

  private add(
    transport: "nats" | "jetstream",
    url: string,
    options: ReturnType<typeof connectionOptions>,
    setup: (nc: NatsConnection, part: ClusterLink["parts"][number]) => Promise<void>,
  ) {
    const key = clusterKey(this.d.cluster);
    const status: ConnectionStatus = { transport, url: redactUrl(url), state: "connecting", subscriptions: [] };
    const part = { status } as ClusterLink["parts"][number];
    part.conn = startUpstreamConnection({
      options,
      backoff: this.d.tuning.reconnect,
      onConnected: async (nc) => {
        // A reconnect from scratch: the previous subscriptions died with the previous connection.
        await part.subs?.drain().catch(() => {});
        await setup(nc, part);
      },
      onState: (state, error) => {
        const was = status.state;
        status.state = state;
        status.error = error;
        this.d.metrics.connection(key, transport, state === "connected");
        if (state !== was && (state === "connected" || state === "unreachable")) {
          const log = state === "connected" ? this.d.logger.info : this.d.logger.warn;
          log.call(this.d.logger, `upstream ${state}`, { cluster: key, transport, url: status.url, error });
        }
      },
    });
    this.parts.push(part);
  }

  status(): ConnectionStatus[] {
    return this.parts.map((p) => ({ ...p.status, subscriptions: p.subs?.status() ?? [] }));
  }

  /** True once every connection is up and every subscription active. */
  subscribed(): boolean {
    return this.status().every((c) => c.state === "connected" && c.subscriptions.every((s) => s.state === "active"));
  }

  /** Sets the connection gauges to this link's states (after an old link's drain reported its own as down). */
  reportConnections(): void {
    for (const p of this.parts) {
      this.d.metrics.connection(clusterKey(this.d.cluster), p.status.transport, p.status.state === "connected");
    }
  }

  async drain(): Promise<void> {
    await Promise.allSettled(
      this.parts.map(async (p) => {
        p.conn.stop();
        await p.subs?.drain();
        const nc = p.conn.current();
        if (nc && !nc.isClosed()) await nc.drain().catch(() => nc.close());
        await p.conn.done;
        p.status.state = "closed";
        this.d.metrics.connection(clusterKey(this.d.cluster), p.status.transport, false);
      }),
    );
  }
}

/** Keeps one cluster's link in line with its Secret. */
export class ClusterSupervisor {
  private link: ClusterLink | undefined;
  private hash: string | null | undefined;
  private resourceVersion: string | null = null;
  private state: ClusterStatus["state"] = "pending";
  private problems: ConfigProblem[] = [];
  private chain: Promise<void> = Promise.resolve();
  private unwatch: (() => void) | undefined;
  private closed = false;

  constructor(private readonly d: LinkDeps & { source: ClusterNatsSource }) {}

  async start(): Promise<void> {
    this.unwatch = this.d.source.watchNatsConfig(this.d.cluster, (r) => this.enqueue(r));
    try {
      this.enqueue(await this.d.source.natsConfig(this.d.cluster));
    } catch (err) {
      this.state = "invalid-config";
      this.problems = [{ path: "", reason: `cannot read the sveltos-nats Secret: ${errorText(err)}` }];
    }
    await this.chain;
  }

  synced(): boolean {
    return this.state !== "pending";
  }

  status(): ClusterStatus {
    return {
      cluster: clusterKey(this.d.cluster),
      state: this.state,
      configHash: this.hash ?? null,
      resourceVersion: this.resourceVersion,
      subscribed: this.link?.subscribed() ?? false,
      problems: this.problems,
      connections: this.link?.status() ?? [],
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unwatch?.();
    await this.chain;
    const old = this.link;
    this.link = undefined;
    await old?.drain();
  }

  private enqueue(r: NatsConfigResult): void {
    this.chain = this.chain
      .then(() => this.apply(r))
      .catch((err) => {
        this.d.logger.error("cannot apply sveltos-nats change", {
          cluster: clusterKey(this.d.cluster),
          error: errorText(err),
        });
      });
  }

  private async apply(r: NatsConfigResult): Promise<void> {
    if (this.closed) return;
    // The same payload under a newer resourceVersion: nothing to reconnect, but status names the version seen.
    this.resourceVersion = r.resourceVersion ?? null;
    if (r.hash === this.hash) return;
    const key = clusterKey(this.d.cluster);
    this.hash = r.hash;
    const old = this.link;
    this.link = undefined;
    let next: ClusterLink | undefined;
    const parsed = r.config === undefined ? undefined : parseNatsConfig(r.config);
    const problems = [...r.problems, ...(parsed?.problems ?? [])];
    if (problems.length || (r.hash !== null && !parsed?.config)) {
      this.state = "invalid-config";
      this.problems = problems;
      this.d.logger.warn("sveltos-nats Secret is invalid", { cluster: key, problems });
    } else if (!parsed?.config) {
      this.state = "no-config";
      this.problems = [];
      this.d.logger.info("no sveltos-nats Secret: no messaging for this cluster", { cluster: key });
    } else {
      try {
        checkNames(parsed.config);
        next = new ClusterLink(this.d, parsed.config);
        this.state = "active";
        this.problems = [];
      } catch (err) {
        this.state = "invalid-config";
        this.problems = [{ path: (err as GatewayError).field ?? "", reason: errorText(err) }];
        this.d.logger.warn("sveltos-nats Secret is invalid", { cluster: key, problems: this.problems });
      }
    }
    this.link = next;
    if (old) {
      if (next) await waitUntil(() => next.subscribed(), this.d.tuning.switchoverMs);
      await old.drain();
      next?.reportConnections(); // the gauges are per cluster and transport, shared by the old and new link
      this.d.logger.info("sveltos-nats change applied", { cluster: key, state: this.state });
    }
  }
}

async function waitUntil(cond: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond() && Date.now() < deadline) {
    await new Promise<void>((r) => setTimeout(r, 20).unref());
  }
}
