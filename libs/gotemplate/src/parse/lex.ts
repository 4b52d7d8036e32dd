// The lexer (Go: text/template/parse/lex.go): a state machine run on demand by nextItem(), one state
// function per lexical context. Positions are UTF-16 offsets; the parser converts them to Go's byte columns.
import { type Item, ItemType, KEYWORDS } from "./item.js";

type StateFn = (l: Lexer) => StateFn | null;

const EOF = -1;
const LEFT_DELIM = "{{";
const RIGHT_DELIM = "}}";
const LEFT_COMMENT = "/*";
const RIGHT_COMMENT = "*/";
const TRIM_MARKER_LEN = 2; // marker plus space before or after

const isSpace = (r: number): boolean => r === 32 || r === 9 || r === 13 || r === 10;
const ALNUM = /^[\p{L}\p{Nd}_]$/u;
function isAlphaNumeric(r: number): boolean {
  if (r < 0) return false;
  if (r < 128) return r === 95 || (r >= 48 && r <= 57) || (r >= 65 && r <= 90) || (r >= 97 && r <= 122);
  return ALNUM.test(String.fromCodePoint(r));
}
const hasLeftTrimMarker = (s: string, i: number): boolean =>
  s.length - i >= 2 && s[i] === "-" && isSpace(s.charCodeAt(i + 1));
const hasRightTrimMarker = (s: string, i: number): boolean =>
  s.length - i >= 2 && isSpace(s.charCodeAt(i)) && s[i + 1] === "-";

function countNewlines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
}

export class Lexer {
  readonly input: string;
  pos = 0;
  start = 0;
  atEOF = false;
  parenDepth = 0;
  line = 1;
  startLine = 1;
  private readonly queue: Item[] = [];
  private state: StateFn | null = lexText;

  constructor(
    input: string,
    readonly breakOK = true,
    readonly continueOK = true,
  ) {
    this.input = input;
  }

  /** The next item; after EOF or an error item, keeps returning EOF. */
  nextItem(): Item {
    while (this.queue.length === 0) {
      if (this.state === null) return { typ: ItemType.EOF, pos: this.pos, val: "", line: this.line };
      this.state = this.state(this);
    }
    return this.queue.shift() as Item;
  }

  next(): number {
    if (this.pos >= this.input.length) {
      this.atEOF = true;
      return EOF;
    }
    const r = this.input.codePointAt(this.pos) as number;
    this.pos += r > 0xffff ? 2 : 1;
    if (r === 10) this.line++;
    return r;
  }

  peek(): number {
    if (this.pos >= this.input.length) return EOF;
    return this.input.codePointAt(this.pos) as number;
  }

  backup(): void {
    if (!this.atEOF && this.pos > 0) {
      const c = this.input.charCodeAt(this.pos - 1);
      this.pos -= c >= 0xdc00 && c <= 0xdfff && this.pos > 1 ? 2 : 1;
      if (c === 10) this.line--;
    }
  }

  emit(typ: ItemType): void {
    this.queue.push({ typ, pos: this.start, val: this.input.slice(this.start, this.pos), line: this.startLine });
    this.start = this.pos;
    this.startLine = this.line;
  }

  ignore(): void {
    this.line += countNewlines(this.input, this.start, this.pos);
    this.start = this.pos;
    this.startLine = this.line;
  }

  accept(valid: string): boolean {
    const r = this.next();
    if (r !== EOF && valid.includes(String.fromCodePoint(r))) return true;
    this.backup();
    return false;
  }

  acceptRun(valid: string): void {
    for (;;) {
      const r = this.next();
      if (r === EOF || !valid.includes(String.fromCodePoint(r))) break;
    }
    this.backup();
  }

  errorf(msg: string): null {
    this.queue.push({ typ: ItemType.Error, pos: this.start, val: msg, line: this.startLine });
    this.state = null;
    return null;
  }

  atRightDelim(): [delim: boolean, trim: boolean] {
    if (hasRightTrimMarker(this.input, this.pos) && this.input.startsWith(RIGHT_DELIM, this.pos + TRIM_MARKER_LEN)) {
      return [true, true];
    }
    if (this.input.startsWith(RIGHT_DELIM, this.pos)) return [true, false];
    return [false, false];
  }

  atTerminator(): boolean {
    const r = this.peek();
    if (isSpace(r)) return true;
    switch (r) {
      case EOF:
      case 46: // .
      case 44: // ,
      case 124: // |
      case 58: // :
      case 41: // )
      case 40: // (
        return true;
    }
    return this.input.startsWith(RIGHT_DELIM, this.pos);
  }

