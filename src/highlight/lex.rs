//! Table-driven lexers for the common fence languages: one pass over the bytes, each token
//! classified by what it is and by its neighbours (`fn name`, `name(`, `.name`, `Name`), the way
//! Chroma (Hugo) and Pygments highlight, in a few microseconds per block.
//!
//! In: a language index into `LANGS` and the code. Out: tokens covering the code, each a byte
//! range end and a capture (an index into `CAPTURES`, of the language whose rules made it), or
//! none for the default colour. Token boundaries always fall on ASCII bytes, so on character
//! boundaries.

use super::{LANGS, capture_index, index_of};

/// A token: it ends at `end` (it starts where the previous one ended), in language `lang`, shown
/// as capture `cap` (None: the default colour).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Tok {
    pub end: usize,
    pub lang: usize,
    pub cap: Option<usize>,
}

// Capture indices.
const ATTRIBUTE: usize = capture_index("attribute");
const BOOLEAN: usize = capture_index("boolean");
const COMMENT: usize = capture_index("comment");
const DOC: usize = capture_index("comment.documentation");
const CONSTANT: usize = capture_index("constant");
const CONSTANT_BUILTIN: usize = capture_index("constant.builtin");
const CONSTRUCTOR: usize = capture_index("constructor");
const ESCAPE: usize = capture_index("escape");
const FUNCTION: usize = capture_index("function");
const FUNCTION_BUILTIN: usize = capture_index("function.builtin");
const MACRO: usize = capture_index("function.macro");
const METHOD: usize = capture_index("function.method");
const KEYWORD: usize = capture_index("keyword");
const LABEL: usize = capture_index("label");
const NUMBER: usize = capture_index("number");
const OPERATOR: usize = capture_index("operator");
const PROPERTY: usize = capture_index("property");
const STRING: usize = capture_index("string");
const STRING_SPECIAL: usize = capture_index("string.special");
const KEY: usize = capture_index("string.special.key");
const TAG: usize = capture_index("tag");
const TYPE: usize = capture_index("type");
const TYPE_BUILTIN: usize = capture_index("type.builtin");
const VARIABLE_BUILTIN: usize = capture_index("variable.builtin");

/// Index of a language in `LANGS` by name, at compile time.
const fn lang(name: &str) -> usize {
    let mut names = [""; LANGS.len()];
    let mut i = 0;
    while i < LANGS.len() {
        names[i] = LANGS[i].name;
        i += 1;
    }
    index_of(&names, name)
}

const JS: usize = lang("javascript");
const CSS: usize = lang("css");

/// The rules of a C-like language (keywords, literals, comments, calls, members).
struct Spec {
    keywords: &'static [&'static str],
    /// More keywords (TypeScript's, beyond JavaScript's).
    more_keywords: &'static [&'static str],
    /// Built-in type names (`u32`, `int`, `string`).
    types: &'static [&'static str],
    /// true/false and friends.
    booleans: &'static [&'static str],
    /// `null`, `None`, `nil`…
    constants: &'static [&'static str],
    /// `self`, `this`, `super`…
    variables: &'static [&'static str],
    /// Built-in functions (`print`, `len`).
    builtins: &'static [&'static str],
    /// Keywords after which a name is a function being defined.
    fn_keywords: &'static [&'static str],
    /// Keywords after which a name is a type being defined.
    type_keywords: &'static [&'static str],
    line_comment: &'static [&'static str],
    /// Line comments that document (`///`, `//!`).
    doc_comment: &'static [&'static str],
    block_comment: bool,
    /// Whether block comments nest (Rust).
    nested_comments: bool,
    /// Quote bytes of strings; `'` is a char literal where `chars` is set.
    quotes: &'static [u8],
    chars: bool,
    /// Rust: `'a` lifetimes, `r#"…"#` raw strings, `name!` macros, `#[…]` attributes.
    rust: bool,
    /// Python: `"""` strings, string prefixes, docstrings, `@decorators`.
    python: bool,
    /// JavaScript and TypeScript: template strings, JSX tags, `@decorators`.
    js: bool,
    /// C and C++: `#include` and other preprocessor lines.
    preprocessor: bool,
    /// Java: `@Annotations`.
    annotations: bool,
    /// Go: `` `raw` `` strings.
    backtick_raw: bool,
    /// Names starting with a capital are types (or constructors).
    capitals_are_types: bool,
}

const NONE: &[&str] = &[];

/// What most C-like languages share; each language below says how it differs.
const C_LIKE: Spec = Spec {
    keywords: NONE,
    more_keywords: NONE,
    types: NONE,
    booleans: &["true", "false"],
    constants: NONE,
    variables: NONE,
    builtins: NONE,
    fn_keywords: NONE,
    type_keywords: NONE,
    line_comment: &["//"],
    doc_comment: NONE,
    block_comment: true,
    nested_comments: false,
    quotes: b"\"",
    chars: true,
    rust: false,
    python: false,
    js: false,
    preprocessor: false,
    annotations: false,
    backtick_raw: false,
    capitals_are_types: false,
};

const RUST: Spec = Spec {
    keywords: &[
        "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum",
        "extern", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
        "pub", "ref", "return", "static", "struct", "super", "trait", "type", "union", "unsafe",
        "use", "where", "while", "yield",
    ],
    types: &[
        "bool", "char", "f32", "f64", "i8", "i16", "i32", "i64", "i128", "isize", "str", "u8",
        "u16", "u32", "u64", "u128", "usize",
    ],
    variables: &["self", "Self"],
    fn_keywords: &["fn"],
    type_keywords: &["struct", "enum", "trait", "type", "union"],
    doc_comment: &["///", "//!"],
    nested_comments: true,
    rust: true,
    capitals_are_types: true,
    ..C_LIKE
};

#[rustfmt::skip]
const PYTHON_BUILTINS: &[&str] = &[
    "abs", "all", "any", "bool", "bytes", "callable", "chr", "dict", "dir", "enumerate",
    "filter", "float", "format", "frozenset", "getattr", "hasattr", "hash", "id", "input",
    "int", "isinstance", "issubclass", "iter", "len", "list", "map", "max", "min", "next",
    "object", "open", "ord", "pow", "print", "range", "repr", "reversed", "round", "set",
    "setattr", "slice", "sorted", "str", "sum", "super", "tuple", "type", "vars", "zip",
];

const PYTHON: Spec = Spec {
    keywords: &[
        "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
        "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is",
        "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with",
        "yield", "match", "case",
    ],
    booleans: &["True", "False"],
    constants: &["None", "Ellipsis", "NotImplemented"],
    variables: &["self", "cls"],
    builtins: PYTHON_BUILTINS,
    fn_keywords: &["def"],
    type_keywords: &["class"],
    line_comment: &["#"],
    block_comment: false,
    quotes: b"\"'",
    chars: false,
    python: true,
    capitals_are_types: true,
    ..C_LIKE
};

#[rustfmt::skip]
const JS_KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "case", "catch", "class", "const", "continue", "debugger",
    "default", "delete", "do", "else", "export", "extends", "finally", "for", "from", "function",
    "get", "if", "import", "in", "instanceof", "let", "new", "of", "return", "set", "static",
    "switch", "throw", "try", "typeof", "var", "void", "while", "with", "yield",
];

