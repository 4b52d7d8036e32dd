/** sprig list.go. The panicking variants fail exactly like their must* twins inside a template. */
import { compareStrings, FuncError, type FuncMap, goFunc, typed, type Value } from "../../value.js";
import { deepEqual, isEmpty, kindForError, nilSlice, num, sliceItems, strval, taggedType, toInt64 } from "../conv.js";
import { strslice } from "./strings.js";

const ANY = "interface {}";
const I = "int";

/** The slice items of `list`, or the sprig error "<prefix> <kind>" for a non-slice (nil panics). */
function itemsOr(list: Value, msg: (kind: string) => string): Value[] {
  const items = sliceItems(list);
  if (items !== undefined) return items;
  throw new FuncError(msg(kindForError(list)));
}

const inList = (hay: Value[], needle: Value): boolean => hay.some((h) => deepEqual(needle, h));

function sliceOf(list: Value, indices: Value[]): Value {
  const items = sliceItems(list);
  if (items === undefined) throw new FuncError(`list should be type of slice or array but ${kindForError(list)}`);
  if (items.length === 0) return null;
  const start = indices.length > 0 ? Number(toInt64(indices[0])) : 0;
  const end = indices.length < 2 ? items.length : Number(toInt64(indices[1]));
  if (start < 0 || end < start || end > items.length) {
    throw new FuncError("reflect.Value.Slice: slice index out of bounds");
  }
  const out = items.slice(start, end);
  const t = Array.isArray(list) ? taggedType(list) : "[]uint8";
  if (list instanceof Uint8Array) return list.slice(start, end);
  return t === undefined ? out : typed(out, t);
}

function chunk(size: number, list: Value): Value {
  const items = itemsOr(list, (k) => `Cannot chunk type ${k}`);
  const l = items.length;
  const badLen = () => new FuncError("runtime error: makeslice: len out of range");
  // Go computes the chunk count in float64: size 0 gives ±Inf/NaN, which make() rejects.
  const csf = Math.floor((l - 1) / size) + 1;
  if (!Number.isFinite(csf) || csf < 0) throw badLen();
  const out: Value[] = [];
  for (let i = 0; i < csf; i++) {
    let clen = size;
    if (i === csf - 1) {
      clen = l % size;
      if (clen === 0) clen = size;
    }
    if (clen < 0) throw badLen();
    out.push(items.slice(i * size, i * size + clen));
  }
  return typed(out, "[][]interface {}");
}

export function listFuncs(): FuncMap {
  const push = goFunc([ANY, ANY], (l, v) => [...itemsOr(l, (k) => `Cannot push on type ${k}`), v]);
  const prepend = goFunc([ANY, ANY], (l, v) => [v, ...itemsOr(l, (k) => `Cannot prepend on type ${k}`)]);
  const first = goFunc([ANY], (l) => itemsOr(l, (k) => `Cannot find first on type ${k}`)[0] ?? null);
  const last = goFunc([ANY], (l) => {
    const it = itemsOr(l, (k) => `Cannot find last on type ${k}`);
    return it.length === 0 ? null : (it[it.length - 1] as Value);
  });
  const rest = goFunc([ANY], (l) => {
    const it = itemsOr(l, (k) => `Cannot find rest on type ${k}`);
    return it.length === 0 ? nilSlice() : it.slice(1); // Go's nil []interface{}: prints [], encodes null
  });
  const initial = goFunc([ANY], (l) => {
    const it = itemsOr(l, (k) => `Cannot find initial on type ${k}`);
    return it.length === 0 ? nilSlice() : it.slice(0, -1);
  });
  const reverse = goFunc([ANY], (l) => [...itemsOr(l, (k) => `Cannot find reverse on type ${k}`)].reverse());
  const compact = goFunc([ANY], (l) => itemsOr(l, (k) => `Cannot compact on type ${k}`).filter((x) => !isEmpty(x)));
  const uniq = goFunc([ANY], (l) => {
    const out: Value[] = [];
    for (const x of itemsOr(l, (k) => `Cannot find uniq on type ${k}`)) if (!inList(out, x)) out.push(x);
    return out;
  });
  const without = goFunc(
    [ANY],
    (l, ...omit) => itemsOr(l, (k) => `Cannot find without on type ${k}`).filter((x) => !inList(omit, x)),
    { variadic: ANY },
  );
  const has = goFunc([ANY, ANY], (needle, hay) => {
    if (hay === null || hay === undefined) return false;
    return inList(
      itemsOr(hay, (k) => `Cannot find has on type ${k}`),
      needle,
    );
  });
  const slice = goFunc([ANY], (l, ...idx) => sliceOf(l, idx), { variadic: ANY });
  const chunkF = goFunc([I, ANY], (size, l) => chunk(num(size), l));
  return {
    list: goFunc([], (...xs) => xs, { variadic: ANY }),
    tuple: goFunc([], (...xs) => xs, { variadic: ANY }),
    append: push,
    push,
    mustAppend: push,
    mustPush: push,
    prepend,
    mustPrepend: prepend,
    first,
    mustFirst: first,
    rest,
    mustRest: rest,
    last,
    mustLast: last,
    initial,
    mustInitial: initial,
    reverse,
    mustReverse: reverse,
    uniq,
    mustUniq: uniq,
    without,
    mustWithout: without,
    has,
    mustHas: has,
    slice,
    mustSlice: slice,
    compact,
    mustCompact: compact,
    chunk: chunkF,
    mustChunk: chunkF,
    concat: goFunc(
      [],
      (...lists) => {
        const res: Value[] = [];
        for (const l of lists) res.push(...itemsOr(l, (k) => `Cannot concat type ${k} as list`));
        return res.length === 0 ? nilSlice() : res;
      },
      { variadic: ANY },
    ),
    sortAlpha: goFunc([ANY], (l) => {
      if (sliceItems(l) === undefined) return typed([strval(l)], "[]string");
      return typed(strslice(l).sort(compareStrings), "[]string");
    }),
  };
}