  scanNumber(): boolean {
    this.accept("+-");
    let digits = "0123456789_";
    if (this.accept("0")) {
      if (this.accept("xX")) digits = "0123456789abcdefABCDEF_";
      else if (this.accept("oO")) digits = "01234567_";
      else if (this.accept("bB")) digits = "01_";
    }
    this.acceptRun(digits);
    if (this.accept(".")) this.acceptRun(digits);
    if (digits.length === 11 && this.accept("eE")) {
      this.accept("+-");
      this.acceptRun("0123456789_");
    }
    if (digits.length === 23 && this.accept("pP")) {
      this.accept("+-");
      this.acceptRun("0123456789_");
    }
    this.accept("i");
    if (isAlphaNumeric(this.peek())) {
      this.next();
      return false;
    }
    return true;
  }
}

/** Go's %#U of a rune, used in lexer errors. */
function runeU(r: number): string {
  const hex = r.toString(16).toUpperCase().padStart(4, "0");
  return r >= 0x20 && r !== 0x7f ? `U+${hex} '${String.fromCodePoint(r)}'` : `U+${hex}`;
}

function rightTrimLength(s: string, from: number, to: number): number {
  let i = to;
  while (i > from && isSpace(s.charCodeAt(i - 1))) i--;
  return to - i;
}

function leftTrimLength(s: string, from: number): number {
  let i = from;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  return i - from;
}

const lexText: StateFn = (l) => {
  const x = l.input.indexOf(LEFT_DELIM, l.pos);
  if (x >= 0) {
    l.pos = x;
    let trimLength = 0;
    if (hasLeftTrimMarker(l.input, l.pos + LEFT_DELIM.length)) trimLength = rightTrimLength(l.input, l.start, l.pos);
    l.pos -= trimLength;
    if (l.pos > l.start) {
      l.line += countNewlines(l.input, l.start, l.pos);
      l.emit(ItemType.Text);
    }
    l.pos += trimLength;
    l.ignore();
    return lexLeftDelim;
  }
  l.pos = l.input.length;
  if (l.pos > l.start) {
    l.line += countNewlines(l.input, l.start, l.pos);
    l.emit(ItemType.Text);
  }
  l.emit(ItemType.EOF);
  return null;
};

const lexLeftDelim: StateFn = (l) => {
  l.pos += LEFT_DELIM.length;
  const trimSpace = hasLeftTrimMarker(l.input, l.pos);
  const afterMarker = trimSpace ? TRIM_MARKER_LEN : 0;
  if (l.input.startsWith(LEFT_COMMENT, l.pos + afterMarker)) {
    l.pos += afterMarker;
    l.ignore();
    return lexComment;
  }
  l.emit(ItemType.LeftDelim);
  l.pos += afterMarker;
  l.ignore();
  l.parenDepth = 0;
  return lexInsideAction;
};

const lexComment: StateFn = (l) => {
  l.pos += LEFT_COMMENT.length;
  const i = l.input.indexOf(RIGHT_COMMENT, l.pos);
  if (i < 0) return l.errorf("unclosed comment");
  l.pos = i + RIGHT_COMMENT.length;
  const [delim, trimSpace] = l.atRightDelim();
  if (!delim) return l.errorf("comment ends before closing delimiter");
  if (trimSpace) l.pos += TRIM_MARKER_LEN;
  l.pos += RIGHT_DELIM.length;
  if (trimSpace) l.pos += leftTrimLength(l.input, l.pos);
  l.ignore();
  return lexText;
};

const lexRightDelim: StateFn = (l) => {
  const trimSpace = hasRightTrimMarker(l.input, l.pos);
  if (trimSpace) {
    l.pos += TRIM_MARKER_LEN;
    l.ignore();
  }
  l.pos += RIGHT_DELIM.length;
  l.emit(ItemType.RightDelim);
  if (trimSpace) {
    l.pos += leftTrimLength(l.input, l.pos);
    l.ignore();
  }
  return lexText;
};

const lexInsideAction: StateFn = (l) => {
  const [delim] = l.atRightDelim();
  if (delim) {
    if (l.parenDepth === 0) return lexRightDelim;
    return l.errorf("unclosed left paren");
  }
  const r = l.next();
  if (r === EOF) return l.errorf("unclosed action");
  if (isSpace(r)) {
    l.backup(); // Put space back in case we have " -}}".
    return lexSpace;
  }
  switch (r) {
    case 61: // =
      l.emit(ItemType.Assign);
      return lexInsideAction;
    case 58: // :
      if (l.next() !== 61) return l.errorf("expected :=");
      l.emit(ItemType.Declare);
      return lexInsideAction;
    case 124: // |
      l.emit(ItemType.Pipe);
      return lexInsideAction;
    case 34: // "
      return lexQuote;
    case 96: // `
      return lexRawQuote;
    case 36: // $
      return lexVariable;
    case 39: // '
      return lexChar;
    case 46: {
      // .
      if (l.pos < l.input.length) {
        const c = l.input.charCodeAt(l.pos);
        if (c < 48 || c > 57) return lexField;
      }
      l.backup();
      return lexNumber;
    }
    case 40: // (
      l.emit(ItemType.LeftParen);
      l.parenDepth++;
      return lexInsideAction;
    case 41: // )
      l.emit(ItemType.RightParen);
      l.parenDepth--;
      if (l.parenDepth < 0) return l.errorf(`unexpected right paren ${runeU(r)}`);
      return lexInsideAction;
  }
  if (r === 43 || r === 45 || (r >= 48 && r <= 57)) {
    l.backup();
    return lexNumber;
  }
  if (isAlphaNumeric(r)) {
    l.backup();
    return lexIdentifier;
  }
  if (r < 0x7f && r >= 0x20) {
    l.emit(ItemType.Char);
    return lexInsideAction;
  }
  return l.errorf(`unrecognized character in action: ${runeU(r)}`);
};

