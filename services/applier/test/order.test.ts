import type { ClusterRef, UpstreamPosition } from "@evtrigger/bus";
import { compareOrder, isNewer, type OrderPosition, upstreamProblem } from "../src/inventory/order.js";
import { parseMatch } from "../src/service.js";

const WORKLOAD: ClusterRef = { namespace: "default", name: "workload", kind: "Cluster" };
const OTHER: ClusterRef = { namespace: "default", name: "other", kind: "Cluster" };
const CREATED = "2026-11-25T10:00:00.000Z";

function at(eventSeq: number, up?: Partial<UpstreamPosition> & { seq: number }, sourceCluster = WORKLOAD) {
  const p: OrderPosition = { sourceCluster, eventSeq };
  if (up) p.upstream = { stream: "USERS", created: CREATED, index: 0, ...up };
  return p;
}

describe("event order", () => {
  test("order - the upstream sequence decides within one stream, whatever EVT_EVENTS' order", () => {
    // Stored out of publish order: upstream 5 landed on EVT_EVENTS after upstream 6.
    expect(isNewer(at(30, { seq: 6 }), at(31, { seq: 5 }))).toBe(true);
    expect(isNewer(at(31, { seq: 5 }), at(30, { seq: 6 }))).toBe(false);
    expect(compareOrder(at(31, { seq: 5 }), at(30, { seq: 6 }))).toBe(-1);
  });

  test("order - the same upstream position is the same event: not newer, even with another eventSeq", () => {
    // A redelivery stored again after the dedup window has a new eventSeq but must not re-apply.
    expect(compareOrder(at(40, { seq: 7 }), at(12, { seq: 7 }))).toBe(0);
    expect(isNewer(at(40, { seq: 7 }), at(12, { seq: 7 }))).toBe(false);
    expect(isNewer(at(12, { seq: 7 }), at(40, { seq: 7 }))).toBe(false);
  });

  test("order - events of one batched message are ordered by their index", () => {
    expect(isNewer(at(10, { seq: 7, index: 1 }), at(11, { seq: 7, index: 0 }))).toBe(true);
    expect(isNewer(at(11, { seq: 7, index: 0 }), at(10, { seq: 7, index: 1 }))).toBe(false);
  });

  test("order - mixed: without an upstream position on either side, EVT_EVENTS' sequence decides", () => {
    // An entry written before upstream positions were recorded, or a core NATS event.
    expect(isNewer(at(31, { seq: 5 }), at(30))).toBe(true);
    expect(isNewer(at(30), at(31, { seq: 5 }))).toBe(false);
    expect(isNewer(at(29, { seq: 9 }), at(30))).toBe(false);
    expect(isNewer(at(31), at(30))).toBe(true);
    expect(compareOrder(at(30), at(30))).toBe(0);
  });

  test("order - mixed: another stream, a recreated stream or another source cluster fall back to eventSeq", () => {
    expect(isNewer(at(31, { seq: 1, stream: "ORDERS" }), at(30, { seq: 9 }))).toBe(true);
    // Recreated upstream stream: its sequence restarted at 1, yet the event is newer.
    expect(isNewer(at(31, { seq: 1, created: "2026-11-25T12:00:00.000Z" }), at(30, { seq: 9 }))).toBe(true);
    expect(isNewer(at(31, { seq: 1 }, OTHER), at(30, { seq: 9 }))).toBe(true);
    expect(isNewer(at(29, { seq: 10, stream: "ORDERS" }), at(30, { seq: 9 }))).toBe(false);
  });

  test("order - antisymmetric over every pair of a mixed set", () => {
    const set = [
      at(1),
      at(2),
      at(3, { seq: 2 }),
      at(4, { seq: 1 }),
      at(5, { seq: 1, index: 1 }),
      at(6, { seq: 2 }),
      at(7, { seq: 1, stream: "ORDERS" }),
      at(8, { seq: 1 }, OTHER),
    ];
    for (const a of set) {
      for (const b of set) {
        expect(compareOrder(a, b)).toBe(-compareOrder(b, a) || 0);
        expect(isNewer(a, b) && isNewer(b, a)).toBe(false);
      }
    }
  });

  test("order - a match record's upstream position is checked field by field", () => {
    expect(upstreamProblem(undefined)).toBeUndefined();
    expect(upstreamProblem({ stream: "USERS", created: CREATED, seq: 1, index: 0 })).toBeUndefined();
    expect(upstreamProblem("USERS:1")).toBe("upstream");
    expect(upstreamProblem({ created: CREATED, seq: 1, index: 0 })).toBe("upstream.stream");
    expect(upstreamProblem({ stream: "USERS", seq: 1, index: 0 })).toBe("upstream.created");
    expect(upstreamProblem({ stream: "USERS", created: CREATED, seq: 0, index: 0 })).toBe("upstream.seq");
    expect(upstreamProblem({ stream: "USERS", created: CREATED, seq: 1, index: -1 })).toBe("upstream.index");
    const record = {
      v: 1,
      eventSeq: 3,
      eventTrigger: "t",
      cluster: WORKLOAD,
      event: { specversion: "1.0", id: "1", source: "s", type: "t" },
      upstream: { stream: "USERS", created: CREATED, seq: "7", index: 0 },
    };
    expect(() => parseMatch(new TextEncoder().encode(JSON.stringify(record)))).toThrow(/field upstream\.seq/);
    record.upstream.seq = 7 as unknown as string;
    expect(parseMatch(new TextEncoder().encode(JSON.stringify(record))).upstream?.seq).toBe(7);
  });
});
