#!/usr/bin/env python3
"""idlc: the interface compiler.  One .if file in, C out (Python 3 stdlib only).

    idlc.py IFACE.if --header OUT.h --codec OUT.c --fuzz OUT_fuzz.c

An interface file declares the messages of one protocol: their numbers,
their C layout, the bounds of every field, and which side may send each.
From it idlc generates

  OUT.h       the message type enum, the structs, the constants, and the
              prototypes below;
  OUT.c       <p>_msg_size(), <p>_type_name(), <p>_may_send(), the
              receive-side gate <p>_msg_check() that validates every field
              and bound (stopping at the first problem and naming it in a
              sentence "<TYPE>: <field> ..."), and one typed send function
              per message over URPC: <p>_send_<msg>(chan, msg) for a single
              message and <p>_batch_<msg>(msg) for urpc_send_batch();
  OUT_fuzz.c  a libFuzzer harness that feeds <p>_msg_check() arbitrary
              bytes and checks its contract.

The language (docs/00-architecture.md has a worked example):

    # a comment runs to the end of the line
    interface mon "monitor";          C prefix, and the noun in sentences
    include <sys/monitor.h>;          a C header the generated one includes
    const MEM_PAGES = 16;             -> #define MON_MEM_PAGES 16
    maxmsg MON_MSG_MAX;               every message fits (a static assert)
    side domain, monitor;             the ends that send messages
    header hdr { ... }                fields every message starts with (as h)
    struct spawn_req size 316 { ... } a body layout; size pins the ABI
    message SPAWN_REQ : spawn_req from domain, monitor;
    message BIND_REQ : name_req from domain { pages: range 1 CHAN_MAX_PAGES; }
    message BYE = 2 from client;      no body; "= N" fixes the number

A field is `TYPE NAME [ '[' SIZE ']' ] [ ':' CONSTRAINT, ... ] ';'` with
TYPE one of u8 u16 u32 u64 i32 err (a known err_t code) string (a
NUL-terminated printable string in a char array) strings (COUNT
NUL-terminated strings packed in a char array) bytes (anything, an array).
Constraints (a message may add more to a field with NAME: ...;):

    core            integer < ncores            "core 9 >= ncores 4"
    cores_count     integer <= ncores           "count 9 > ncores 4"
    max N           integer <= N                "argc 17 > 16"
    range A B       integer in A..B             "pages 0 not in 1..16"
    bit             integer 0 or 1              "side 2 not 0 or 1"
    page [if_ok]    u64 nonzero, page-aligned   "va is 0", "va 0x10 not page-aligned"
    page or_zero    u64 0 (absent) or page-aligned
    pages F [if_ok] u64 array: entries [0, F) are pages; F a bounded field before it
    nonempty        string has at least one character
    count F         strings: exactly F strings ...
    length F        strings: ... filling exactly F bytes (F bounded, before it)
    msglen          integer equals the received length
    oneof A B ...   integer is one of the values    "op 9 not one of MAP (3), UNMAP (2)"
    clear M         integer has none of the bits of M set
    tail            the last field, a bytes array that may be cut short: the
                    message is variable-length and needs a msglen field

if_ok applies the check only when the header's err field is ERR_OK.  Checks
run in declaration order, header first.  A malformed file is reported as
`file:line:column: error: <sentence>` and idlc exits 1; it never prints a
traceback.
"""
import os
import re
import sys


class IdlError(Exception):
    def __init__(self, pos, msg):
        super().__init__(msg)
        self.pos = pos
        self.msg = msg


# ---- Lexer -----------------------------------------------------------------

TOKEN = re.compile(r"""
    (?P<ws>[ \t\r]+) | (?P<nl>\n) | (?P<comment>\#[^\n]*)
  | (?P<num>0[xX][0-9a-fA-F]+|[0-9]+)
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<str>"[^"\n]*")
  | (?P<path><[A-Za-z0-9_./]+>)
  | (?P<punct>[{}\[\];:,=+\-*()~])
""", re.X)


class Tok:
    def __init__(self, kind, text, pos):
        self.kind, self.text, self.pos = kind, text, pos

    def __repr__(self):
        return f"{self.kind}:{self.text}"


def lex(text, fname):
    toks, line, col, i = [], 1, 1, 0
    while i < len(text):
        m = TOKEN.match(text, i)
        if not m:
            ch = text[i]
            what = repr(ch) if ch.isprintable() else f"byte 0x{ord(ch):02x}"
            raise IdlError((fname, line, col), f"unexpected character {what}")
        kind = m.lastgroup
        s = m.group(kind)
        if kind == "nl":
            line, col = line + 1, 1
        else:
            if kind not in ("ws", "comment"):
                toks.append(Tok(kind, s, (fname, line, col)))
            col += len(s)
        i = m.end()
    toks.append(Tok("eof", "", (fname, line, col)))
    return toks


# ---- Parser ----------------------------------------------------------------

SCALARS = {"u8": ("uint8_t", 1), "u16": ("uint16_t", 2), "u32": ("uint32_t", 4),
           "u64": ("uint64_t", 8), "i32": ("int32_t", 4), "err": ("int32_t", 4)}
ARRAYS = {"string", "strings", "bytes"}
INTEGER = {"u8", "u16", "u32", "u64", "i32"}
KEYWORDS = {"interface", "include", "const", "maxmsg", "side", "header", "struct",
            "message", "from", "size"}


class Field:
    def __init__(self, ftype, name, size, pos):
        self.type, self.name, self.size, self.pos = ftype, name, size, pos
        self.nested = False
        self.rules = []          # (kind, args, pos)


class Struct:
    def __init__(self, name, pos, abi_size=None):
        self.name, self.pos, self.abi_size = name, pos, abi_size
        self.fields = []