#[rustfmt::skip]
const TS_ONLY_KEYWORDS: &[&str] = &[
    "abstract", "declare", "enum", "implements", "infer", "interface", "is", "keyof", "module",
    "namespace", "private", "protected", "public", "readonly", "satisfies", "type",
];

const JAVASCRIPT: Spec = Spec {
    keywords: JS_KEYWORDS,
    constants: &["null", "undefined", "NaN", "Infinity"],
    variables: &["this", "super", "arguments"],
    fn_keywords: &["function"],
    type_keywords: &["class"],
    quotes: b"\"'",
    chars: false,
    js: true,
    capitals_are_types: true,
    ..C_LIKE
};

const TYPESCRIPT: Spec = Spec {
    more_keywords: TS_ONLY_KEYWORDS,
    types: &[
        "any", "bigint", "boolean", "never", "number", "object", "string", "symbol", "unknown",
    ],
    type_keywords: &["class", "interface", "type", "enum"],
    ..JAVASCRIPT
};

const GO: Spec = Spec {
    keywords: &[
        "break",
        "case",
        "chan",
        "const",
        "continue",
        "default",
        "defer",
        "else",
        "fallthrough",
        "for",
        "func",
        "go",
        "goto",
        "if",
        "import",
        "interface",
        "map",
        "package",
        "range",
        "return",
        "select",
        "struct",
        "switch",
        "type",
        "var",
    ],
    types: &[
        "any",
        "bool",
        "byte",
        "complex64",
        "complex128",
        "error",
        "float32",
        "float64",
        "int",
        "int8",
        "int16",
        "int32",
        "int64",
        "rune",
        "string",
        "uint",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "uintptr",
    ],
    constants: &["nil", "iota"],
    builtins: &[
        "append", "cap", "clear", "close", "complex", "copy", "delete", "imag", "len", "make",
        "max", "min", "new", "panic", "print", "println", "real", "recover",
    ],
    fn_keywords: &["func"],
    type_keywords: &["type"],
    backtick_raw: true,
    ..C_LIKE
};

const C_KEYWORDS: &[&str] = &[
    "auto", "break", "case", "const", "continue", "default", "do", "else", "enum", "extern", "for",
    "goto", "if", "inline", "register", "restrict", "return", "sizeof", "static", "struct",
    "switch", "typedef", "union", "volatile", "while",
];

const C_TYPES: &[&str] = &[
    "bool",
    "char",
    "double",
    "float",
    "int",
    "int8_t",
    "int16_t",
    "int32_t",
    "int64_t",
    "long",
    "ptrdiff_t",
    "short",
    "signed",
    "size_t",
    "ssize_t",
    "uint8_t",
    "uint16_t",
    "uint32_t",
    "uint64_t",
    "unsigned",
    "void",
    "wchar_t",
];

const C: Spec = Spec {
    keywords: C_KEYWORDS,
    types: C_TYPES,
    constants: &["NULL"],
    type_keywords: &["struct", "enum", "union"],
    preprocessor: true,
    ..C_LIKE
};

const CPP: Spec = Spec {
    keywords: &[
        "alignas",
        "alignof",
        "auto",
        "break",
        "case",
        "catch",
        "class",
        "concept",
        "const",
        "consteval",
        "constexpr",
        "constinit",
        "continue",
        "co_await",
        "co_return",
        "co_yield",
        "decltype",
        "default",
        "delete",
        "do",
        "else",
        "enum",
        "explicit",
        "export",
        "extern",
        "final",
        "for",
        "friend",
        "goto",
        "if",
        "inline",
        "mutable",
        "namespace",
        "new",
        "noexcept",
        "operator",
        "override",
        "private",
        "protected",
        "public",
        "requires",
        "return",
        "sizeof",
        "static",
        "static_assert",
        "struct",
        "switch",
        "template",
        "throw",
        "try",
        "typedef",
        "typename",
        "union",
        "using",
        "virtual",
        "volatile",
        "while",
    ],
    constants: &["NULL", "nullptr"],
    variables: &["this"],
    type_keywords: &["class", "struct", "enum", "union", "namespace"],
    capitals_are_types: true,
    ..C
};

const JAVA: Spec = Spec {
    keywords: &[
        "abstract",
        "assert",
        "break",
        "case",
        "catch",
        "class",
        "const",
        "continue",
        "default",
        "do",
        "else",
        "enum",
        "extends",
        "final",
        "finally",
        "for",
        "goto",
        "if",
        "implements",
        "import",
        "instanceof",
        "interface",
        "native",
        "new",
        "package",
        "permits",
        "private",
        "protected",
        "public",
        "record",
        "return",
        "sealed",
        "static",
        "strictfp",
        "switch",
        "synchronized",
        "throw",
        "throws",
        "transient",
        "try",
        "var",
        "volatile",
        "while",
        "yield",
    ],
    types: &[
        "boolean", "byte", "char", "double", "float", "int", "long", "short", "void",
    ],
    constants: &["null"],
    variables: &["this", "super"],
    type_keywords: &["class", "interface", "enum", "record"],
    annotations: true,
    capitals_are_types: true,
    ..C_LIKE
};

/// Appends the tokens of `code` in `LANGS[l]` to `out`.
pub(super) fn lex(l: usize, code: &str, out: &mut Vec<Tok>) {
    let mut lx = Lexer {
        b: code.as_bytes(),
        i: 0,
        lang: l,
        out,
    };
    match LANGS[l].name {
        "rust" => lx.clike(&RUST, code.len()),
        "python" => lx.clike(&PYTHON, code.len()),
        "javascript" => lx.clike(&JAVASCRIPT, code.len()),
        "typescript" | "tsx" => lx.clike(&TYPESCRIPT, code.len()),
        "go" => lx.clike(&GO, code.len()),
        "c" => lx.clike(&C, code.len()),
        "cpp" => lx.clike(&CPP, code.len()),
        "java" => lx.clike(&JAVA, code.len()),
        "bash" => lx.bash(code.len()),
        "json" => lx.json(),
        "toml" => lx.toml(),
        "yaml" => lx.yaml(),
        "css" => lx.css(code.len()),
        "html" => lx.html(),
        _ => {}
    }
    lx.plain_to(code.len());
}

fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c >= 0x80
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

/// ALL_CAPS names (two or more characters, at least one letter).
fn is_all_caps(w: &[u8]) -> bool {
    w.len() > 1
        && w.iter().any(u8::is_ascii_uppercase)
        && w.iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'_')
}

struct Lexer<'a, 'o> {
    b: &'a [u8],
    i: usize,
    lang: usize,
    out: &'o mut Vec<Tok>,
}

impl Lexer<'_, '_> {
    fn peek(&self, k: usize) -> u8 {
        self.b.get(self.i + k).copied().unwrap_or(0)
    }

    fn at(&self, s: &str) -> bool {
        self.b[self.i..].starts_with(s.as_bytes())
    }

    /// Emits a token from the current position to `end`, merging with the previous one if it
    /// looks the same.
    fn emit(&mut self, end: usize, cap: Option<usize>) {
        let mut end = end.min(self.b.len());
        // Never end a token inside a multi-byte character.
        while end < self.b.len() && (self.b[end] & 0xC0) == 0x80 {
            end += 1;
        }
        if end <= self.i {
            return;
        }
        self.push(end, self.lang, cap);
        self.i = end;
    }

