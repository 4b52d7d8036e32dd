// Health plugin: /healthz (the process answers) and /readyz (every dependency check passes). A check returns
// true when healthy or a string saying what is wrong; a throw or a timeout counts as a failure with its reason.
import type { FastifyPluginAsync } from "fastify";
import fp from "fastify-plugin";
import { redactString } from "../redact.js";

/** A readiness check: true when ready, else a short reason ("NATS disconnected"). May be async. */
export type ReadinessCheck = () => Promise<true | string> | true | string;

export interface HealthOptions {
  checks: Record<string, ReadinessCheck>;
  /** A check slower than this fails with "timed out after N ms". Default 2000. */
  checkTimeoutMs?: number;
}

export interface CheckResult {
  ok: boolean;
  reason?: string;
}

export interface ReadinessReport {
  status: "ready" | "not ready";
  checks: Record<string, CheckResult>;
}

declare module "fastify" {
  interface FastifyInstance {
    /** Runs every readiness check now (in parallel) and reports each result. */
    readiness(): Promise<ReadinessReport>;
  }
}

const checkResult = {
  type: "object",
  properties: { ok: { type: "boolean" }, reason: { type: "string" } },
  required: ["ok"],
} as const;

const readyBody = {
  type: "object",
  properties: {
    status: { type: "string", enum: ["ready", "not ready"] },
    checks: { type: "object", additionalProperties: checkResult },
  },
  required: ["status", "checks"],
} as const;

const healthPlugin: FastifyPluginAsync<HealthOptions> = async (app, opts) => {
  const timeoutMs = opts.checkTimeoutMs ?? 2000;
  let closing = false;

  app.decorate("readiness", async (): Promise<ReadinessReport> => {
    // Read the record on every call: a service may add checks after start (e.g. one per managed cluster).
    const checks = Object.entries(opts.checks);
    const results = await Promise.all(checks.map(([, check]) => runCheck(check, timeoutMs)));
    const report: ReadinessReport = { status: "ready", checks: {} };
    checks.forEach(([name], i) => {
      report.checks[name] = results[i];
      if (!results[i].ok) report.status = "not ready";
    });
    if (closing) {
      report.status = "not ready";
      report.checks.shutdown = { ok: false, reason: "service is shutting down" };
    }
    return report;
  });

  // While closing, readiness goes red so a load balancer or probe stops counting on this replica.
  app.addHook("preClose", async () => {
    closing = true;
  });

  app.get(
    "/healthz",
    {
      schema: {
        response: {
          200: { type: "object", properties: { status: { type: "string" } }, required: ["status"] },
        },
      },
    },
    async () => ({ status: "ok" }),
  );

  app.get("/readyz", { schema: { response: { 200: readyBody, 503: readyBody } } }, async (_req, reply) => {
    const report = await app.readiness();
    return reply.code(report.status === "ready" ? 200 : 503).send(report);
  });
};

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`timed out after ${timeoutMs} ms`), timeoutMs);
    timer.unref();
  });
  try {
    const r = await Promise.race([Promise.resolve().then(check), timeout]);
    if (r === true) return { ok: true };
    // Reasons are public (unauthenticated endpoint) and often error messages: mask URL passwords and the like.
    return {
      ok: false,
      reason: typeof r === "string" && r !== "" ? redactString(r) : `check returned ${JSON.stringify(r)}`,
    };
  } catch (err) {
    return { ok: false, reason: redactString(err instanceof Error ? err.message : String(err)) };
  } finally {
    clearTimeout(timer);
  }
}

/** Registers /healthz and /readyz and decorates `app.readiness()`. */
export const health = fp(healthPlugin, { name: "evt-health", fastify: "5.x" });
