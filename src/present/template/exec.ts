/**
 * The executor of Go's text/template (Go 1.19), function for function (walk, evalPipeline, evalCommand,
 * evalField, evalCall, evalArg, validateType), so that which node an error is reported "at" and what the
 * error says are Go's: `template: :1:2: executing "" at <.Nope>: map has no entry for key "Nope"`.
 */
import { goQuote } from './strconv.js';
import { BUILTINS, FuncError, callMethod, truthOf, type GoFunc } from './funcs.js';
import { nodeString, type ChainNode, type CommandNode, type FieldNode, type IdentifierNode, type ListNode, type Node, type NumberNode, type ParsedTemplate, type PipeNode, type RangeNode, type TemplateNode, type VariableNode } from './parse.js';
import {
  BOOL, FLOAT, IFACE, INT, NO_VALUE, STRING, VALUE, concrete, dyn, elemOf, formatValue, indirect, isNilable,
  sortedKeys, valueOf, type GoType, type GoValue, type NumberMode,
} from './value.js';

export interface ExecOptions {
  funcs: Readonly<Record<string, GoFunc>>;
  /** The data's Go type (docker's struct); without it the data reads as decoded JSON would. */
  type?: GoType | undefined;
  /** Go's missingkey option: "error" is what docker's inspect fallback sets. */
  missingKey?: 'default' | 'error';
  numbers?: NumberMode;
}

/** An execution error in Go's words. */
export class TemplateExecError extends Error {
  /** What the template had written before the error (docker prints it in a table's header). */
  partial = '';
  constructor(message: string) {
    super(message);
    this.name = 'TemplateExecError';
  }
}

const MISSING: GoValue = { t: { kind: 'invalid', name: 'missing' }, v: undefined };
const BREAK = Symbol('break');
const CONTINUE = Symbol('continue');
const MAX_DEPTH = 100000;

interface Var {
  name: string;
  value: GoValue;
}

/** Runs a parsed template on data; returns the text or throws TemplateExecError. */
export function execute(tmpl: ParsedTemplate, data: unknown, opts: ExecOptions): string {
  const root = opts.type ? valueOf(data, opts.type, opts.numbers ?? 'go') : dyn(data, opts.numbers ?? 'go');
  const s = new State(tmpl, tmpl.name, opts, [{ name: '$', value: root }], 0);
  try {
    s.walk(root, tmpl.root);
  } catch (err) {
    if (err instanceof TemplateExecError) err.partial = s.out.join('');
    throw err;
  }
  return s.out.join('');
}

class State {
  out: string[] = [];
  node: Node | undefined;
  private readonly numbers: NumberMode;

  constructor(
    private readonly tmpl: ParsedTemplate,
    private readonly name: string,
    private readonly opts: ExecOptions,
    private vars: Var[],
    private readonly depth: number,
  ) {
    this.numbers = opts.numbers ?? 'go';
  }

  at(n: Node): void {
    this.node = n;
  }

  errorf(msg: string): never {
    if (!this.node) throw new TemplateExecError(`template: ${this.name}: ${msg}`);
    const pos = this.node.pos;
    const text = this.tmpl.text.slice(0, pos);
    const nl = text.lastIndexOf('\n');
    const col = Buffer.byteLength(nl < 0 ? text : text.slice(nl + 1));
    const line = 1 + (text.match(/\n/g)?.length ?? 0);
    const context = nodeString(this.node);
    throw new TemplateExecError(`template: ${this.tmpl.name}:${line}:${col}: executing ${goQuote(this.name)} at <${context}>: ${msg}`);
  }

  walk(dot: GoValue, node: Node): void {
    this.at(node);
    switch (node.type) {
      case 'action': {
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return;
      }
      case 'break': throw BREAK;
      case 'continue': throw CONTINUE;
      case 'if': case 'with': {
        const mark = this.vars.length;
        const val = this.evalPipeline(dot, node.pipe);
        if (truthOf(val)) this.walk(node.type === 'with' ? val : dot, node.list);
        else if (node.elseList) this.walk(dot, node.elseList);
        this.vars.length = mark;
        return;
      }
      case 'list':
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case 'range': return this.walkRange(dot, node);
      case 'template': return this.walkTemplate(dot, node);
      case 'text':
        this.out.push(node.text);
        return;
      default:
        this.errorf(`unknown node: ${nodeString(node)}`);
    }
  }