class Message:
    def __init__(self, name, number, body, senders, pos):
        self.name, self.number, self.body, self.senders, self.pos = \
            name, number, body, senders, pos
        self.rules = {}          # field name -> [(kind, args, pos)]


class Interface:
    def __init__(self):
        self.prefix = None
        self.noun = None
        self.includes = []
        self.consts = {}         # name -> (value text, pos)
        self.maxmsg = None
        self.sides = []
        self.header = None
        self.structs = {}
        self.messages = []


class Parser:
    def __init__(self, toks):
        self.toks, self.i = toks, 0

    def peek(self):
        return self.toks[self.i]

    def next(self):
        t = self.toks[self.i]
        self.i += 1
        return t

    def expect(self, text, what=None):
        t = self.next()
        if t.text != text or t.kind in ("str", "path"):
            shown = f"'{t.text}'" if t.kind != "eof" else "the end of the file"
            raise IdlError(t.pos, f"expected '{text}'{what or ''}, found {shown}")
        return t

    def ident(self, what):
        t = self.next()
        if t.kind != "ident":
            shown = f"'{t.text}'" if t.kind != "eof" else "the end of the file"
            raise IdlError(t.pos, f"expected {what}, found {shown}")
        return t

    def value(self, what):
        """A bound: a number or a constant name, optionally ~NAME or NAME - NUMBER."""
        parts = []
        if self.peek().text == "~":
            parts.append(self.next())
        t = self.next()
        if t.kind not in ("num", "ident"):
            shown = f"'{t.text}'" if t.kind != "eof" else "the end of the file"
            raise IdlError(t.pos, f"expected {what} (a number or a constant), found {shown}")
        parts.append(t)
        while self.peek().text in ("+", "-"):
            op = self.next()
            n = self.next()
            if n.kind not in ("num", "ident"):
                raise IdlError(n.pos, f"expected a number or a constant after '{op.text}'")
            parts += [op, n]
        return parts

    def parse(self):
        iface = Interface()
        while self.peek().kind != "eof":
            t = self.next()
            kw = t.text
            if t.kind != "ident" or kw not in KEYWORDS - {"from", "size"}:
                raise IdlError(t.pos, f"expected a declaration (interface, include, const, "
                               f"maxmsg, side, header, struct, message), found '{t.text}'")
            getattr(self, "p_" + kw)(iface, t)
        return iface

    def p_interface(self, iface, t):
        if iface.prefix:
            raise IdlError(t.pos, "a file declares one interface")
        name = self.ident("the interface's C prefix")
        noun = self.next()
        if noun.kind != "str":
            raise IdlError(noun.pos, "expected the interface's noun in quotes, "
                           "e.g. interface mon \"monitor\";")
        self.expect(";")
        iface.prefix, iface.noun = name.text, noun.text[1:-1]
        iface.prefix_pos = name.pos

    def p_include(self, iface, t):
        p = self.next()
        if p.kind != "path":
            raise IdlError(p.pos, "expected a header in angle brackets, e.g. <sys/limits.h>")
        self.expect(";")
        iface.includes.append(p.text)

    def p_const(self, iface, t):
        name = self.ident("a constant's name")
        self.expect("=")
        num = self.next()
        if num.kind != "num":
            raise IdlError(num.pos, "a constant's value must be a number")
        self.expect(";")
        if name.text in iface.consts:
            raise IdlError(name.pos, f"constant '{name.text}' declared twice")
        iface.consts[name.text] = (num.text, name.pos)

    def p_maxmsg(self, iface, t):
        iface.maxmsg = self.value("the largest message size")
        self.expect(";")

    def p_side(self, iface, t):
        while True:
            s = self.ident("a side's name")
            if s.text in iface.sides:
                raise IdlError(s.pos, f"side '{s.text}' declared twice")
            iface.sides.append(s.text)
            if self.peek().text != ",":
                break
            self.next()
        self.expect(";")

    def p_header(self, iface, t):
        if iface.header:
            raise IdlError(t.pos, "a file has at most one header")
        name = self.ident("the header's name")
        iface.header = Struct(name.text, name.pos)
        self.fields(iface.header, iface)

    def p_struct(self, iface, t):
        name = self.ident("a struct's name")
        abi = None
        if self.peek().text == "size":
            self.next()
            n = self.next()
            if n.kind != "num":
                raise IdlError(n.pos, "expected the struct's size in bytes after 'size'")
            abi = int(n.text, 0)
        if name.text in iface.structs or (iface.header and iface.header.name == name.text):
            raise IdlError(name.pos, f"struct '{name.text}' declared twice")
        st = Struct(name.text, name.pos, abi)
        self.fields(st, iface)
        iface.structs[name.text] = st

    def fields(self, st, iface):
        self.expect("{", " to open the field list")
        while self.peek().text != "}":
            if self.peek().kind == "eof":
                raise IdlError(self.peek().pos, f"struct '{st.name}' is not closed with '}}'")
            ft = self.ident("a field type (u8 u16 u32 u64 i32 err string strings bytes)")
            if ft.text not in SCALARS and ft.text not in ARRAYS and ft.text not in iface.structs:
                raise IdlError(ft.pos, f"unknown field type '{ft.text}' (u8 u16 u32 u64 "
                               "i32 err string strings bytes, or a struct declared before)")
            nested = ft.text in iface.structs
            name = self.ident("a field name")
            size = None
            if self.peek().text == "[":
                self.next()
                size = self.value("an array size")
                self.expect("]")
            if ft.text in ARRAYS and size is None:
                raise IdlError(name.pos, f"{ft.text} field '{name.text}' needs a size, "
                               f"e.g. {name.text}[32]")
            f = Field(ft.text, name.text, size, name.pos)
            f.nested = nested
            if nested and iface.structs[ft.text].fields and iface.header:
                raise IdlError(ft.pos, "a struct used inside another cannot carry the header; "
                               "declare it in an interface without one")
            if any(g.name == f.name for g in st.fields):
                raise IdlError(name.pos, f"field '{f.name}' declared twice in '{st.name}'")
            if self.peek().text == ":":
                self.next()
                f.rules = self.rules()
            self.expect(";", f" after field '{name.text}'")
            st.fields.append(f)
        self.next()

    RULE_ARGS = {"core": 0, "cores_count": 0, "max": 1, "range": 2, "bit": 0, "page": 0,
                 "pages": 1, "nonempty": 0, "count": 1, "length": 1, "msglen": 0,
                 "tail": 0, "oneof": -1, "clear": 1}

    def rules(self):
        out = []
        while True:
            r = self.ident("a constraint")
            if r.text not in self.RULE_ARGS:
                raise IdlError(r.pos, f"unknown constraint '{r.text}' (one of "
                               + " ".join(sorted(self.RULE_ARGS)) + ")")
            args = []
            if r.text == "oneof":             # one or more values, up to ',' or ';'
                args.append(self.value("a value of 'oneof'"))
                while self.peek().text not in (",", ";"):
                    args.append(self.value("a value of 'oneof'"))
            for _ in range(max(self.RULE_ARGS[r.text], 0)):
                if r.text in ("pages", "count", "length"):
                    args.append(self.ident(f"the field that '{r.text}' refers to"))
                else:
                    args.append(self.value(f"the bound of '{r.text}'"))
            cond = None
            if r.text in ("page", "pages") and self.peek().text == "if_ok":
                cond = self.next()
            elif r.text == "page" and self.peek().text == "or_zero":
                cond = self.next()
            out.append((r.text, args, r.pos, cond))
            if self.peek().text != ",":
                return out
            self.next()

    def p_message(self, iface, t):
        name = self.ident("a message name")
        number = None
        if self.peek().text == "=":
            self.next()
            n = self.next()
            if n.kind != "num":
                raise IdlError(n.pos, "a message number must be a number")
            number = (int(n.text, 0), n.pos)
        body = None
        if self.peek().text == ":":
            self.next()
            body = self.ident("the message's struct")
        self.expect("from", f" (which side may send {name.text})")
        senders = []
        while True:
            senders.append(self.ident("a side"))
            if self.peek().text != ",":
                break
            self.next()
        msg = Message(name.text, number, body, senders, name.pos)
        if self.peek().text == "{":
            self.next()
            while self.peek().text != "}":
                if self.peek().kind == "eof":
                    raise IdlError(self.peek().pos, f"message '{name.text}' is not closed with '}}'")
                fname = self.ident("a field name")
                self.expect(":")
                msg.rules.setdefault(fname.text, []).append((fname, self.rules()))
                self.expect(";")
            self.next()
        else:
            self.expect(";", f" after message '{name.text}'")
        iface.messages.append(msg)


