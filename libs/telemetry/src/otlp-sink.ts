// A minimal OTLP/HTTP JSON trace receiver. Lets a test (or `evtctl dev up`) point real service processes at
// OTEL_EXPORTER_OTLP_ENDPOINT and check that one event produced one connected trace, with no collector binary.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/** One received span, flattened from OTLP's resourceSpans/scopeSpans nesting. */
export interface SinkSpan {
  /** resource attribute service.name of the process that exported it. */
  service: string;
  name: string;
  traceId: string;
  spanId: string;
  /** "" for a root span. */
  parentSpanId: string;
  /** Span attributes with their OTLP value unwrapped (stringValue, intValue, boolValue, doubleValue). */
  attributes: Record<string, unknown>;
  /** OTLP status code: 0 unset, 1 ok, 2 error. */
  statusCode: number;
}

export interface OtlpSink {
  /** Base URL for OTEL_EXPORTER_OTLP_ENDPOINT, e.g. "http://127.0.0.1:43211". */
  readonly url: string;
  /** Every span received so far, in arrival order. */
  spans(): SinkSpan[];
  close(): Promise<void>;
}

const MAX_BODY = 16 * 1024 * 1024;

/** Starts the receiver on 127.0.0.1 (free port unless given). Accepts POST /v1/traces with application/json. */
export async function startOtlpSink(opts: { port?: number } = {}): Promise<OtlpSink> {
  const received: SinkSpan[] = [];
  const server = createServer((req, res) => {
    if (req.method !== "POST" || req.url !== "/v1/traces") {
      res.writeHead(404).end();
      return;
    }
    readBody(req)
      .then((text) => {
        received.push(...flatten(JSON.parse(text)));
        res.writeHead(200, { "content-type": "application/json" }).end("{}");
      })
      .catch((err: unknown) => {
        res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: String(err) }));
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    spans: () => [...received],
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      return closed;
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy(new Error("body too large"));
      else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

type OtlpValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number };
type OtlpAttr = { key: string; value?: OtlpValue };
interface OtlpRequest {
  resourceSpans?: Array<{
    resource?: { attributes?: OtlpAttr[] };
    scopeSpans?: Array<{
      spans?: Array<{
        name: string;
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        attributes?: OtlpAttr[];
        status?: { code?: number };
      }>;
    }>;
  }>;
}

function flatten(req: OtlpRequest): SinkSpan[] {
  const out: SinkSpan[] = [];
  for (const rs of req.resourceSpans ?? []) {
    const service = String(attrs(rs.resource?.attributes)["service.name"] ?? "");
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        out.push({
          service,
          name: s.name,
          traceId: s.traceId,
          spanId: s.spanId,
          parentSpanId: s.parentSpanId ?? "",
          attributes: attrs(s.attributes),
          statusCode: s.status?.code ?? 0,
        });
      }
    }
  }
  return out;
}

function attrs(list: OtlpAttr[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of list ?? []) {
    const v = a.value ?? {};
    out[a.key] = v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : (v.boolValue ?? v.doubleValue));
  }
  return out;
}
