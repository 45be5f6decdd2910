/**
 * The parser of Go's text/template (Go 1.19), production for production: the tree, the positions and the
 * parse errors (`template: :1: missing value for if`) are Go's, so execution errors can name the same
 * column and node text (`executing "" at <index .Config.Env 5>`) that docker prints.
 */
import { T, lex, type Item } from './lex.js';
import { goQuote, unquoteGo, unquoteChar } from './strconv.js';

export type Node =
  | ListNode | TextNode | ActionNode | PipeNode | CommandNode | IdentifierNode | VariableNode | DotNode
  | NilNode | FieldNode | ChainNode | BoolNode | NumberNode | StringNode | IfNode | RangeNode | WithNode
  | TemplateNode | BreakNode | ContinueNode;

export interface ListNode { type: 'list'; pos: number; nodes: Node[] }
export interface TextNode { type: 'text'; pos: number; text: string }
export interface ActionNode { type: 'action'; pos: number; pipe: PipeNode }
export interface PipeNode { type: 'pipe'; pos: number; isAssign: boolean; decl: VariableNode[]; cmds: CommandNode[] }
export interface CommandNode { type: 'command'; pos: number; args: Node[] }
export interface IdentifierNode { type: 'identifier'; pos: number; ident: string }
export interface VariableNode { type: 'variable'; pos: number; ident: string[] }
export interface DotNode { type: 'dot'; pos: number }
export interface NilNode { type: 'nil'; pos: number }
export interface FieldNode { type: 'field'; pos: number; ident: string[] }
export interface ChainNode { type: 'chain'; pos: number; node: Node; field: string[] }
export interface BoolNode { type: 'bool'; pos: number; value: boolean }
export interface NumberNode {
  type: 'number'; pos: number; text: string;
  isInt: boolean; isFloat: boolean; isComplex: boolean; int: number; float: number;
}
export interface StringNode { type: 'string'; pos: number; quoted: string; text: string }
export interface BranchNode { pos: number; pipe: PipeNode; list: ListNode; elseList: ListNode | undefined }
export interface IfNode extends BranchNode { type: 'if' }
export interface RangeNode extends BranchNode { type: 'range' }
export interface WithNode extends BranchNode { type: 'with' }
export interface TemplateNode { type: 'template'; pos: number; name: string; pipe: PipeNode | undefined }
export interface BreakNode { type: 'break'; pos: number }
export interface ContinueNode { type: 'continue'; pos: number }
interface EndNode { type: 'end'; pos: number }
interface ElseNode { type: 'else'; pos: number }

/** A parse error, already in Go's words: `template: NAME:LINE: message`. */
export class TemplateParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateParseError';
  }
}

export interface ParsedTemplate {
  name: string;
  text: string;
  root: ListNode;
  /** Templates made by {{define}} and {{block}}, by name. */
  defs: Map<string, ListNode>;
}

/** Go's String() of a node: what an execution error shows between < and >. */
export function nodeString(n: Node | EndNode | ElseNode): string {
  switch (n.type) {
    case 'list': return n.nodes.map(nodeString).join('');
    case 'text': return goQuote(n.text);
    case 'action': return `{{${nodeString(n.pipe)}}}`;
    case 'pipe': {
      let s = '';
      if (n.decl.length > 0) s = n.decl.map(nodeString).join(', ') + (n.isAssign ? ' = ' : ' := ');
      return s + n.cmds.map(nodeString).join(' | ');
    }
    case 'command': return n.args.map((a) => (a.type === 'pipe' ? `(${nodeString(a)})` : nodeString(a))).join(' ');
    case 'identifier': return n.ident;
    case 'variable': return n.ident.join('.');
    case 'dot': return '.';
    case 'nil': return 'nil';
    case 'field': return '.' + n.ident.join('.');
    case 'chain': return (n.node.type === 'pipe' ? `(${nodeString(n.node)})` : nodeString(n.node)) + '.' + n.field.join('.');
    case 'bool': return String(n.value);
    case 'number': return n.text;
    case 'string': return n.quoted;
    case 'if': case 'range': case 'with':
      return `{{${n.type} ${nodeString(n.pipe)}}}${nodeString(n.list)}${n.elseList ? `{{else}}${nodeString(n.elseList)}` : ''}{{end}}`;
    case 'template': return n.pipe ? `{{template ${goQuote(n.name)} ${nodeString(n.pipe)}}}` : `{{template ${goQuote(n.name)}}}`;
    case 'break': return '{{break}}';
    case 'continue': return '{{continue}}';
    case 'end': return '{{end}}';
    case 'else': return '{{else}}';
  }
}