# ---- Semantic checks -------------------------------------------------------

INT_RULES = {"core", "cores_count", "max", "range", "bit", "msglen", "oneof", "clear"}


def resolve_value(iface, parts):
    """C text of a bound; unknown lower-case names are errors."""
    out = []
    for p in parts:
        if p.kind == "ident":
            if p.text in iface.consts:
                out.append(f"{iface.prefix.upper()}_{p.text}")
            elif p.text.isupper() or "_" in p.text and p.text.upper() == p.text:
                out.append(p.text)       # a C constant from an included header
            else:
                raise IdlError(p.pos, f"unknown constant '{p.text}'")
        else:
            out.append(p.text)
    return "(" + " ".join(out) + ")" if len(out) > 1 else out[0]


def bounded(field):
    return any(r[0] in ("max", "range", "bit") for r in field.rules)


def check_rule(iface, st, idx, f, rule, extra=False):
    kind, args, pos, cond = rule
    if kind in INT_RULES and f.type not in INTEGER:
        raise IdlError(pos, f"'{kind}' applies to an integer field; '{f.name}' is {f.type}")
    if kind == "page" and (f.type != "u64" or f.size):
        raise IdlError(pos, f"'page' applies to a u64 field; '{f.name}' is not one")
    if kind == "pages" and (f.type != "u64" or not f.size):
        raise IdlError(pos, f"'pages' applies to a u64 array; '{f.name}' is not one")
    if kind == "nonempty" and f.type != "string":
        raise IdlError(pos, f"'nonempty' applies to a string; '{f.name}' is {f.type}")
    if kind in ("count", "length") and f.type != "strings":
        raise IdlError(pos, f"'{kind}' applies to a strings field; '{f.name}' is {f.type}")
    if kind == "tail" and (f.type != "bytes" or idx != len(st.fields) - 1 or extra):
        raise IdlError(pos, "'tail' applies to the last field of a struct, a bytes array")
    if cond is not None and cond.text == "if_ok" and not has_err(iface):
        raise IdlError(cond.pos, "'if_ok' needs a header with an err field")
    if kind in ("pages", "count", "length"):
        ref = args[0]
        prior = [g for g in st.fields[:idx] if g.name == ref.text]
        if not prior:
            raise IdlError(ref.pos, f"'{kind} {ref.text}': no field '{ref.text}' before "
                           f"'{f.name}' in '{st.name}'")
        if prior[0].type not in INTEGER:
            raise IdlError(ref.pos, f"'{ref.text}' must be an integer field")
        if not bounded(prior[0]):
            raise IdlError(ref.pos, f"'{ref.text}' has no upper bound (give it 'max' or "
                           f"'range'), so '{f.name}' could be read past its end")