    fn push(&mut self, end: usize, lang: usize, cap: Option<usize>) {
        match self.out.last_mut() {
            Some(t) if t.lang == lang && t.cap == cap => t.end = end,
            _ => self.out.push(Tok { end, lang, cap }),
        }
    }

    /// Everything up to `end` in the default colour.
    fn plain_to(&mut self, end: usize) {
        self.emit(end, None);
    }

    fn skip_ws_end(&self, mut j: usize) -> usize {
        while j < self.b.len() && (self.b[j] == b' ' || self.b[j] == b'\t') {
            j += 1;
        }
        j
    }

    fn ident_end(&self, mut j: usize) -> usize {
        while j < self.b.len() && is_ident(self.b[j]) {
            j += 1;
        }
        j
    }

    fn line_end(&self, mut j: usize) -> usize {
        while j < self.b.len() && self.b[j] != b'\n' {
            j += 1;
        }
        j
    }

    /// The end of a number starting here: digits, `_`, a fraction, an exponent, a suffix.
    fn number_end(&self) -> usize {
        let b = self.b;
        let mut j = self.i;
        if b.get(j) == Some(&b'0')
            && matches!(self.peek(1), b'x' | b'X' | b'o' | b'O' | b'b' | b'B')
        {
            j += 2;
            while j < b.len() && (b[j].is_ascii_hexdigit() || b[j] == b'_') {
                j += 1;
            }
        } else {
            while j < b.len() && (b[j].is_ascii_digit() || b[j] == b'_') {
                j += 1;
            }
            if j + 1 < b.len() && b[j] == b'.' && b[j + 1].is_ascii_digit() {
                j += 1;
                while j < b.len() && (b[j].is_ascii_digit() || b[j] == b'_') {
                    j += 1;
                }
            }
            if j < b.len() && matches!(b[j], b'e' | b'E') {
                let k = if matches!(b.get(j + 1), Some(b'+' | b'-')) {
                    j + 2
                } else {
                    j + 1
                };
                if b.get(k).is_some_and(u8::is_ascii_digit) {
                    j = k;
                    while j < b.len() && b[j].is_ascii_digit() {
                        j += 1;
                    }
                }
            }
        }
        // Type suffixes (`u32`, `f64`, `L`, `n`).
        while j < b.len() && b[j].is_ascii_alphanumeric() {
            j += 1;
        }
        j
    }

    /// A quoted string from here (the opening quote at `self.i`), with backslash escapes as
    /// their own tokens; `multi` lets it span lines. `close` is the closing delimiter.
    fn string(&mut self, open_len: usize, close: &[u8], escapes: bool, multi: bool) {
        let b = self.b;
        let mut j = self.i + open_len;
        self.emit(j, Some(STRING));
        while j < b.len() {
            if b[j..].starts_with(close) {
                j += close.len();
                break;
            }
            if b[j] == b'\n' && !multi {
                break;
            }
            if escapes && b[j] == b'\\' && j + 1 < b.len() {
                self.emit(j, Some(STRING));
                let mut k = j + 2;
                if b[j + 1] == b'u' && b.get(k) == Some(&b'{') {
                    while k < b.len() && b[k] != b'}' && b[k] != b'\n' {
                        k += 1;
                    }
                    k = (k + 1).min(b.len());
                }
                // Never end a token inside a multi-byte character.
                while k < b.len() && (b[k] & 0xC0) == 0x80 {
                    k += 1;
                }
                self.emit(k, Some(ESCAPE));
                j = k;
                continue;
            }
            j += 1;
        }
        self.emit(j, Some(STRING));
    }

    /// The previous significant byte before `self.i` on the same logical stream (spaces skipped).
    fn prev_byte(&self) -> u8 {
        let mut j = self.i;
        while j > 0 {
            j -= 1;
            if !self.b[j].is_ascii_whitespace() {
                return self.b[j];
            }
        }
        0
    }

    /// Whether only whitespace precedes `self.i` on its line.
    fn line_start(&self) -> bool {
        let mut j = self.i;
        while j > 0 {
            j -= 1;
            match self.b[j] {
                b'\n' => return true,
                b' ' | b'\t' => {}
                _ => return false,
            }
        }
        true
    }