function itemString(i: Item): string {
  if (i.typ === T.EOF) return 'EOF';
  if (i.typ === T.Error) return i.val;
  if (i.typ >= T.Block) return `<${i.val}>`;
  if ([...i.val].length > 10) return `${goQuote([...i.val].slice(0, 10).join(''))}...`;
  return goQuote(i.val);
}

/** Parses a template. `hasFunction` says which identifiers are functions (Go checks them at parse time). */
export function parse(text: string, hasFunction: (name: string) => boolean, name = ''): ParsedTemplate {
  const items = lex(text);
  let i = 0;
  let last: Item = items[0]!;
  let vars: string[] = ['$'];
  let rangeDepth = 0;
  let actionLine = 0;
  const defs = new Map<string, ListNode>();

  const fail = (msg: string): never => {
    throw new TemplateParseError(`template: ${name}:${last.line}: ${msg}`);
  };
  const end = items[items.length - 1]!; // EOF or the lexer's error
  const next = (): Item => {
    last = items[i] ?? end;
    i++;
    return last;
  };
  const backup = (): void => {
    i--;
  };
  const peek = (): Item => items[i] ?? end;
  const nextNonSpace = (): Item => {
    let t = next();
    while (t.typ === T.Space) t = next();
    return t;
  };
  const peekNonSpace = (): Item => {
    const t = nextNonSpace();
    backup();
    return t;
  };
  const unexpected = (t: Item, context: string): never => {
    if (t.typ === T.Error) {
      let extra = '';
      if (actionLine !== 0 && actionLine !== t.line) {
        extra = ` in action started at ${name}:${actionLine}`;
        if (t.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      return fail(`${t.val}${extra}`);
    }
    return fail(`unexpected ${itemString(t)} in ${context}`);
  };
  const expect = (typ: T, context: string): Item => {
    const t = nextNonSpace();
    if (t.typ !== typ) unexpected(t, context);
    return t;
  };

  const itemList = (): [ListNode, Node | EndNode | ElseNode] => {
    const list: ListNode = { type: 'list', pos: peekNonSpace().pos, nodes: [] };
    while (peekNonSpace().typ !== T.EOF) {
      const n = textOrAction();
      if (n.type === 'end' || n.type === 'else') return [list, n];
      list.nodes.push(n);
    }
    return fail('unexpected EOF');
  };

  const textOrAction = (): Node | EndNode | ElseNode => {
    const t = nextNonSpace();
    if (t.typ === T.Text) return { type: 'text', pos: t.pos, text: t.val };
    if (t.typ === T.LeftDelim) {
      actionLine = t.line;
      try {
        return action();
      } finally {
        actionLine = 0;
      }
    }
    return unexpected(t, 'input');
  };

  const action = (): Node | EndNode | ElseNode => {
    const t = nextNonSpace();
    switch (t.typ) {
      case T.Block: return blockControl();
      case T.Break: case T.Continue: {
        const kind = t.typ === T.Break ? 'break' : 'continue';
        const after = nextNonSpace();
        if (after.typ !== T.RightDelim) unexpected(after, `{{${kind}}}`);
        if (rangeDepth === 0) fail(`{{${kind}}} outside {{range}}`);
        return { type: kind, pos: t.pos };
      }
      case T.Else: {
        // "else if": leave the if pending, the enclosing if takes it as a nested if.
        const p = peekNonSpace();
        if (p.typ === T.If) return { type: 'else', pos: p.pos };
        return { type: 'else', pos: expect(T.RightDelim, 'else').pos };
      }
      case T.End: return { type: 'end', pos: expect(T.RightDelim, 'end').pos };
      case T.If: return control('if', true);
      case T.Range: return control('range', false);
      case T.With: return control('with', false);
      case T.Template: return templateControl();
    }
    backup();
    const p = peek();
    return { type: 'action', pos: p.pos, pipe: pipeline('command', T.RightDelim) };
  };

  const control = (context: 'if' | 'range' | 'with', allowElseIf: boolean): IfNode | RangeNode | WithNode => {
    const saved = vars.length;
    const pipe = pipeline(context, T.RightDelim);
    if (context === 'range') rangeDepth++;
    let [list, nx] = itemList();
    if (context === 'range') rangeDepth--;
    let elseList: ListNode | undefined;
    if (nx.type === 'else') {
      if (allowElseIf && peek().typ === T.If) {
        next();
        elseList = { type: 'list', pos: nx.pos, nodes: [control('if', true)] };
      } else {
        [elseList, nx] = itemList();
        if (nx.type !== 'end') fail(`expected end; found ${nodeString(nx)}`);
      }
    }
    vars = vars.slice(0, saved);
    return { type: context, pos: pipe.pos, pipe, list, elseList };
  };

  const templateName = (t: Item, context: string): string => {
    if (t.typ === T.String || t.typ === T.RawString) return unquote(t.val);
    return unexpected(t, context);
  };

  const templateControl = (): TemplateNode => {
    const t = nextNonSpace();
    const tname = templateName(t, 'template clause');
    let pipe: PipeNode | undefined;
    if (nextNonSpace().typ !== T.RightDelim) {
      backup();
      pipe = pipeline('template clause', T.RightDelim);
    }
    return { type: 'template', pos: t.pos, name: tname, pipe };
  };

  /** The body of a {{define}} or {{block}}: its own variables ($ only), up to its {{end}}. */
  const subTemplate = (tname: string, context: string): void => {
    const outer = vars;
    vars = ['$'];
    const [list, end] = itemList();
    vars = outer;
    if (end.type !== 'end') fail(`unexpected ${nodeString(end)} in ${context}`);
    defs.set(tname, list);
  };

  const blockControl = (): TemplateNode => {
    const t = nextNonSpace();
    const tname = templateName(t, 'block clause');
    const pipe = pipeline('block clause', T.RightDelim);
    subTemplate(tname, 'block clause');
    return { type: 'template', pos: t.pos, name: tname, pipe };
  };

  const definition = (): void => {
    const t = nextNonSpace();
    if (t.typ !== T.String && t.typ !== T.RawString) unexpected(t, 'define clause');
    const tname = unquote(t.val);
    expect(T.RightDelim, 'define clause');
    subTemplate(tname, 'define clause');
  };

  const pipeline = (context: string, end: T): PipeNode => {
    const start = peekNonSpace();
    const pipe: PipeNode = { type: 'pipe', pos: start.pos, isAssign: false, decl: [], cmds: [] };
    for (;;) {
      const at = i;
      const v = nextNonSpace();
      if (v.typ !== T.Variable) {
        i = at;
        break;
      }
      const nx = peekNonSpace();
      if (nx.typ === T.Assign || nx.typ === T.Declare) {
        pipe.isAssign = nx.typ === T.Assign;
        nextNonSpace();
        pipe.decl.push({ type: 'variable', pos: v.pos, ident: v.val.split('.') });
        vars.push(v.val);
        break;
      }
      if (nx.typ === T.Char && nx.val === ',') {
        nextNonSpace();
        pipe.decl.push({ type: 'variable', pos: v.pos, ident: v.val.split('.') });
        vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const p = peekNonSpace().typ;
          if (p === T.Variable || p === T.RightDelim || p === T.RightParen) continue;
          fail('range can only initialize variables');
        }
        fail(`too many declarations in ${context}`);
      }
      // "$x foo": $x is an operand, not a declaration: put it back.
      i = at;
      break;
    }
    for (;;) {
      const t = nextNonSpace();
      if (t.typ === end) {
        if (pipe.cmds.length === 0) fail(`missing value for ${context}`);
        pipe.cmds.slice(1).forEach((c, k) => {
          if (['bool', 'dot', 'nil', 'number', 'string'].includes(c.args[0]!.type)) fail(`non executable command in pipeline stage ${k + 2}`);
        });
        return pipe;
      }
      switch (t.typ) {
        case T.Bool: case T.CharConstant: case T.Dot: case T.Field: case T.Identifier: case T.Number:
        case T.Nil: case T.RawString: case T.String: case T.Variable: case T.LeftParen:
          backup();
          pipe.cmds.push(command());
          break;
        default:
          unexpected(t, context);
      }
    }
  };

  const command = (): CommandNode => {
    const cmd: CommandNode = { type: 'command', pos: peekNonSpace().pos, args: [] };
    for (;;) {
      peekNonSpace();
      const op = operand();
      if (op) cmd.args.push(op);
      const t = next();
      if (t.typ === T.Space) continue;
      if (t.typ === T.RightDelim || t.typ === T.RightParen) backup();
      else if (t.typ !== T.Pipe) unexpected(t, 'operand');
      break;
    }
    if (cmd.args.length === 0) fail('empty command');
    return cmd;
  };

  const operand = (): Node | undefined => {
    const node = term();
    if (!node) return undefined;
    if (peek().typ !== T.Field) return node;
    const pos = peek().pos;
    const fields: string[] = [];
    while (peek().typ === T.Field) fields.push(...next().val.slice(1).split('.'));
    switch (node.type) {
      case 'field': return { type: 'field', pos, ident: [...node.ident, ...fields] };
      case 'variable': return { type: 'variable', pos, ident: [...node.ident, ...fields] };
      case 'bool': case 'string': case 'number': case 'nil': case 'dot':
        return fail(`unexpected . after term ${goQuote(nodeString(node))}`);
      default: return { type: 'chain', pos, node, field: fields };
    }
  };

  const term = (): Node | undefined => {
    const t = nextNonSpace();
    switch (t.typ) {
      case T.Identifier:
        if (!hasFunction(t.val)) fail(`function ${goQuote(t.val)} not defined`);
        return { type: 'identifier', pos: t.pos, ident: t.val };
      case T.Dot: return { type: 'dot', pos: t.pos };
      case T.Nil: return { type: 'nil', pos: t.pos };
      case T.Variable: {
        const ident = t.val.split('.');
        if (!vars.includes(ident[0]!)) fail(`undefined variable ${goQuote(ident[0]!)}`);
        return { type: 'variable', pos: t.pos, ident };
      }
      case T.Field: return { type: 'field', pos: t.pos, ident: t.val.slice(1).split('.') };
      case T.Bool: return { type: 'bool', pos: t.pos, value: t.val === 'true' };
      case T.CharConstant: case T.Number: return numberNode(t);
      case T.LeftParen: return pipeline('parenthesized pipeline', T.RightParen);
      case T.String: case T.RawString: return { type: 'string', pos: t.pos, quoted: t.val, text: unquote(t.val) };
    }
    backup();
    return undefined;
  };

  const unquote = (s: string): string => {
    const r = unquoteGo(s);
    if (r === undefined) fail('invalid syntax');
    return r!;
  };

  const numberNode = (t: Item): NumberNode => {
    const n: NumberNode = { type: 'number', pos: t.pos, text: t.val, isInt: false, isFloat: false, isComplex: false, int: 0, float: 0 };
    if (t.typ === T.CharConstant) {
      const r = unquoteChar(t.val.slice(1), "'");
      if (!r) fail('invalid syntax');
      if (r!.tail !== "'") fail(`malformed character constant: ${t.val}`);
      n.isInt = n.isFloat = true;
      n.int = n.float = r!.code;
      return n;
    }
    if (t.val.endsWith('i')) {
      n.isComplex = true;
      return n;
    }
    const asInt = parseGoInt(t.val);
    if (asInt !== undefined) {
      n.isInt = n.isFloat = true;
      n.int = n.float = asInt;
      return n;
    }
    const f = parseGoFloat(t.val);
    if (f !== undefined) {
      if (!/[.eEpP]/.test(t.val) || /^[+-]?0[xX][^pP]*$/.test(t.val)) fail(`integer overflow: ${goQuote(t.val)}`);
      n.isFloat = true;
      n.float = f;
      if (Number.isInteger(f) && Math.abs(f) < 2 ** 63) {
        n.isInt = true;
        n.int = f;
      }
      return n;
    }
    return fail(`illegal number syntax: ${goQuote(t.val)}`);
  };

  // The top level: text, actions and {{define}}s.
  const root: ListNode = { type: 'list', pos: peek().pos, nodes: [] };
  while (peek().typ !== T.EOF) {
    if (peek().typ === T.LeftDelim) {
      const at = i;
      next();
      if (nextNonSpace().typ === T.Define) {
        definition();
        continue;
      }
      i = at;
    }
    const n = textOrAction();
    if (n.type === 'end' || n.type === 'else') fail(`unexpected ${nodeString(n)}`);
    root.nodes.push(n as Node);
  }
  if (!defs.has(name) || root.nodes.length > 0) defs.set(name, root);
  return { name, text, root, defs };
}

/** strconv.ParseInt(s, 0, 64) with Go's prefixes and underscores; undefined when it is not an integer. */
function parseGoInt(s: string): number | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|0[0-7_]*|[1-9][0-9_]*)$/.exec(s);
  if (!m) return undefined;
  let body = m[2]!;
  if (body.includes('_')) {
    // Underscores only between digits (or after a base prefix).
    if (/__|_$/.test(body) || (/^[1-9]/.test(body) === false && /^0_/.test(body) === false && /^0[xob]?_?/i.test(body) === false)) return undefined;
    body = body.replace(/_/g, '');
  }
  let v: bigint;
  if (/^0[xX]/.test(body)) v = BigInt(body);
  else if (/^0[oO]/.test(body)) v = BigInt('0o' + body.slice(2));
  else if (/^0[bB]/.test(body)) v = BigInt(body);
  else if (body.length > 1 && body[0] === '0') v = BigInt('0o' + body.slice(1));
  else v = BigInt(body);
  if (m[1] === '-') v = -v;
  if (v > 2n ** 63n - 1n || v < -(2n ** 63n)) return undefined;
  return Number(v);
}

function parseGoFloat(s: string): number | undefined {
  const t = s.replace(/_/g, '');
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number(t);
  if (/^[+-]?0[xX]/.test(t)) {
    const m = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/.exec(t);
    if (!m || (m[2] === '' && m[3] === '')) return undefined;
    const mant = parseInt((m[2] || '0') + (m[3] || ''), 16) / 16 ** (m[3] ?? '').length;
    return (m[1] === '-' ? -1 : 1) * mant * 2 ** Number(m[4]);
  }
  return undefined;
}