def has_err(iface):
    return iface.header is not None and any(f.type == "err" for f in iface.header.fields)


def analyse(iface):
    if not iface.prefix:
        raise IdlError(("", 1, 1), "the file declares no interface (interface NAME \"noun\";)")
    if not iface.sides:
        raise IdlError(iface.prefix_pos, "the interface declares no sides (side a, b;)")
    for st in ([iface.header] if iface.header else []) + list(iface.structs.values()):
        for i, f in enumerate(st.fields):
            if f.type in ARRAYS and f.size is None:
                raise IdlError(f.pos, f"'{f.name}' needs a size")
            for r in f.rules:
                check_rule(iface, st, i, f, r)
        tails = [f for f in st.fields if any(r[0] == "tail" for r in f.rules)]
        if tails and not any(r[0] == "msglen" for f in st.fields for r in f.rules):
            raise IdlError(tails[0].pos, f"'{tails[0].name}' is a tail, so '{st.name}' "
                           "needs a field marked 'msglen' that says the message's length")
    used, names = {}, set()
    nxt = 1
    for m in iface.messages:
        if m.name in names:
            raise IdlError(m.pos, f"message '{m.name}' declared twice")
        names.add(m.name)
        if m.number:
            nxt = m.number[0]
            if nxt < 1 or nxt > 0x7fff:
                raise IdlError(m.number[1], f"message number {nxt} not in 1..32767 "
                               "(URPC types are 15 bits, 0 is never sent)")
        if nxt in used:
            raise IdlError(m.pos, f"message '{m.name}' has number {nxt}, "
                           f"already used by '{used[nxt]}'")
        used[nxt] = m.name
        m.num = nxt
        nxt += 1
        if m.body and m.body.text not in iface.structs:
            raise IdlError(m.body.pos, f"unknown struct '{m.body.text}'")
        for s in m.senders:
            if s.text not in iface.sides:
                raise IdlError(s.pos, f"unknown side '{s.text}' (declared: "
                               + ", ".join(iface.sides) + ")")
        st = iface.structs[m.body.text] if m.body else None
        for fname, rl in m.rules.values() if False else []:
            pass
        for key, entries in m.rules.items():
            for ftok, rl in entries:
                if st is None or not any(f.name == key for f in st.fields):
                    raise IdlError(ftok.pos, f"message '{m.name}' has no field '{key}'")
                idx = [f.name for f in st.fields].index(key)
                for r in rl:
                    if r[0] == "tail":
                        raise IdlError(r[2], "'tail' belongs in the struct, not a message")
                    check_rule(iface, st, idx, st.fields[idx], r, extra=True)
    if not iface.messages:
        raise IdlError(iface.prefix_pos, "the interface declares no messages")
    return iface


# ---- C generation ----------------------------------------------------------

def ctype(f, prefix=""):
    if f.nested:
        return f"struct {prefix}_{f.type}"
    if f.type in SCALARS:
        return SCALARS[f.type][0]
    return "char" if f.type in ("string", "strings") else "uint8_t"