    fn clike(&mut self, s: &Spec, stop: usize) {
        let b = self.b;
        // The previous word, for `fn name` and `class Name`.
        let mut prev_word: &[u8] = b"";
        // Python docstrings: a string first on its line, at the start or after a line ending `:`.
        let mut after_colon_line = true;
        let mut jsx_depth = 0usize;
        while self.i < stop {
            let c = b[self.i];
            let start = self.i;
            if c == b'\n' {
                if s.python {
                    let t = self.trimmed_line_before(start);
                    if !t.is_empty() {
                        after_colon_line = t.ends_with(b":");
                    }
                }
                self.plain_to(start + 1);
                continue;
            }
            if c.is_ascii_whitespace() {
                let mut j = start;
                while j < stop && b[j] != b'\n' && b[j].is_ascii_whitespace() {
                    j += 1;
                }
                self.plain_to(j);
                continue;
            }
            // Comments (every prefix starts with `/` or `#`).
            let maybe_comment = matches!(c, b'/' | b'#');
            if let Some(doc) = s.doc_comment.iter().find(|p| maybe_comment && self.at(p)) {
                // `////` is not a doc comment.
                if !(*doc == "///" && self.peek(3) == b'/') {
                    let e = self.line_end(start);
                    self.emit(e, Some(DOC));
                    continue;
                }
            }
            if maybe_comment && s.line_comment.iter().any(|p| self.at(p)) {
                let e = self.line_end(start);
                self.emit(e, Some(COMMENT));
                continue;
            }
            if maybe_comment && s.block_comment && self.at("/*") {
                let cap = if (self.at("/**") && !self.at("/**/")) || self.at("/*!") {
                    DOC
                } else {
                    COMMENT
                };
                let mut depth = 0;
                let mut j = start;
                while j < b.len() {
                    if b[j..].starts_with(b"/*") {
                        depth += 1;
                        j += 2;
                        if !s.nested_comments {
                            depth = 1;
                        }
                    } else if b[j..].starts_with(b"*/") {
                        depth -= 1;
                        j += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        j += 1;
                    }
                }
                self.emit(j, Some(cap));
                continue;
            }
            if s.preprocessor && c == b'#' && self.line_start() {
                let w_start = self.skip_ws_end(start + 1);
                let w_end = self.ident_end(w_start);
                self.emit(w_end, Some(KEYWORD));
                let rest = self.skip_ws_end(w_end);
                self.plain_to(rest);
                if &b[w_start..w_end] == b"include" && matches!(self.peek(0), b'<' | b'"') {
                    let close = if self.peek(0) == b'<' { b">" } else { b"\"" };
                    self.string(1, close, false, false);
                }
                continue;
            }
            // Rust attributes and lifetimes.
            if s.rust && c == b'#' && matches!(self.peek(1), b'[' | b'!') {
                let open = if b[start + 1] == b'!' {
                    start + 2
                } else {
                    start + 1
                };
                let j = if b.get(open) == Some(&b'[') {
                    (self.matching(open, b'[', b']') + 1).min(b.len())
                } else {
                    open
                };
                self.emit(j, Some(ATTRIBUTE));
                continue;
            }
            if c == b'\'' && s.rust {
                // A lifetime `'a` (no closing quote right after one character) or a char.
                let e = self.ident_end(start + 1);
                if e > start + 1 && b.get(e) != Some(&b'\'') {
                    self.emit(e, Some(LABEL));
                    continue;
                }
            }
            // Decorators and annotations.
            if c == b'@' && (s.python || s.js || s.annotations) && is_ident_start(self.peek(1)) {
                let mut e = self.ident_end(start + 1);
                while b.get(e) == Some(&b'.') && b.get(e + 1).is_some_and(|&c| is_ident_start(c)) {
                    e = self.ident_end(e + 1);
                }
                let cap = if s.annotations { ATTRIBUTE } else { FUNCTION };
                self.emit(e, Some(cap));
                continue;
            }
            // Strings.
            if s.rust && (c == b'r' || c == b'b') {
                // r"…", r#"…"#, b"…", br"…", b'x'.
                let mut j = start;
                if b[j] == b'b' {
                    j += 1;
                }
                let raw = b.get(j) == Some(&b'r');
                if raw {
                    j += 1;
                }
                let mut hashes = 0;
                while raw && b.get(j) == Some(&b'#') {
                    hashes += 1;
                    j += 1;
                }
                if b.get(j) == Some(&b'"') && j > start {
                    let mut close = vec![b'"'];
                    close.extend(std::iter::repeat_n(b'#', hashes));
                    self.string(j + 1 - start, &close, !raw, true);
                    continue;
                }
                if c == b'b' && b.get(start + 1) == Some(&b'\'') {
                    self.i = start;
                    self.string(2, b"'", true, false);
                    continue;
                }
            }
            if s.python && is_ident_start(c) {
                // String prefixes: r, b, f, u, rb, br, fr, rf (any case).
                let mut j = start;
                while j < b.len()
                    && j < start + 2
                    && matches!(b[j] | 0x20, b'r' | b'b' | b'f' | b'u')
                {
                    j += 1;
                }
                if j > start && matches!(b.get(j), Some(b'"' | b'\'')) {
                    let raw = b[start..j].iter().any(|c| c | 0x20 == b'r');
                    if b[start..j].iter().any(|c| c | 0x20 == b'f') {
                        self.f_string(j, raw);
                    } else {
                        self.python_string(j, raw, false);
                    }
                    continue;
                }
            }
            if s.quotes.contains(&c) {
                if s.python {
                    let doc = after_colon_line && self.line_start();
                    self.python_string(start, false, doc);
                } else {
                    self.string(1, &[c], true, false);
                }
                continue;
            }
            if c == b'\'' && s.chars {
                self.string(1, b"'", true, false);
                continue;
            }
            if c == b'`' && s.backtick_raw {
                self.string(1, b"`", false, true);
                continue;
            }
            if c == b'`' && s.js {
                self.template_string();
                continue;
            }
            if s.js
                && c == b'<'
                && (is_ident_start(self.peek(1)) || self.peek(1) == b'/' || self.peek(1) == b'>')
                && (jsx_depth > 0
                    || matches!(
                        self.prev_byte(),
                        b'(' | b'=' | b',' | b'?' | b':' | b'{' | b'&' | b'|' | b'>' | 0
                    )
                    || prev_word == b"return")
                && self.jsx_tag(&mut jsx_depth)
            {
                continue;
            }
            // Numbers.
            if c.is_ascii_digit()
                || (c == b'.' && self.peek(1).is_ascii_digit() && !is_ident(self.prev_raw()))
            {
                let e = self.number_end();
                self.emit(e, Some(NUMBER));
                continue;
            }
            // Names.
            if is_ident_start(c) {
                let e = self.ident_end(start);
                let w = &b[start..e];
                let after = self.skip_ws_end(e);
                let next = b.get(after).copied().unwrap_or(0);
                let member =
                    start > 0 && b[start - 1] == b'.' && !(start > 1 && b[start - 2] == b'.');
                let cap = if s.rust && next == b'!' && b.get(after + 1) != Some(&b'=') {
                    // A macro call: the `!` too.
                    self.emit(e, Some(MACRO));
                    self.emit(after + 1, Some(MACRO));
                    prev_word = w;
                    continue;
                } else if member {
                    if next == b'(' {
                        Some(METHOD)
                    } else {
                        Some(PROPERTY)
                    }
                } else if let Some(cap) = listed(s, as_str(w)) {
                    Some(cap)
                } else if s.fn_keywords.contains(&as_str(prev_word)) {
                    Some(FUNCTION)
                } else if s.type_keywords.contains(&as_str(prev_word)) {
                    Some(TYPE)
                } else if is_all_caps(w) {
                    Some(CONSTANT)
                } else if s.capitals_are_types && w[0].is_ascii_uppercase() && next != b'(' {
                    Some(TYPE)
                } else if next == b'(' {
                    if s.builtins.contains(&as_str(w)) {
                        Some(FUNCTION_BUILTIN)
                    } else {
                        Some(FUNCTION)
                    }
                } else if (s.js || s.python)
                    && next == b':'
                    && matches!(self.prev_byte(), b'{' | b',')
                    && b.get(after + 1) != Some(&b':')
                {
                    // An object key or keyword argument.
                    Some(PROPERTY)
                } else {
                    None
                };
                self.emit(e, cap);
                prev_word = w;
                continue;
            }
            // Operators and punctuation.
            let e = self.operator_end(s);
            let op = &b[start..e];
            let spaced = start > 0
                && b[start - 1].is_ascii_whitespace()
                && b.get(e).is_some_and(u8::is_ascii_whitespace);
            // A lone `<` or `>` is a comparison when spaced, a generic bracket when not
            // (`Vec<u8>`, `List<Model> ms`).
            let comparison = matches!(op, b"<" | b">" | b"<=" | b">=");
            let is_op = if comparison {
                spaced || (!s.rust && op.len() == 2)
            } else {
                is_operator(op, s)
            };
            let cap = is_op.then_some(OPERATOR);
            self.emit(e, cap);
            if !op.iter().all(u8::is_ascii_whitespace) {
                prev_word = b"";
            }
        }
    }

    /// Where the bracket `b[open_at]` closes (the position of its `close`), or the end.
    fn matching(&self, open_at: usize, open: u8, close: u8) -> usize {
        let b = self.b;
        let mut depth = 0usize;
        let mut k = open_at;
        while k < b.len() {
            if b[k] == open {
                depth += 1;
            } else if b[k] == close {
                depth -= 1;
                if depth == 0 {
                    return k;
                }
            }
            k += 1;
        }
        b.len()
    }

    fn prev_raw(&self) -> u8 {
        if self.i == 0 { 0 } else { self.b[self.i - 1] }
    }

    /// The line before byte `at` (the one `at` ends), without surrounding whitespace or a
    /// trailing comment.
    fn trimmed_line_before(&self, at: usize) -> &[u8] {
        let mut s = at;
        while s > 0 && self.b[s - 1] != b'\n' {
            s -= 1;
        }
        let mut line = &self.b[s..at];
        if let Some(p) = line.iter().position(|&c| c == b'#') {
            line = &line[..p];
        }
        line.trim_ascii()
    }