  private walkRange(dot: GoValue, r: RangeNode): void {
    this.at(r);
    const outer = this.vars.length;
    try {
      const { v: val } = indirect(this.evalPipeline(dot, r.pipe));
      const mark = this.vars.length;
      const one = (index: GoValue, elem: GoValue): void => {
        if (r.pipe.decl.length > 0) this.vars[this.vars.length - 1]!.value = elem;
        if (r.pipe.decl.length > 1) this.vars[this.vars.length - 2]!.value = index;
        try {
          this.walk(elem, r.list);
        } catch (e) {
          if (e !== CONTINUE) throw e;
        } finally {
          this.vars.length = mark;
        }
      };
      switch (val.t.kind) {
        case 'slice': {
          const arr = (val.v ?? []) as unknown[];
          if (arr.length === 0) break;
          arr.forEach((e, i) => one({ t: INT, v: i }, elemOf(val, e, this.numbers)));
          return;
        }
        case 'map': {
          const m = (val.v ?? {}) as Record<string, unknown>;
          const keys = sortedKeys(m);
          if (keys.length === 0) break;
          for (const k of keys) one({ t: STRING, v: k }, elemOf(val, m[k], this.numbers));
          return;
        }
        case 'invalid': break;
        default: this.errorf(`range can't iterate over ${formatValue(val)}`);
      }
      if (r.elseList) this.walk(dot, r.elseList);
    } catch (e) {
      if (e !== BREAK) throw e;
    } finally {
      this.vars.length = outer;
    }
  }

  private walkTemplate(dot: GoValue, t: TemplateNode): void {
    this.at(t);
    const list: ListNode | undefined = this.tmpl.defs.get(t.name);
    if (!list) this.errorf(`template ${goQuote(t.name)} not defined`);
    if (this.depth >= MAX_DEPTH) this.errorf(`exceeded maximum template depth (${MAX_DEPTH})`);
    const d = this.evalPipeline(dot, t.pipe);
    const inner = new State(this.tmpl, t.name, this.opts, [{ name: '$', value: d }], this.depth + 1);
    inner.out = this.out;
    inner.walk(d, list!);
  }