class Gen:
    def __init__(self, iface, src):
        self.i = iface
        self.p = iface.prefix
        self.P = iface.prefix.upper()
        self.src = os.path.basename(src)

    def val(self, parts):
        return resolve_value(self.i, parts)

    def decl(self, f):
        t = ctype(f, self.p)
        if f.size:
            return f"\t{t} {f.name}[{self.val(f.size)}];"
        return f"\t{t} {f.name};"

    def struct_c(self, st, with_hdr):
        lines = [f"struct {self.p}_{st.name} {{"]
        if with_hdr and self.i.header:
            lines.append(f"\tstruct {self.p}_{self.i.header.name} h;")
        lines += [self.decl(f) for f in st.fields]
        if not st.fields and not (with_hdr and self.i.header):
            lines.append("\tuint8_t none[0];")
        lines.append("};")
        return "\n".join(lines)

    def msg_const(self, m):
        return f"{self.P}_{m.name}"

    def tail_field(self, st):
        for f in st.fields:
            if any(r[0] == "tail" for r in f.rules):
                return f
        return None

    def msglen_field(self, st):
        for f in st.fields:
            if any(r[0] == "msglen" for r in f.rules):
                return f
        return None

    # -- header
    def header(self):
        i, p, P = self.i, self.p, self.P
        out = [f"/* Generated by tools/idl/idlc.py from {self.src}: do not edit. */",
               f"#ifndef IF_{P}_H", f"#define IF_{P}_H", "#include <stdbool.h>",
               "#include <stddef.h>", "#include <stdint.h>", "#include <lib/err.h>",
               "#include <urpc/urpc.h>"]
        out += [f"#include {inc}" for inc in i.includes]
        out.append("")
        for name, (v, _) in i.consts.items():
            out.append(f"#define {P}_{name} {v}")
        out += ["", f"enum {p}_type {{"]
        for m in i.messages:
            out.append(f"\t{self.msg_const(m)} = {m.num},")
        out.append(f"\t{P}_TYPE_COUNT = {max(m.num for m in i.messages) + 1}")
        out += ["};", "", f"/* The ends that send {i.noun} messages. */", f"enum {p}_side {{"]
        out += [f"\t{P}_SIDE_{s.upper()}," for s in i.sides]
        out += ["};", ""]
        if i.header:
            out += [self.struct_c(i.header, False), ""]
        for st in i.structs.values():
            out += [self.struct_c(st, True), ""]
        for st in i.structs.values():
            if st.abi_size is not None:
                out.append(f"_Static_assert(sizeof(struct {p}_{st.name}) == {st.abi_size}, "
                           f"\"{p}_{st.name}: the layout is ABI\");")
            if i.maxmsg:
                out.append(f"_Static_assert(sizeof(struct {p}_{st.name}) <= {self.val(i.maxmsg)}, "
                           f"\"{p}_{st.name} fits the largest message\");")
        out += ["",
                f"/* Bytes of a message of `type` (its largest size if variable), 0 if unknown. */",
                f"size_t {p}_msg_size(uint16_t type);",
                f"/* Name of a type for logs (\"{P}_...\", or \"unknown\"). */",
                f"const char *{p}_type_name(uint16_t type);",
                f"/* May `side` send messages of `type`? */",
                f"bool {p}_may_send(enum {p}_side side, uint16_t type);",
                "/*",
                f" * The gate: checks a received {i.noun} message before any field is used",
                " * (known type, length, then every field's bounds in declaration order).",
                " * ERR_OK, or ERR_SYNTAX and a sentence \"<TYPE>: <field> ...\" in why",
                " * (truncated to whylen; why may be NULL).  msg may be unaligned; it is",
                " * never written.  ncores bounds the fields that name a core.",
                " */",
                f"err_t {p}_msg_check(uint16_t type, const void *msg, size_t len, unsigned ncores,",
                "\t\tchar *why, size_t whylen);", ""]
        for m in i.messages:
            lname = m.name.lower()
            if m.body:
                st = i.structs[m.body.text]
                out.append(f"err_t {p}_send_{lname}(struct urpc_chan *c, const struct {p}_{st.name} *m);")
                out.append(f"struct urpc_msg {p}_batch_{lname}(const struct {p}_{st.name} *m);")
            else:
                out.append(f"err_t {p}_send_{lname}(struct urpc_chan *c);")
                out.append(f"struct urpc_msg {p}_batch_{lname}(void);")
        out += ["", "#endif", ""]
        return "\n".join(out)

    # -- codec
    def codec(self, hname):
        i, p, P = self.i, self.p, self.P
        out = [f"/* Generated by tools/idl/idlc.py from {self.src}: do not edit. */",
               f"#include <{hname}>", "#include <lib/fmt.h>", "#include <stdarg.h>", "",
               "#define IDL_PAGE_SIZE 4096u", ""]
        out.append(f"_Static_assert({P}_TYPE_COUNT - 1 <= 0x7fff, \"types fit URPC's 15 bits\");")
        out += ["", "static const struct {", "\tconst char *name;", "\tsize_t size;",
                "\tsize_t min;", "\tuint32_t senders;", f"}} {p}_types[{P}_TYPE_COUNT] = {{"]
        for m in i.messages:
            senders = " | ".join(f"1u << {P}_SIDE_{s.text.upper()}" for s in m.senders)
            if m.body:
                st = i.structs[m.body.text]
                tail = self.tail_field(st)
                size = f"sizeof(struct {p}_{st.name})"
                mn = f"offsetof(struct {p}_{st.name}, {tail.name})" if tail else size
            else:
                size = mn = "0"
            out.append(f"\t[{self.msg_const(m)}] = {{ \"{self.msg_const(m)}\", {size}, {mn}, {senders} }},")
        out += ["};", ""]
        out.append("union %s_any {" % p)
        if i.header:
            out.append(f"\tstruct {p}_{i.header.name} h;")
        for st in i.structs.values():
            out.append(f"\tstruct {p}_{st.name} {st.name};")
        out.append("\tuint8_t bytes[1];")
        out += ["};", ""]
        out += [f"struct {p}_chk {{", "\tuint16_t type;", "\tunsigned ncores;", "\tsize_t len;",
                "\tchar *why;", "\tsize_t whylen;", "};", ""]
        out += [f"""static bool {p}_known(uint16_t type)
{{
	return type < {P}_TYPE_COUNT && {p}_types[type].name != NULL;
}}

size_t {p}_msg_size(uint16_t type)
{{
	return {p}_known(type) ? {p}_types[type].size : 0;
}}

const char *{p}_type_name(uint16_t type)
{{
	return {p}_known(type) ? {p}_types[type].name : "unknown";
}}

bool {p}_may_send(enum {p}_side side, uint16_t type)
{{
	return {p}_known(type) && (unsigned)side < 32 && ({p}_types[type].senders >> side & 1);
}}

/* Writes "<type name>: <sentence>" into why (if any); returns ERR_SYNTAX. */
__attribute__((format(printf, 2, 3)))
static err_t {p}_fail(const struct {p}_chk *c, const char *fmt, ...)
{{
	va_list ap;
	int n;

	if (!c->why || c->whylen == 0)
		return ERR_SYNTAX;
	n = fmt_snprintf(c->why, c->whylen, "%s: ", {p}_type_name(c->type));
	if (n < 0 || (size_t)n >= c->whylen)
		return ERR_SYNTAX;
	va_start(ap, fmt);
	fmt_vsnprintf(c->why + n, c->whylen - (size_t)n, fmt, ap);
	va_end(ap);
	return ERR_SYNTAX;
}}

static inline bool {p}_printable(char ch)
{{
	return ch >= 0x20 && ch <= 0x7e;
}}

/* A string field of `size` bytes: NUL inside, printable before it. */
__attribute__((unused))
static err_t {p}_check_str(const struct {p}_chk *c, const char *field, const char *s,
			 size_t size, bool nonempty)
{{
	size_t i;

	for (i = 0; i < size && s[i] != 0; i++)
		if (!{p}_printable(s[i]))
			return {p}_fail(c, "%s byte %zu not printable (0x%02x)", field, i,
					(unsigned)(unsigned char)s[i]);
	if (i == size)
		return {p}_fail(c, "%s not NUL-terminated", field);
	if (nonempty && i == 0)
		return {p}_fail(c, "%s empty", field);
	return ERR_OK;
}}

/* `count` NUL-terminated printable strings filling exactly `len` bytes. */
__attribute__((unused))
static err_t {p}_check_strs(const struct {p}_chk *c, const char *field, const char *s,
			  uint32_t count, const char *count_name, uint32_t len,
			  const char *len_name)
{{
	uint32_t off = 0, i;

	for (i = 0; i < count; i++) {{
		uint32_t start = off;

		while (off < len && s[off] != 0) {{
			if (!{p}_printable(s[off]))
				return {p}_fail(c, "%s string %u byte %u not printable (0x%02x)",
						field, i, off - start,
						(unsigned)(unsigned char)s[off]);
			off++;
		}}
		if (off == len)
			return {p}_fail(c, "%s string %u not NUL-terminated within %s %u",
					field, i, len_name, len);
		off++;
	}}
	if (off != len)
		return {p}_fail(c, "%s %u but the %u strings of %s end at %u", len_name, len,
				count, count_name, off);
	return ERR_OK;
}}

/* A page address: nonzero and page-aligned; index < 0 for a scalar field. */
__attribute__((unused))
static err_t {p}_check_page(const struct {p}_chk *c, const char *field, int index, uint64_t a)
{{
	char name[40];

	if (index >= 0)
		fmt_snprintf(name, sizeof name, "%s[%d]", field, index);
	else
		fmt_snprintf(name, sizeof name, "%s", field);
	if (a == 0)
		return {p}_fail(c, "%s is 0", name);
	if (a % IDL_PAGE_SIZE)
		return {p}_fail(c, "%s 0x%llx not page-aligned", name, (unsigned long long)a);
	return ERR_OK;
}}

__attribute__((unused))
static bool {p}_err_known(int32_t e)
{{
	switch (e) {{
#define ERR_CASE(name, value, msg) case value: return true;
	ERR_TABLE(ERR_CASE) // NOLINT(bugprone-branch-clone): a table, every code is known
#undef ERR_CASE
	default: return false;
	}}
}}
"""]
        if i.header:
            out.append(self.check_fn(i.header, "hdr", {}, "h.", f"struct {p}_{i.header.name}"))
        for m in i.messages:
            if m.body:
                st = i.structs[m.body.text]
                extra = {k: [r for _, rl in v for r in rl] for k, v in m.rules.items()}
                out.append(self.check_fn(st, m.name.lower(), extra, "",
                                         f"struct {p}_{st.name}"))
        out.append(self.main_check())
        out.append(self.senders())
        return "\n".join(out) + "\n"

    def check_fn(self, st, fname, extra, label, ctype_name):
        p = self.p
        body = []
        for f in st.fields:
            rules = list(f.rules) + extra.get(f.name, [])
            for kind, args, _, cond in rules:
                body += self.rule_c(f, kind, args, cond, label)
            if f.type == "string":
                ne = "true" if any(r[0] == "nonempty" for r in rules) else "false"
                body.append(f"\tif ((e = {p}_check_str(c, \"{label}{f.name}\", m->{f.name}, "
                            f"sizeof m->{f.name}, {ne})))\n\t\treturn e;")
            if f.type == "err":
                body.append(f"\tif (!{p}_err_known(m->{f.name}))\n\t\treturn {p}_fail(c, "
                            f"\"{label}{f.name} %d not an err_t code\", (int)m->{f.name});")
        uses_e = any("e = " in b for b in body)
        head = [f"static err_t {p}_check_{fname}(const struct {p}_chk *c, const {ctype_name} *m,",
                "\t\t\tconst union %s_any *all)" % p, "{"]
        if uses_e:
            head.append("\terr_t e;")
        head += ["\t(void)c;", "\t(void)m;", "\t(void)all;"]
        if uses_e:
            head.append("")
        return "\n".join(head + body + ["\treturn ERR_OK;", "}", ""])

    def rule_c(self, f, kind, args, cond, label):
        p, n = self.p, f"{label}{f.name}"
        v = f"m->{f.name}"
        ok = ""
        if cond is not None and cond.text == "if_ok":
            ok = f"all->h.{self.err_field()} == ERR_OK && "
        elif cond is not None:                # or_zero: 0 means absent
            ok = f"{v} != 0 && "
        if kind == "core":
            return [f"\tif ({v} >= c->ncores)\n\t\treturn {p}_fail(c, \"{n} %u >= ncores %u\", "
                    f"(unsigned){v}, c->ncores);"]
        if kind == "cores_count":
            return [f"\tif ({v} > c->ncores)\n\t\treturn {p}_fail(c, \"{n} %u > ncores %u\", "
                    f"(unsigned){v}, c->ncores);"]
        if kind == "max":
            b = self.val(args[0])
            return [f"\tif ((uint64_t){v} > (uint64_t){b})\n\t\treturn {p}_fail(c, \"{n} %llu > %llu\", "
                    f"(unsigned long long){v}, (unsigned long long){b});"]
        if kind == "range":
            a, b = self.val(args[0]), self.val(args[1])
            return [f"\tif ((uint64_t){v} < (uint64_t){a} || (uint64_t){v} > (uint64_t){b})\n"
                    f"\t\treturn {p}_fail(c, \"{n} %llu not in %llu..%llu\", "
                    f"(unsigned long long){v}, (unsigned long long){a}, (unsigned long long){b});"]
        if kind == "oneof":
            vals = [self.val(a) for a in args]
            names = ", ".join(f"{' '.join(t.text for t in a)} (%llu)" for a in args)
            test = " && ".join(f"(uint64_t){v} != (uint64_t){x}" for x in vals)
            fmt_args = ", ".join(f"(unsigned long long){x}" for x in vals)
            return [f"\tif ({test})\n\t\treturn {p}_fail(c, \"{n} %llu not one of {names}\", "
                    f"(unsigned long long){v}, {fmt_args});"]
        if kind == "clear":
            b = self.val(args[0])
            return [f"\tif ((uint64_t){v} & (uint64_t){b})\n\t\treturn {p}_fail(c, \"{n} 0x%llx has "
                    f"bits 0x%llx set\", (unsigned long long){v}, "
                    f"(unsigned long long)((uint64_t){v} & (uint64_t){b}));"]
        if kind == "bit":
            return [f"\tif ({v} > 1)\n\t\treturn {p}_fail(c, \"{n} %u not 0 or 1\", (unsigned){v});"]
        if kind == "msglen":
            return [f"\tif ((size_t){v} != c->len)\n\t\treturn {p}_fail(c, \"{n} %llu != length %zu\", "
                    f"(unsigned long long){v}, c->len);"]
        if kind == "page":
            return [f"\tif ({ok}(e = {p}_check_page(c, \"{n}\", -1, {v})))\n\t\treturn e;"]
        if kind == "pages":
            cnt = f"m->{args[0].text}"
            return [f"\tfor (uint32_t i = 0; {ok[:-4] + ' && ' if ok else ''}i < (uint32_t){cnt} && "
                    f"i < sizeof {v} / sizeof {v}[0]; i++)\n"
                    f"\t\tif ((e = {p}_check_page(c, \"{n}\", (int)i, {v}[i])))\n\t\t\treturn e;"]
        if kind == "count":
            return []                    # checked with 'length'
        if kind == "length":
            cnt = None
            for r in f.rules + []:
                pass
            return [("__STRS__", f, args[0].text)]
        return []

    def err_field(self):
        for f in self.i.header.fields if self.i.header else []:
            if f.type == "err":
                return f.name
        return "err"

    def main_check(self):
        p, P = self.p, self.P
        lines = [f"""err_t {p}_msg_check(uint16_t type, const void *msg, size_t len, unsigned ncores,
		char *why, size_t whylen)
{{
	struct {p}_chk c = {{ type, ncores, len, why, whylen }};
	union {p}_any m;
	err_t e;

	if (why && whylen)
		why[0] = 0;
	if (!{p}_known(type))
		return {p}_fail(&c, "type %u not a{'n' if self.i.noun[:1] in 'aeiou' else ''} {self.i.noun} message", type);
	if (!msg && {p}_types[type].size)
		return {p}_fail(&c, "no message");
	if ({p}_types[type].min == {p}_types[type].size && len != {p}_types[type].size)
		return {p}_fail(&c, "length %zu != %zu", len, {p}_types[type].size);
	if (len < {p}_types[type].min || len > {p}_types[type].size)
		return {p}_fail(&c, "length %zu not in %zu..%zu", len, {p}_types[type].min,
				{p}_types[type].size);
	if (len < {p}_types[type].size)      /* a cut tail reads as zeros */
		__builtin_memset(&m, 0, {p}_types[type].size);
	if (len)
		__builtin_memcpy(&m, msg, len);
	(void)e;"""]
        if self.i.header:
            lines.append(f"\tif ((e = {p}_check_hdr(&c, &m.h, &m)))\n\t\treturn e;")
        lines.append("\tswitch (type) {")
        for msg in self.i.messages:
            if msg.body:
                st = self.i.structs[msg.body.text]
                lines.append(f"\tcase {self.msg_const(msg)}:\n\t\treturn {p}_check_{msg.name.lower()}"
                             f"(&c, &m.{st.name}, &m);")
        lines += ["\tdefault:", "\t\treturn ERR_OK;", "\t}", "}", ""]
        return "\n".join(lines)

    def senders(self):
        p, out = self.p, []
        for m in self.i.messages:
            lname, T = m.name.lower(), self.msg_const(m)
            if not m.body:
                out.append(f"""err_t {p}_send_{lname}(struct urpc_chan *c)
{{
	return urpc_send(c, {T}, "", 0);
}}

struct urpc_msg {p}_batch_{lname}(void)
{{
	return (struct urpc_msg){{ {T}, 0, "" }};
}}
""")
                continue
            st = self.i.structs[m.body.text]
            S = f"struct {p}_{st.name}"
            ml = self.msglen_field(st)
            if ml is not None and self.tail_field(st) is not None:
                ln = f"m->{ml.name}"
                guard = (f"\tif ({ln} < {p}_types[{T}].min || {ln} > {p}_types[{T}].size)\n"
                         f"\t\treturn ERR_INVAL;\n")
                bguard = (f"\tif ({ln} < {p}_types[{T}].min || {ln} > {p}_types[{T}].size)\n"
                          f"\t\treturn (struct urpc_msg){{ {T}, 0, 0 }};\n")
            else:
                ln, guard, bguard = "sizeof *m", "", ""
            out.append(f"""err_t {p}_send_{lname}(struct urpc_chan *c, const {S} *m)
{{
{guard}	return urpc_send(c, {T}, m, {ln});
}}

/* A zero length marks a message whose length field is out of bounds. */
struct urpc_msg {p}_batch_{lname}(const {S} *m)
{{
{bguard}	return (struct urpc_msg){{ {T}, (uint16_t)({ln}), m }};
}}
""")
        return "\n".join(out)

    # -- fuzz harness
    def fuzz(self, hname):
        p, P = self.p, self.P
        return f"""/* Generated by tools/idl/idlc.py from {self.src}: do not edit.
 *
 * libFuzzer harness of {p}_msg_check().  Input: bytes 0-1 the type
 * (little-endian), byte 2 ncores, the rest the message, unaligned and with
 * its exact length.  Checks the gate's contract: ERR_OK or ERR_SYNTAX; an
 * accepted message has a known type and a length in its bounds, the same
 * verdict with more cores and with no sentence buffer; a refusal's sentence
 * starts with the type's name, is NUL-terminated inside the buffer, and a
 * shorter buffer gets a prefix of it; the message is never written.
 */
#include <{hname}>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void fail(const char *what, uint16_t type)
{{
	fprintf(stderr, "fuzz_{p}: %s (type %u)\\n", what, type);
	abort();
}}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{{
	static uint8_t before[1 << 16];
	char why[128 + 8], small[128];
	const uint8_t *msg = data + 3;
	size_t len, tl, cut;
	uint16_t type;
	unsigned ncores;
	err_t e;

	if (size < 3 || size - 3 > sizeof before)
		return 0;
	type = (uint16_t)(data[0] | data[1] << 8);
	ncores = data[2];
	len = size - 3;
	memcpy(before, msg, len);
	memset(why, 0x77, sizeof why);
	e = {p}_msg_check(type, msg, len, ncores, why, 128);
	if (memcmp(before, msg, len) != 0)
		fail("message written", type);
	if (why[128] != 0x77 || !memchr(why, 0, 128))
		fail("sentence overran or is not terminated", type);
	if (e != ERR_OK && e != ERR_SYNTAX)
		fail("result neither ERR_OK nor ERR_SYNTAX", type);
	if (e == ERR_OK) {{
		if (why[0] != 0)
			fail("sentence on success", type);
		if ({p}_msg_size(type) == 0 && len != 0)
			fail("accepted an unknown type", type);
		if (len > {p}_msg_size(type))
			fail("accepted a message longer than its type", type);
		if ({p}_msg_check(type, msg, len, 65535, NULL, 0) != ERR_OK)
			fail("more cores refused an accepted message", type);
		return 0;
	}}
	tl = strlen({p}_type_name(type));
	if (strncmp(why, {p}_type_name(type), tl) != 0 || strncmp(why + tl, ": ", 2) != 0 ||
	    why[tl + 2] == 0)
		fail("sentence does not start with the type's name and say what is wrong", type);
	cut = (size_t)(data[2] % 128) + 1;
	memset(small, 0x55, sizeof small);
	if ({p}_msg_check(type, msg, len, ncores, small, cut) != ERR_SYNTAX)
		fail("verdict depends on the sentence buffer", type);
	if (strlen(small) != (strlen(why) < cut ? strlen(why) : cut - 1) ||
	    strncmp(small, why, strlen(small)) != 0)
		fail("short sentence is not a prefix", type);
	if (cut < sizeof small && small[cut] != 0x55)
		fail("short sentence buffer overrun", type);
	if ({p}_msg_check(type, msg, len, ncores, NULL, 0) != ERR_SYNTAX)
		fail("verdict depends on the sentence buffer", type);
	return 0;
}}
"""