    /// A Python string whose quote is at `q` (after any prefix, which starts at `self.i`).
    fn python_string(&mut self, q: usize, raw: bool, doc: bool) {
        let b = self.b;
        let quote = b[q];
        let triple = b.get(q + 1) == Some(&quote) && b.get(q + 2) == Some(&quote);
        let close: &[u8] = match (quote, triple) {
            (b'"', true) => b"\"\"\"",
            (b'\'', true) => b"'''",
            (b'"', false) => b"\"",
            _ => b"'",
        };
        let open = q - self.i + close.len();
        if doc {
            let mark = (self.out.len(), self.out.last().copied());
            let from = self.i;
            self.string(open, close, !raw, triple);
            // A string alone on its line, first in a block: a docstring.
            let rest = self.skip_ws_end(self.i);
            if rest >= b.len() || b[rest] == b'\n' || b[rest] == b'#' {
                self.out.truncate(mark.0);
                if let (Some(last), Some(saved)) = (self.out.last_mut(), mark.1) {
                    *last = saved;
                }
                self.i = from;
                let end = self.i_after_string(from, open, close, triple);
                self.emit(end, Some(DOC));
            }
        } else {
            self.string(open, close, !raw, triple);
        }
    }

    /// A Python f-string whose quote is at `q`: the `{…}` replacement fields in the default
    /// colour, as tree-sitter's query had them.
    fn f_string(&mut self, q: usize, raw: bool) {
        let b = self.b;
        let quote = b[q];
        let triple = b.get(q + 1) == Some(&quote) && b.get(q + 2) == Some(&quote);
        let close_len = if triple { 3 } else { 1 };
        let end = self.i_after_string(self.i, q - self.i + close_len, &b[q..q + close_len], triple);
        let body_end = if b[..end].ends_with(&b[q..q + close_len]) && end >= q + 2 * close_len {
            end - close_len
        } else {
            end
        };
        self.emit(q + close_len, Some(STRING));
        while self.i < body_end {
            let c = b[self.i];
            if c == b'{' && b.get(self.i + 1) == Some(&b'{')
                || c == b'}' && b.get(self.i + 1) == Some(&b'}')
            {
                self.emit(self.i + 2, Some(STRING));
            } else if c == b'{' {
                let close = find(b, self.i, b"}").map_or(body_end, |p| (p + 1).min(body_end));
                self.emit(close, None);
            } else if c == b'\\' && !raw && self.i + 1 < body_end {
                self.emit(self.i + 2, Some(ESCAPE));
            } else {
                let mut e = self.i + 1;
                while e < body_end && !matches!(b[e], b'{' | b'}' | b'\\') {
                    e += 1;
                }
                self.emit(e, Some(STRING));
            }
        }
        self.emit(end, Some(STRING));
    }

    /// Where a string opened at `from` (`open` bytes of opening) ends.
    fn i_after_string(&self, from: usize, open: usize, close: &[u8], multi: bool) -> usize {
        let b = self.b;
        let mut j = from + open;
        while j < b.len() {
            if b[j..].starts_with(close) {
                return j + close.len();
            }
            if b[j] == b'\n' && !multi {
                return j;
            }
            if b[j] == b'\\' {
                j += 1;
            }
            j += 1;
        }
        b.len()
    }

    /// A JavaScript template string, with `${…}` substitutions lexed as code.
    fn template_string(&mut self) {
        let b = self.b;
        let mut j = self.i + 1;
        self.emit(j, Some(STRING));
        while j < b.len() {
            match b[j] {
                b'`' => {
                    j += 1;
                    break;
                }
                b'\\' if j + 1 < b.len() => {
                    self.emit(j, Some(STRING));
                    let mut k = j + 2;
                    while k < b.len() && (b[k] & 0xC0) == 0x80 {
                        k += 1;
                    }
                    self.emit(k, Some(ESCAPE));
                    j = k;
                }
                b'$' if b.get(j + 1) == Some(&b'{') => {
                    self.emit(j, Some(STRING));
                    self.emit(j + 2, Some(KEYWORD));
                    // The substitution runs to the matching `}`.
                    let k = self.matching(j + 1, b'{', b'}');
                    self.clike(&TYPESCRIPT, k);
                    self.emit((k + 1).min(b.len()), Some(KEYWORD));
                    j = self.i;
                }
                _ => j += 1,
            }
        }
        self.emit(j, Some(STRING));
    }

    /// A JSX tag at `self.i` (`<name attr="x">`, `</name>`, `<>`): true if it was one.
    fn jsx_tag(&mut self, depth: &mut usize) -> bool {
        let b = self.b;
        let start = self.i;
        let closing = b.get(start + 1) == Some(&b'/');
        let name_start = if closing { start + 2 } else { start + 1 };
        let mut name_end = name_start;
        while name_end < b.len()
            && (is_ident(b[name_end]) || matches!(b[name_end], b'.' | b'-' | b':'))
        {
            name_end += 1;
        }
        // A comparison (`a < b`) has a space after `<`; a tag does not.
        if name_end == name_start && b.get(name_start) != Some(&b'>') {
            return false;
        }
        self.emit(name_start, None);
        let cap = if b[name_start..name_end]
            .first()
            .is_some_and(u8::is_ascii_uppercase)
        {
            Some(CONSTRUCTOR)
        } else {
            Some(TAG)
        };
        self.emit(name_end, cap);
        let mut self_closing = false;
        while self.i < b.len() {
            let c = b[self.i];
            match c {
                b'>' => {
                    self_closing = self.i > 0 && b[self.i - 1] == b'/';
                    self.emit(self.i + 1, None);
                    break;
                }
                b'"' | b'\'' => self.string(1, &[c], false, true),
                b'{' => {
                    let k = (self.matching(self.i, b'{', b'}') + 1).min(b.len());
                    self.emit(self.i + 1, None);
                    let inner_end = k.saturating_sub(1).max(self.i);
                    self.clike(&TYPESCRIPT, inner_end);
                    self.emit(k, None);
                }
                _ if is_ident_start(c) => {
                    let mut e = self.ident_end(self.i);
                    while e < b.len() && b[e] == b'-' {
                        e = self.ident_end(e + 1);
                    }
                    self.emit(e, Some(ATTRIBUTE));
                }
                _ => {
                    let e = self.i + 1;
                    self.emit(e, None);
                }
            }
        }
        if closing {
            *depth = depth.saturating_sub(1);
        } else if !self_closing {
            *depth += 1;
        }
        // Text between tags stays plain up to the next `<` or `{`.
        if *depth > 0 {
            let mut j = self.i;
            while j < b.len() && !matches!(b[j], b'<' | b'{') {
                j += 1;
            }
            self.plain_to(j);
        }
        true
    }

    /// The end of a run of operator or punctuation bytes.
    fn operator_end(&self, s: &Spec) -> usize {
        let b = self.b;
        let c = b[self.i];
        const OPS: &[u8] = b"+-*/%=<>!&|^~?:";
        if !OPS.contains(&c) {
            return self.i + 1;
        }
        let mut j = self.i + 1;
        while j < b.len() && OPS.contains(&b[j]) && j < self.i + 3 {
            // Do not swallow the start of a comment or a closing `>` of generics.
            if (b[j] == b'/' && matches!(b.get(j + 1), Some(b'/' | b'*')))
                || (s.rust && b[j] == b'&')
            {
                break;
            }
            j += 1;
        }
        j
    }