const lexSpace: StateFn = (l) => {
  let numSpaces = 0;
  while (isSpace(l.peek())) {
    l.next();
    numSpaces++;
  }
  // Be careful about a trim-marked closing delimiter, which has a minus after a space.
  if (hasRightTrimMarker(l.input, l.pos - 1) && l.input.startsWith(RIGHT_DELIM, l.pos - 1 + TRIM_MARKER_LEN)) {
    l.backup(); // Before the space.
    if (numSpaces === 1) return lexRightDelim;
  }
  l.emit(ItemType.Space);
  return lexInsideAction;
};

const lexIdentifier: StateFn = (l) => {
  for (;;) {
    const r = l.next();
    if (isAlphaNumeric(r)) continue;
    l.backup();
    const word = l.input.slice(l.start, l.pos);
    if (!l.atTerminator()) return l.errorf(`bad character ${runeU(r)}`);
    const kw = KEYWORDS[word];
    if (kw !== undefined && kw > ItemType.Keyword) {
      if ((kw === ItemType.Break && !l.breakOK) || (kw === ItemType.Continue && !l.continueOK)) {
        l.emit(ItemType.Identifier);
      } else l.emit(kw);
    } else if (word[0] === ".") l.emit(ItemType.Field);
    else if (word === "true" || word === "false") l.emit(ItemType.Bool);
    else l.emit(ItemType.Identifier);
    return lexInsideAction;
  }
};

const lexField: StateFn = (l) => lexFieldOrVariable(l, ItemType.Field);

const lexVariable: StateFn = (l) => {
  if (l.atTerminator()) {
    l.emit(ItemType.Variable);
    return lexInsideAction;
  }
  return lexFieldOrVariable(l, ItemType.Variable);
};

function lexFieldOrVariable(l: Lexer, typ: ItemType): StateFn | null {
  if (l.atTerminator()) {
    l.emit(typ === ItemType.Variable ? ItemType.Variable : ItemType.Dot);
    return lexInsideAction;
  }
  let r: number;
  for (;;) {
    r = l.next();
    if (!isAlphaNumeric(r)) {
      l.backup();
      break;
    }
  }
  if (!l.atTerminator()) return l.errorf(`bad character ${runeU(r)}`);
  l.emit(typ);
  return lexInsideAction;
}

const lexChar: StateFn = (l) => {
  for (;;) {
    const r = l.next();
    if (r === 92) {
      const r2 = l.next();
      if (r2 !== EOF && r2 !== 10) continue;
      return l.errorf("unterminated character constant");
    }
    if (r === EOF || r === 10) return l.errorf("unterminated character constant");
    if (r === 39) break;
  }
  l.emit(ItemType.CharConstant);
  return lexInsideAction;
};

const lexNumber: StateFn = (l) => {
  if (!l.scanNumber()) return l.errorf(`bad number syntax: ${JSON.stringify(l.input.slice(l.start, l.pos))}`);
  const sign = l.peek();
  if (sign === 43 || sign === 45) {
    if (!l.scanNumber() || l.input[l.pos - 1] !== "i") {
      return l.errorf(`bad number syntax: ${JSON.stringify(l.input.slice(l.start, l.pos))}`);
    }
    l.emit(ItemType.Complex);
  } else l.emit(ItemType.Number);
  return lexInsideAction;
};

const lexQuote: StateFn = (l) => {
  for (;;) {
    const r = l.next();
    if (r === 92) {
      const r2 = l.next();
      if (r2 !== EOF && r2 !== 10) continue;
      return l.errorf("unterminated quoted string");
    }
    if (r === EOF || r === 10) return l.errorf("unterminated quoted string");
    if (r === 34) break;
  }
  l.emit(ItemType.String);
  return lexInsideAction;
};

const lexRawQuote: StateFn = (l) => {
  for (;;) {
    const r = l.next();
    if (r === EOF) return l.errorf("unterminated raw quoted string");
    if (r === 96) break;
  }
  l.emit(ItemType.RawString);
  return lexInsideAction;
};