def fix_strs(code, gen):
    """Replace the ('__STRS__', field, count) placeholders (see rule_c)."""
    return code


def compile_if(path):
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        raise IdlError((path, 1, 1), f"cannot read the file: {e}")
    iface = Parser(lex(text, path)).parse()
    return analyse(iface)


def render(iface, path, hname):
    g = Gen(iface, path)
    # rule_c returns a placeholder tuple for 'length'; expand it here.
    orig = g.rule_c

    def rule_c(f, kind, args, cond, label):
        r = orig(f, kind, args, cond, label)
        out = []
        for x in r:
            if isinstance(x, tuple):
                _, fld, lenf = x
                cnt = [a[0].text for k, a, _, _ in f.rules if k == "count"]
                cnt = cnt[0] if cnt else None
                if cnt is None:
                    raise IdlError(f.pos, f"strings field '{f.name}' needs 'count F' with 'length F'")
                out.append(f"\tif ((e = {g.p}_check_strs(c, \"{label}{f.name}\", m->{f.name}, "
                           f"m->{cnt}, \"{cnt}\", m->{lenf}, \"{lenf}\")))\n\t\treturn e;")
            else:
                out.append(x)
        return out
    g.rule_c = rule_c
    for st in list(iface.structs.values()):
        for f in st.fields:
            if f.type == "strings":
                kinds = [r[0] for r in f.rules]
                if "count" not in kinds or "length" not in kinds:
                    raise IdlError(f.pos, f"strings field '{f.name}' needs both 'count F' "
                                   "and 'length F'")
    return g.header(), g.codec(hname), g.fuzz(hname)