    fn bash(&mut self, stop: usize) {
        let b = self.b;
        // Whether the next word is a command name; whether words are names being declared
        // (after `export`, `local`…).
        let mut command = true;
        let mut declaring = false;
        // Inside `[ … ]`, where `-f` is an operator, not an option.
        let mut testing = false;
        while self.i < stop {
            let c = b[self.i];
            let start = self.i;
            match c {
                b'\n' | b';' | b'|' | b'&' | b'(' | b')' | b'{' | b'}' | b'`' => {
                    let e = start + 1 + usize::from(b.get(start + 1) == Some(&c) && c != b'\n');
                    let cap = if matches!(c, b'|' | b'&') {
                        Some(OPERATOR)
                    } else {
                        None
                    };
                    self.emit(e, cap);
                    command = true;
                    declaring = false;
                }
                b' ' | b'\t' | b'\\' => {
                    let mut e = start + 1;
                    if c == b'\\' && e < b.len() {
                        e += 1;
                    }
                    self.plain_to(e);
                }
                b'#' if start == 0 || b[start - 1].is_ascii_whitespace() => {
                    let e = self.line_end(start);
                    self.emit(e, Some(COMMENT));
                }
                b'\'' => self.string(1, b"'", false, true),
                b'"' => self.bash_double_string(),
                b'$' => self.bash_expansion(),
                b'>' | b'<' => {
                    let mut e = start + 1;
                    while e < b.len() && matches!(b[e], b'>' | b'<' | b'&') {
                        e += 1;
                    }
                    self.plain_to(e);
                }
                _ => {
                    let mut e = start;
                    while e < b.len() && !b" \t\n;|&()<>'\"$`{}".contains(&b[e]) {
                        e += 1;
                    }
                    let e = e.max(start + 1);
                    let w = &b[start..e];
                    let cap = if let Some(eq) = w.iter().position(|&c| c == b'=') {
                        // NAME=value (before a command, which may follow)
                        if (command || declaring) && eq > 0 && w[..eq].iter().all(|&c| is_ident(c))
                        {
                            self.emit(start + eq, Some(PROPERTY));
                            self.plain_to(start + eq + 1);
                            self.plain_to(e);
                            continue;
                        }
                        None
                    } else if BASH_KEYWORDS.contains(&as_str(w)) {
                        // What follows `for`, `in`, `case` is a word, not a command; what follows
                        // `export` and the like, names.
                        declaring = matches!(
                            as_str(w),
                            "export" | "local" | "declare" | "readonly" | "typeset" | "unset"
                        );
                        command =
                            !declaring && !matches!(as_str(w), "for" | "in" | "case" | "select");
                        self.emit(e, Some(KEYWORD));
                        continue;
                    } else if matches!(w, b"[" | b"[[" | b"]" | b"]]") {
                        command = false;
                        testing = w.starts_with(b"[");
                        self.emit(e, None);
                        continue;
                    } else if declaring && w[0] != b'-' {
                        Some(PROPERTY)
                    } else if command
                        && !(b.get(e) == Some(&b')') && self.line_start())
                        && w != b"*"
                    {
                        // (`pattern)` in a `case` is not a command.)
                        Some(FUNCTION)
                    } else if w[0] == b'-' && !testing {
                        Some(CONSTANT)
                    } else {
                        None
                    };
                    self.emit(e, cap);
                    command = false;
                }
            }
        }
    }

    fn bash_double_string(&mut self) {
        let b = self.b;
        self.emit(self.i + 1, Some(STRING));
        while self.i < b.len() {
            match b[self.i] {
                b'"' => {
                    self.emit(self.i + 1, Some(STRING));
                    return;
                }
                b'\\' if self.i + 1 < b.len() => {
                    let mut k = self.i + 2;
                    while k < b.len() && (b[k] & 0xC0) == 0x80 {
                        k += 1;
                    }
                    self.emit(k, Some(ESCAPE));
                }
                b'$' => self.bash_expansion(),
                _ => {
                    let mut e = self.i + 1;
                    while e < b.len() && !matches!(b[e], b'"' | b'\\' | b'$') {
                        e += 1;
                    }
                    self.emit(e, Some(STRING));
                }
            }
        }
    }

    /// `$NAME`, `${…}`, `$(…)` (its commands lexed), `$1`, `$?`.
    fn bash_expansion(&mut self) {
        let b = self.b;
        let start = self.i;
        match b.get(start + 1) {
            Some(b'(') => {
                let k = self.matching(start + 1, b'(', b')');
                self.emit(start + 2, Some(OPERATOR));
                self.bash(k);
                self.emit(k + 1, Some(OPERATOR));
            }
            Some(b'{') => {
                let close = find(b, start, b"}").map_or(b.len(), |p| p + 1);
                self.emit(start + 2, Some(OPERATOR));
                self.emit(close - 1, Some(PROPERTY));
                self.emit(close, Some(OPERATOR));
            }
            Some(c) if is_ident_start(*c) => {
                self.emit(start + 1, Some(OPERATOR));
                let e = self.ident_end(start + 1);
                self.emit(e, Some(PROPERTY));
            }
            Some(c) if c.is_ascii_digit() || b"?@#$!*-".contains(c) => {
                self.emit(start + 1, Some(OPERATOR));
                self.emit(start + 2, Some(PROPERTY));
            }
            _ => self.plain_to(start + 1),
        }
    }

    fn json(&mut self) {
        let b = self.b;
        while self.i < b.len() {
            let c = b[self.i];
            let start = self.i;
            match c {
                b'"' => {
                    let after = 0;
                    // Keys show as strings, as the tree-sitter query had them.
                    let _ = after;
                    self.string(1, b"\"", true, false);
                }
                b'-' | b'0'..=b'9' => {
                    self.i += usize::from(c == b'-');
                    let e = self.number_end();
                    self.i = start;
                    self.emit(e, Some(NUMBER));
                }
                _ if c.is_ascii_alphabetic() => {
                    let e = self.ident_end(start);
                    let cap = match &b[start..e] {
                        b"true" | b"false" => Some(BOOLEAN),
                        b"null" => Some(CONSTANT_BUILTIN),
                        _ => None,
                    };
                    self.emit(e, cap);
                }
                _ => self.plain_to(start + 1),
            }
        }
    }