  private evalPipeline(dot: GoValue, pipe: PipeNode | undefined): GoValue {
    if (!pipe) return NO_VALUE;
    this.at(pipe);
    let value = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
      // An interface{} value is replaced by what it holds (Go: "lovely!").
      if (value.t.kind === 'iface') value = concrete(value);
    }
    for (const v of pipe.decl) {
      if (pipe.isAssign) this.setVar(v.ident[0]!, value);
      else this.vars.push({ name: v.ident[0]!, value });
    }
    return value;
  }

  private setVar(name: string, value: GoValue): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) {
        this.vars[i]!.value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  private varValue(name: string): GoValue {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]!.name === name) return this.vars[i]!.value;
    return this.errorf(`undefined variable: ${name}`);
  }

  private notAFunction(args: Node[], final: GoValue): void {
    if (args.length > 1 || final !== MISSING) this.errorf(`can't give argument to non-function ${nodeString(args[0]!)}`);
  }

  private evalCommand(dot: GoValue, cmd: CommandNode, final: GoValue): GoValue {
    const first = cmd.args[0]!;
    switch (first.type) {
      case 'field': return this.evalFieldNode(dot, first, cmd.args, final);
      case 'chain': return this.evalChainNode(dot, first, cmd.args, final);
      case 'identifier': return this.evalFunction(dot, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable': return this.evalVariableNode(dot, first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case 'bool': return { t: BOOL, v: first.value };
      case 'dot': return dot;
      case 'nil': return this.errorf('nil is not a command');
      case 'number': return this.idealConstant(first);
      case 'string': return { t: STRING, v: first.text };
    }
    return this.errorf(`can't evaluate command ${goQuote(nodeString(first))}`);
  }

  private idealConstant(n: NumberNode): GoValue {
    this.at(n);
    if (n.isComplex) return this.errorf(`complex constant ${n.text} is not supported`);
    const hexInt = /^0[xX]/.test(n.text) && !/[pP]/.test(n.text);
    const runeInt = n.text.startsWith("'");
    if (n.isFloat && !hexInt && !runeInt && /[.eEpP]/.test(n.text)) return { t: FLOAT, v: n.float };
    if (n.isInt) return { t: INT, v: n.int };
    return this.errorf(`${n.text} overflows int`);
  }

  private evalFieldNode(dot: GoValue, field: FieldNode, args: Node[] | undefined, final: GoValue): GoValue {
    this.at(field);
    return this.evalFieldChain(dot, dot, field, field.ident, args, final);
  }

  private evalChainNode(dot: GoValue, chain: ChainNode, args: Node[] | undefined, final: GoValue): GoValue {
    this.at(chain);
    if (chain.node.type === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = this.evalArg(dot, undefined, chain.node);
    return this.evalFieldChain(dot, pipe, chain, chain.field, args, final);
  }

  private evalVariableNode(dot: GoValue, v: VariableNode, args: Node[] | undefined, final: GoValue): GoValue {
    this.at(v);
    const value = this.varValue(v.ident[0]!);
    if (v.ident.length === 1) {
      this.notAFunction(args ?? [v], final);
      return value;
    }
    return this.evalFieldChain(dot, value, v, v.ident.slice(1), args, final);
  }

  private evalFieldChain(dot: GoValue, receiver: GoValue, node: Node, ident: string[], args: Node[] | undefined, final: GoValue): GoValue {
    let r = receiver;
    for (let i = 0; i < ident.length - 1; i++) r = this.evalField(dot, ident[i]!, node, undefined, MISSING, r);
    return this.evalField(dot, ident[ident.length - 1]!, node, args, final, r);
  }

  private evalFunction(dot: GoValue, node: IdentifierNode, cmd: Node, args: Node[] | undefined, final: GoValue): GoValue {
    this.at(node);
    const name = node.ident;
    const f = this.opts.funcs[name];
    if (!f) return this.errorf(`${goQuote(name)} is not a defined function`);
    return this.evalCall(dot, f, BUILTINS[name] === f, cmd, name, args, final);
  }

  private evalField(dot: GoValue, fieldName: string, node: Node, args: Node[] | undefined, final: GoValue, receiver: GoValue): GoValue {
    if (receiver.t.kind === 'invalid') {
      if (this.opts.missingKey === 'error') this.errorf(`nil data; no entry for key ${goQuote(fieldName)}`);
      return NO_VALUE;
    }
    const typ = receiver.t.name;
    const { v: rec, isNil } = indirect(receiver);
    if (rec.t.kind === 'iface' && isNil) this.errorf(`nil pointer evaluating ${typ}.${fieldName}`);
    const hasArgs = (args?.length ?? 0) > 1 || final !== MISSING;
    switch (rec.t.kind) {
      case 'struct': {
        const ft = rec.t.fields?.[fieldName];
        const data = rec.v as Record<string, unknown>;
        if (ft?.kind === 'func') {
          const fn: GoFunc = {
            params: ft.params ?? [],
            call: (a) => callMethod({ t: ft, v: data[fieldName] }, a),
          };
          return this.evalCall(dot, fn, false, node, fieldName, args, final);
        }
        if (ft || (rec.t.partial && data && Object.prototype.hasOwnProperty.call(data, fieldName))) {
          if (hasArgs) this.errorf(`${fieldName} has arguments but cannot be invoked as function`);
          return ft ? valueOf(data[fieldName], ft, this.numbers) : dyn(data[fieldName], this.numbers);
        }
        break;
      }
      case 'map': {
        if (hasArgs) this.errorf(`${fieldName} is not a method but has arguments`);
        const m = rec.v as Record<string, unknown> | null;
        if (m && Object.prototype.hasOwnProperty.call(m, fieldName)) return elemOf(rec, m[fieldName], this.numbers);
        if (this.opts.missingKey === 'error') this.errorf(`map has no entry for key ${goQuote(fieldName)}`);
        return NO_VALUE;
      }
      case 'ptr': {
        const et = rec.t.elem!;
        if (et.kind === 'struct' && !et.fields?.[fieldName]) break;
        if (isNil) this.errorf(`nil pointer evaluating ${typ}.${fieldName}`);
        break;
      }
    }
    return this.errorf(`can't evaluate field ${fieldName} in type ${typ}`);
  }

  private evalCall(dot: GoValue, f: GoFunc, isBuiltin: boolean, node: Node, name: string, argNodes: Node[] | undefined, final: GoValue): GoValue {
    const args = argNodes ? argNodes.slice(1) : [];
    const numIn = args.length + (final !== MISSING ? 1 : 0);
    const nParams = f.params.length + (f.variadic ? 1 : 0);
    let numFixed = args.length;
    if (f.variadic) {
      numFixed = f.params.length;
      if (numIn < numFixed) this.errorf(`wrong number of args for ${name}: want at least ${numFixed} got ${args.length}`);
    } else if (numIn !== nParams) this.errorf(`wrong number of args for ${name}: want ${nParams} got ${numIn}`);

    // and/or evaluate their arguments only as far as the answer needs.
    if (isBuiltin && (name === 'and' || name === 'or')) {
      let v: GoValue = NO_VALUE;
      for (const a of args) {
        v = this.evalArg(dot, VALUE, a);
        if (truthOf(v) === (name === 'or')) return v;
      }
      if (final !== MISSING) v = this.validateType(final, VALUE);
      return v;
    }

    const argv: GoValue[] = [];
    let i = 0;
    for (; i < numFixed && i < args.length; i++) argv.push(this.evalArg(dot, f.params[i]!, args[i]!));
    if (f.variadic) for (; i < args.length; i++) argv.push(this.evalArg(dot, f.variadic, args[i]!));
    if (final !== MISSING) {
      let t = f.variadic ?? f.params[f.params.length - 1]!;
      if (f.variadic && numIn - 1 < numFixed) t = f.params[numIn - 1]!;
      argv.push(this.validateType(final, t));
    }
    try {
      return f.call(argv);
    } catch (err) {
      if (!(err instanceof FuncError)) throw err;
      this.at(node);
      return this.errorf(`error calling ${name}: ${err.message}`);
    }
  }

  private validateType(value: GoValue, typ: GoType | undefined): GoValue {
    if (value.t.kind === 'invalid') {
      if (typ === undefined) return NO_VALUE;
      if (typ === IFACE) return { t: IFACE, v: null };
      if (typ === VALUE) return NO_VALUE;
      if (isNilable(typ)) return { t: typ, v: null };
      return this.errorf(`invalid value; expected ${typ.name}`);
    }
    if (typ === undefined || typ === VALUE || typ === IFACE || value.t === typ || value.t.name === typ.name) return value;
    let v = value;
    if (v.t.kind === 'iface' && v.v !== null) {
      v = v.v as GoValue;
      if (v.t === typ || v.t.name === typ.name) return v;
    }
    if (v.t.kind === 'ptr' && v.t.elem!.name === typ.name) {
      if (v.v === null) this.errorf(`dereference of nil pointer of type ${typ.name}`);
      return { t: v.t.elem!, v: v.v };
    }
    return this.errorf(`wrong type for value; expected ${typ.name}; got ${v.t.name}`);
  }

  private evalArg(dot: GoValue, typ: GoType | undefined, n: Node): GoValue {
    this.at(n);
    switch (n.type) {
      case 'dot': return this.validateType(dot, typ);
      case 'nil':
        // Go's canBeNil holds for reflect.Value too: the function gets the zero (invalid) Value.
        if (typ === VALUE) return NO_VALUE;
        if (typ && isNilable(typ)) return { t: typ, v: null };
        return this.errorf(`cannot assign nil to ${typ?.name ?? 'reflect.Value'}`);
      case 'field': return this.validateType(this.evalFieldNode(dot, n, [n], MISSING), typ);
      case 'variable': return this.validateType(this.evalVariableNode(dot, n, undefined, MISSING), typ);
      case 'pipe': return this.validateType(this.evalPipeline(dot, n), typ);
      case 'identifier': return this.validateType(this.evalFunction(dot, n, n, undefined, MISSING), typ);
      case 'chain': return this.validateType(this.evalChainNode(dot, n, undefined, MISSING), typ);
    }
    const t = typ ?? IFACE;
    switch (t.kind) {
      case 'bool':
        if (n.type === 'bool') return { t, v: n.value };
        return this.errorf(`expected bool; found ${nodeString(n)}`);
      case 'float':
        if (n.type === 'number' && n.isFloat) return { t, v: n.float };
        return this.errorf(`expected float; found ${nodeString(n)}`);
      case 'int':
        if (n.type === 'number' && n.isInt) return { t, v: n.int };
        return this.errorf(`expected integer; found ${nodeString(n)}`);
      case 'iface': return this.evalEmptyInterface(dot, n);
      case 'string':
        if (n.type === 'string') return { t, v: n.text };
        return this.errorf(`expected string; found ${nodeString(n)}`);
    }
    if (t === VALUE) return this.evalEmptyInterface(dot, n);
    return this.errorf(`can't handle ${nodeString(n)} for arg of type ${t.name}`);
  }

  private evalEmptyInterface(dot: GoValue, n: Node): GoValue {
    this.at(n);
    switch (n.type) {
      case 'bool': return { t: BOOL, v: n.value };
      case 'dot': return dot;
      case 'number': return this.idealConstant(n);
      case 'string': return { t: STRING, v: n.text };
      default: return this.errorf(`can't handle ${nodeString(n)} as an argument`);
    }
  }

  private printValue(n: Node, v: GoValue): void {
    this.at(n);
    let x = v;
    if (x.t.kind === 'ptr') x = indirect(x).v;
    if (x.t.kind === 'invalid') {
      this.out.push('<no value>');
      return;
    }
    if (x.t.kind === 'func') this.errorf(`can't print ${nodeString(n)} of type ${x.t.name}`);
    this.out.push(formatValue(x));
  }
}
