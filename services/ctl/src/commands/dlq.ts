// evtctl dlq list|show|replay: inspect the dead-letter stream and re-drive letters after a fix.
import {
  BUCKETS,
  connectBus,
  type DlqStage,
  getDeadLetter,
  listDeadLetters,
  readReplayNote,
  readReplayNotes,
  STREAMS,
  type StoredDeadLetter,
} from "@evtrigger/bus";
import { bodyText, formatDeadLetter, formatDeadLetters } from "../dlq/format.js";
import { type ReplayResult, replayDeadLetter } from "../dlq/replay.js";
import { flagInt, flagString, type ParsedArgs, parseArgs } from "../util/args.js";
import { busOptionsFromFlags, CONNECTION_USAGE } from "../util/connection.js";
import type { Command } from "./types.js";

const USAGE = `usage: evtctl dlq list [--stage gateway|matcher|applier] [--code CODE] [--limit N] [-o table|json] CONN
       evtctl dlq show SEQ [-o text|json] CONN
       evtctl dlq replay SEQ | --all [--stage S] [--code CODE] [--force] [--upstream URL [--upstream-user U
                         --upstream-password P]] CONN
CONN: ${CONNECTION_USAGE}

list    the newest dead letters on EVT_DLQ (default 50), newest first, with the reason truncated.
show    one dead letter in full: reason, origin, headers and body (decoded when UTF-8).
replay  re-drive after fixing the cause: a matcher or applier letter re-publishes the original event or match
        from its stream (new Nats-Msg-Id replay:<seq>:<n>), so the next stage processes it again. A gateway
        letter never reached a stream: with --upstream it is re-sent to the managed cluster's NATS when its whole
        body was kept. A replayed letter is remembered (KV evt-status); replaying it again needs --force.
NATS defaults come from EVT_NATS_URL/_USER/_PASSWORD/_TOKEN.
`;

const STAGES = new Set<string>(["gateway", "matcher", "applier"]);

function fail(msg: string): number {
  process.stderr.write(`evtctl dlq: ${msg}\n`);
  return 2;
}

function parseSeq(s: string | undefined): number | undefined {
  if (s === undefined || !/^[1-9][0-9]*$/.test(s)) return undefined;
  return Number(s);
}

function stageOf(a: ParsedArgs): DlqStage | undefined | Error {
  const s = flagString(a, "stage");
  if (s === undefined) return undefined;
  return STAGES.has(s) ? (s as DlqStage) : new Error(`--stage must be gateway, matcher or applier, got "${s}"`);
}

export const dlq: Command = {
  summary: "dead letters: list, show one, replay after a fix",
  async run(argv) {
    const a = parseArgs(argv, { booleans: ["help", "all", "force"], aliases: { s: "server", h: "help", o: "output" } });
    const [sub, ...pos] = a.positional;
    if (a.flags.has("help") || !sub) {
      process.stdout.write(USAGE);
      return sub || a.flags.has("help") ? 0 : 2;
    }
    if (!["list", "show", "replay"].includes(sub)) return fail(`unknown sub-command "${sub}"\n${USAGE}`);
    const stage = stageOf(a);
    if (stage instanceof Error) return fail(stage.message);
    const output = flagString(a, "output") ?? (sub === "list" ? "table" : "text");
    if (!["table", "text", "json"].includes(output)) return fail(`-o must be table, text or json, got "${output}"`);
    const seq = parseSeq(pos[0]);
    if (sub === "show" && seq === undefined) return fail(`show needs a dead-letter sequence, got "${pos[0] ?? ""}"`);
    if (sub === "replay" && seq === undefined && !a.flags.has("all")) {
      return fail(`replay needs a dead-letter sequence or --all, got "${pos[0] ?? ""}"`);
    }
    if (sub === "replay" && seq !== undefined && a.flags.has("all")) return fail("replay takes SEQ or --all, not both");

    const bus = await connectBus(busOptionsFromFlags(a, "evtctl-dlq"));
    try {
      const notes = await bus.kvm.open(BUCKETS.status);
      if (sub === "list") {
        const letters = await listDeadLetters(bus.jsm, {
          stage,
          code: flagString(a, "code"),
          limit: flagInt(a, "limit", 50),
        });
        const all = await readReplayNotes(notes);
        const current = new Map(
          [...all].filter(([s, n]) => letters.some((d) => d.seq === s && d.letter.at === n.letterAt)),
        );
        if (output === "json") {
          const rows = letters.map((d) => ({ ...d, replayed: current.get(d.seq) }));
          process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        } else process.stdout.write(formatDeadLetters(letters, current));
        return 0;
      }
      if (sub === "show") {
        const d = await getDeadLetter(bus.jsm, seq!);
        if (!d) {
          process.stderr.write(`evtctl dlq show: no dead letter with sequence ${seq} on EVT_DLQ\n`);
          return 1;
        }
        const note = await readReplayNote(notes, d.seq, d.letter.at);
        if (output === "json") {
          process.stdout.write(
            `${JSON.stringify({ ...d, body: bodyText(d.letter)?.text, replayed: note }, null, 2)}\n`,
          );
        } else process.stdout.write(formatDeadLetter(d, note));
        return 0;
      }
      // replay
      let targets: StoredDeadLetter[];
      if (seq !== undefined) {
        const d = await getDeadLetter(bus.jsm, seq);
        if (!d) {
          process.stderr.write(`evtctl dlq replay: no dead letter with sequence ${seq} on EVT_DLQ\n`);
          return 1;
        }
        targets = [d];
      } else {
        // Oldest first, so events of one key are re-driven in their original order.
        targets = (
          await listDeadLetters(bus.jsm, { stage, code: flagString(a, "code"), limit: flagInt(a, "limit", 10_000) })
        ).reverse();
      }
      const upstreamUrl = flagString(a, "upstream");
      const opts = {
        force: a.flags.has("force"),
        upstream: upstreamUrl
          ? { servers: upstreamUrl, user: flagString(a, "upstream-user"), pass: flagString(a, "upstream-password") }
          : undefined,
      };
      const results: ReplayResult[] = [];
      for (const d of targets) {
        let r: ReplayResult;
        try {
          r = await replayDeadLetter(bus, notes, d, opts);
        } catch (err) {
          r = {
            seq: d.seq,
            outcome: "not-replayable",
            detail: `failed: ${err instanceof Error ? err.message : String(err)}`,
          };
        }
        results.push(r);
        process.stdout.write(`${r.outcome.padEnd(16)} EVT_DLQ #${r.seq} ${r.detail}\n`);
      }
      const replayed = results.filter((r) => r.outcome === "replayed").length;
      if (seq === undefined) process.stdout.write(`${replayed} of ${results.length} dead letter(s) replayed\n`);
      // One letter: success only if it was re-driven. --all: success unless something could not be.
      if (seq !== undefined) return replayed === 1 ? 0 : 1;
      return results.some((r) => r.outcome === "not-replayable") ? 1 : 0;
    } catch (err) {
      // Name what could not be read (a fresh server has no EVT_DLQ until a service created the topology).
      process.stderr.write(
        `evtctl dlq ${sub}: cannot read ${STREAMS.dlq.name}: ${err instanceof Error ? err.message : String(err)}\n`,
      );
      return 1;
    } finally {
      await bus.close();
    }
  },
};