    fn toml(&mut self) {
        let b = self.b;
        // Whether a key is expected (at a line's start, before `=`), and inline-table depth.
        let mut key = true;
        let mut inline = 0usize;
        while self.i < b.len() {
            let c = b[self.i];
            let start = self.i;
            match c {
                b'\n' => {
                    key = true;
                    self.plain_to(start + 1);
                }
                b' ' | b'\t' => self.plain_to(start + 1),
                b',' => {
                    key = inline > 0;
                    self.plain_to(start + 1);
                }
                b'#' => {
                    let e = self.line_end(start);
                    self.emit(e, Some(COMMENT));
                }
                b'[' if key => {
                    // A table header, in the default colour as tree-sitter's query has it.
                    let e = self.line_end(start);
                    let close = b[start..e]
                        .iter()
                        .rposition(|&c| c == b']')
                        .map_or(e, |p| start + p + 1);
                    self.plain_to(close);
                    key = false;
                }
                b'=' => {
                    key = false;
                    self.emit(start + 1, Some(OPERATOR));
                }
                b'"' | b'\'' => {
                    let triple = b.get(start + 1) == Some(&c) && b.get(start + 2) == Some(&c);
                    let close: &[u8] = match (c, triple) {
                        (b'"', true) => b"\"\"\"",
                        (b'\'', true) => b"'''",
                        (b'"', false) => b"\"",
                        _ => b"'",
                    };
                    if key {
                        let end = self.i_after_string(start, close.len(), close, false);
                        self.emit(end, Some(PROPERTY));
                    } else {
                        self.string(close.len(), close, c == b'"', triple);
                    }
                }
                b'{' => {
                    key = true;
                    inline += 1;
                    self.plain_to(start + 1);
                }
                b'}' => {
                    inline = inline.saturating_sub(1);
                    self.plain_to(start + 1);
                }
                b'[' | b']' => self.plain_to(start + 1),
                _ if key && (is_ident(c) || c == b'-') => {
                    let mut e = start;
                    while e < b.len() && (is_ident(b[e]) || b[e] == b'-') {
                        e += 1;
                    }
                    self.emit(e, Some(PROPERTY));
                }
                b'.' if key => self.plain_to(start + 1),
                _ if c.is_ascii_digit() || c == b'+' || c == b'-' => {
                    let mut e = start + 1;
                    while e < b.len()
                        && !matches!(b[e], b' ' | b'\t' | b'\n' | b',' | b']' | b'}' | b'#')
                    {
                        e += 1;
                    }
                    let w = &b[start..e];
                    // Dates and times have `-` or `:` inside.
                    let date = w.len() > 4 && w[1..].iter().any(|&c| c == b'-' || c == b':');
                    self.emit(e, Some(if date { STRING_SPECIAL } else { NUMBER }));
                }
                _ if c.is_ascii_alphabetic() => {
                    let e = self.ident_end(start);
                    let cap = match &b[start..e] {
                        b"true" | b"false" => Some(BOOLEAN),
                        b"inf" | b"nan" => Some(NUMBER),
                        _ => None,
                    };
                    self.emit(e, cap);
                }
                _ => self.plain_to(start + 1),
            }
        }
    }

    fn yaml(&mut self) {
        let b = self.b;
        // The indentation of the line that opened a block scalar (`|`, `>`), while in one.
        let mut block: Option<usize> = None;
        while self.i < b.len() {
            let line_end = self.line_end(self.i);
            let indent = self.skip_ws_end(self.i) - self.i;
            if let Some(outer) = block {
                let blank = self.skip_ws_end(self.i) >= line_end;
                if blank || indent > outer {
                    self.emit(self.i + indent.min(outer + 1), None);
                    self.emit(line_end, Some(STRING));
                    self.plain_to((line_end + 1).min(b.len()));
                    continue;
                }
                block = None;
            }
            // Indentation and list markers.
            let mut j = self.i;
            while j < line_end
                && (b[j] == b' '
                    || b[j] == b'\t'
                    || (b[j] == b'-' && matches!(b.get(j + 1), Some(b' ') | Some(b'\n') | None)))
            {
                j += 1;
            }
            if b[self.i..line_end].starts_with(b"---") || b[self.i..line_end].starts_with(b"...") {
                self.emit(line_end, Some(KEYWORD));
            } else {
                self.emit(j, None);
                // `key:` at the start of the line.
                if let Some(colon) = yaml_key_end(&b[j..line_end]) {
                    if matches!(b[j], b'"' | b'\'') {
                        self.emit(j + colon, Some(KEY));
                    } else {
                        self.emit(j + colon, Some(PROPERTY));
                    }
                    self.plain_to(j + colon + 1);
                }
                if self.yaml_value(line_end) {
                    block = Some(indent);
                }
            }
            self.plain_to((line_end + 1).min(b.len()));
        }
    }

    /// A YAML value from here to `end`: a comment, a quoted string, an anchor or a scalar. True
    /// if it opens a block scalar.
    fn yaml_value(&mut self, end: usize) -> bool {
        let b = self.b;
        let mut opens_block = false;
        while self.i < end {
            let c = b[self.i];
            let start = self.i;
            match c {
                b' ' | b'\t' | b',' | b'[' | b']' | b'{' | b'}' => self.plain_to(start + 1),
                b'#' if start == 0 || b[start - 1] == b' ' || b[start - 1] == b'\t' => {
                    self.emit(end, Some(COMMENT))
                }
                b'"' => self.string(1, b"\"", true, false),
                b'\'' => self.string(1, b"'", false, false),
                b'&' | b'*' => {
                    let mut e = start + 1;
                    while e < end && !matches!(b[e], b' ' | b',' | b']' | b'}') {
                        e += 1;
                    }
                    self.emit(e, Some(LABEL));
                }
                b'!' => {
                    let mut e = start + 1;
                    while e < end && b[e] != b' ' {
                        e += 1;
                    }
                    self.emit(e, Some(TYPE));
                }
                b'|' | b'>'
                    if start + 1 >= end
                        || matches!(b[start + 1], b' ' | b'-' | b'+' | b'0'..=b'9') =>
                {
                    let mut e = start + 1;
                    while e < end && !matches!(b[e], b' ' | b'#') {
                        e += 1;
                    }
                    self.emit(e, Some(STRING));
                    opens_block = true;
                }
                _ => {
                    // A plain scalar runs to a comment or the end of the line (or a flow separator).
                    let mut e = start;
                    while e < end
                        && !(b[e] == b'#' && e > start && b[e - 1] == b' ')
                        && !matches!(b[e], b',' | b']' | b'}')
                    {
                        e += 1;
                    }
                    let mut t = e;
                    while t > start && b[t - 1] == b' ' {
                        t -= 1;
                    }
                    let w = &b[start..t];
                    let cap =
                        if matches!(w, b"true" | b"false" | b"True" | b"False" | b"yes" | b"no") {
                            Some(BOOLEAN)
                        } else if matches!(w, b"null" | b"~" | b"Null" | b"NULL") {
                            Some(CONSTANT_BUILTIN)
                        } else if !w.is_empty()
                            && (w[0].is_ascii_digit()
                                || (w.len() > 1
                                    && matches!(w[0], b'-' | b'+' | b'.')
                                    && w[1].is_ascii_digit()))
                            && w.iter()
                                .all(|c| c.is_ascii_alphanumeric() || b"._+-:".contains(c))
                        {
                            Some(NUMBER)
                        } else {
                            Some(STRING)
                        };
                    self.emit(t, cap);
                    self.plain_to(e);
                }
            }
        }
        opens_block
    }