def write(path, text):
    """Write only when the text changed (keeps make from rebuilding)."""
    try:
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                return
    except OSError:
        pass
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def main(argv):
    args, opts = [], {}
    it = iter(argv)
    for a in it:
        if a in ("--header", "--codec", "--fuzz", "--include-as"):
            opts[a] = next(it, None)
        else:
            args.append(a)
    if len(args) != 1 or None in opts.values():
        print("usage: idlc.py IFACE.if [--header OUT.h] [--codec OUT.c] [--fuzz OUT.c] "
              "[--include-as if/NAME.h]", file=sys.stderr)
        return 2
    src = args[0]
    try:
        iface = compile_if(src)
        hname = opts.get("--include-as") or "if/" + os.path.basename(src)[:-3] + ".h"
        h, c, fz = render(iface, src, hname)
    except IdlError as e:
        f, line, col = e.pos
        print(f"{f or src}:{line}:{col}: error: {e.msg}", file=sys.stderr)
        return 1
    except RecursionError:
        print(f"{src}:1:1: error: the file nests too deeply", file=sys.stderr)
        return 1
    if "--header" in opts:
        write(opts["--header"], h)
    if "--codec" in opts:
        write(opts["--codec"], c)
    if "--fuzz" in opts:
        write(opts["--fuzz"], fz)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