    fn css(&mut self, stop: usize) {
        let b = self.b;
        // Inside a `{ … }` declaration block (after a selector).
        let mut depth = 0usize;
        let mut value = false;
        while self.i < stop {
            let c = b[self.i];
            let start = self.i;
            if self.at("/*") {
                let mut j = start + 2;
                while j < stop && !b[j..].starts_with(b"*/") {
                    j += 1;
                }
                self.emit((j + 2).min(stop), Some(COMMENT));
                continue;
            }
            match c {
                b'{' => {
                    depth += 1;
                    value = false;
                    self.plain_to(start + 1);
                }
                b'}' => {
                    depth = depth.saturating_sub(1);
                    value = false;
                    self.plain_to(start + 1);
                }
                b';' => {
                    value = false;
                    self.plain_to(start + 1);
                }
                b':' if depth > 0 && !value => {
                    value = true;
                    self.plain_to(start + 1);
                }
                b'"' | b'\'' => self.string(1, &[c], true, false),
                b'@' => {
                    let e = self.css_word_end(start + 1);
                    self.emit(e, Some(KEYWORD));
                }
                b'!' if self.at("!important") => self.emit(start + 10, Some(KEYWORD)),
                b'#' if value => {
                    let e = self.css_word_end(start + 1);
                    self.emit(e, Some(STRING_SPECIAL));
                }
                // Selectors: `.class`, `#id`, `:pseudo`, `[attr=value]`, combinators.
                b'.' | b'#' | b':' if !value => {
                    let mut e = start + 1;
                    if c == b':' && b.get(e) == Some(&b':') {
                        e += 1;
                    }
                    self.plain_to(e);
                    let e = self.css_word_end(e);
                    let cap = match c {
                        b'.' => PROPERTY,
                        b'#' => CONSTANT,
                        _ => ATTRIBUTE,
                    };
                    self.emit(e, Some(cap));
                }
                b'[' if !value => {
                    self.plain_to(start + 1);
                    let e = self.css_word_end(self.i);
                    self.emit(e, Some(ATTRIBUTE));
                }
                b'=' | b'>' | b'~' | b'+' if !value => self.emit(start + 1, Some(OPERATOR)),
                _ if c.is_ascii_digit()
                    || ((c == b'-' || c == b'.') && self.peek(1).is_ascii_digit()) =>
                {
                    let mut e = start + 1;
                    while e < stop && (b[e].is_ascii_digit() || b[e] == b'.') {
                        e += 1;
                    }
                    let unit_end = self.css_word_end(e);
                    let unit_end = if b.get(unit_end) == Some(&b'%') {
                        unit_end + 1
                    } else {
                        unit_end
                    };
                    // Units show as part of the number.
                    self.emit(unit_end, Some(NUMBER));
                }
                _ if is_ident_start(c) || c == b'-' => {
                    let e = self.css_word_end(start);
                    let cap = if value {
                        if b.get(e) == Some(&b'(') {
                            Some(FUNCTION)
                        } else {
                            None
                        }
                    } else if depth > 0 && matches!(b.get(self.skip_ws_end(e)), Some(b':')) {
                        Some(PROPERTY)
                    } else {
                        Some(TAG)
                    };
                    self.emit(e, cap);
                }
                _ => self.plain_to(start + 1),
            }
        }
    }

    fn css_word_end(&self, mut j: usize) -> usize {
        while j < self.b.len() && (is_ident(self.b[j]) || self.b[j] == b'-') {
            j += 1;
        }
        j
    }

    fn html(&mut self) {
        let b = self.b;
        while self.i < b.len() {
            let start = self.i;
            if self.at("<!--") {
                let e = find(b, start + 4, b"-->").map_or(b.len(), |p| p + 3);
                self.emit(e, Some(COMMENT));
                continue;
            }
            if self.at("<!") {
                let e = find(b, start, b">").map_or(b.len(), |p| p + 1);
                self.emit(e, Some(CONSTANT));
                continue;
            }
            if b[start] == b'<' && (is_ident_start(self.peek(1)) || self.peek(1) == b'/') {
                let closing = self.peek(1) == b'/';
                let name_start = start + 1 + usize::from(closing);
                let mut name_end = name_start;
                while name_end < b.len() && (is_ident(b[name_end]) || b[name_end] == b'-') {
                    name_end += 1;
                }
                self.plain_to(name_start);
                let name = b[name_start..name_end].to_ascii_lowercase();
                self.emit(name_end, Some(TAG));
                // Attributes.
                while self.i < b.len() && b[self.i] != b'>' {
                    let c = b[self.i];
                    if c == b'"' || c == b'\'' {
                        // The quotes plain, the value a string.
                        let end = find(b, self.i + 1, &[c]).unwrap_or(b.len());
                        self.plain_to(self.i + 1);
                        self.emit(end, Some(STRING));
                        self.plain_to(end + 1);
                    } else if is_ident_start(c) {
                        let mut e = self.i;
                        while e < b.len()
                            && !matches!(b[e], b' ' | b'\t' | b'\n' | b'=' | b'>' | b'/')
                        {
                            e += 1;
                        }
                        self.emit(e, Some(PROPERTY));
                    } else {
                        self.plain_to(self.i + 1);
                    }
                }
                self.plain_to((self.i + 1).min(b.len()));
                // The contents of <script> and <style>, in their languages.
                if !closing && (name == b"script" || name == b"style") {
                    let close: &[u8] = if name == b"script" {
                        b"</script"
                    } else {
                        b"</style"
                    };
                    let end = find_ignore_case(b, self.i, close).unwrap_or(b.len());
                    let outer = self.lang;
                    if name == b"script" {
                        self.lang = JS;
                        self.clike(&JAVASCRIPT, end);
                    } else {
                        self.lang = CSS;
                        self.css(end);
                    }
                    self.plain_to(end);
                    self.lang = outer;
                }
                continue;
            }
            let mut e = start + 1;
            while e < b.len() && b[e] != b'<' {
                e += 1;
            }
            self.plain_to(e);
        }
    }
}

const BASH_KEYWORDS: &[&str] = &[
    "case", "declare", "do", "done", "elif", "else", "esac", "export", "fi", "for", "function",
    "if", "in", "local", "readonly", "return", "select", "then", "typeset", "unset", "until",
    "while",
];

/// The capture of a word in one of a language's word lists.
fn listed(s: &Spec, word: &str) -> Option<usize> {
    [
        (s.keywords, KEYWORD),
        (s.more_keywords, KEYWORD),
        (s.booleans, BOOLEAN),
        (s.constants, CONSTANT_BUILTIN),
        (s.variables, VARIABLE_BUILTIN),
        (s.types, TYPE_BUILTIN),
    ]
    .into_iter()
    .find(|(list, _)| list.contains(&word))
    .map(|(_, cap)| cap)
}

fn as_str(w: &[u8]) -> &str {
    std::str::from_utf8(w).unwrap_or("")
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

fn find_ignore_case(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|p| from + p)
}

/// Whether an operator run is an operator (colourable) rather than plain punctuation.
fn is_operator(op: &[u8], s: &Spec) -> bool {
    match op {
        b"" => false,
        // Generic brackets and paths stay plain; so do `:` and `?` alone in most languages.
        // (a lone `|` mostly opens or closes a closure's parameters)
        b"<" | b">" | b"<=" | b">=" | b"::" | b":" | b"?" | b"->" | b"=>" | b"|" if s.rust => {
            matches!(op, b"=>")
        }
        b":" | b"?" | b"." | b"::" => false,
        _ => op.iter().all(|c| b"+-*/%=<>!&|^~?:".contains(c)),
    }
}

/// In a YAML line (indentation removed), where `key:` ends (the `:` position), if it is one.
fn yaml_key_end(line: &[u8]) -> Option<usize> {
    if line.is_empty()
        || matches!(
            line[0],
            b'#' | b'[' | b'{' | b'&' | b'*' | b'!' | b'|' | b'>'
        )
    {
        return None;
    }
    let mut j = 0;
    if matches!(line[0], b'"' | b'\'') {
        let q = line[0];
        j = 1;
        while j < line.len() && line[j] != q {
            j += 1;
        }
        j += 1;
    }
    while j < line.len() {
        if line[j] == b':' && (j + 1 == line.len() || line[j + 1] == b' ' || line[j + 1] == b'\t') {
            return Some(j);
        }
        if line[j] == b'#' && j > 0 && line[j - 1] == b' ' {
            return None;
        }
        j += 1;
    }
    None
}
