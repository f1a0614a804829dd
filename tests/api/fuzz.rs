//! Generated requests against a running server: whatever a client sends, the server answers
//! (no panic, no hang, no 5xx), answers JSON when it says JSON, gives every resolver error a
//! stable `extensions.code`, and keeps the graph consistent (in memory and on disk) even when
//! the requests that got through were mutations.
//!
//! Requests come from four generators:
//! - GraphQL documents built from the live schema (`skillgraph::graphql::sdl()`, parsed here):
//!   real field and argument names, random nesting, aliases, fragments, directives and
//!   variables, with argument values drawn from a pool of hostile values (empty, 100k-character
//!   and unicode strings, invalid slugs, levels -1/0/6/2^31, nulls, nested input objects) and
//!   sometimes of the wrong type; sent as POST (mostly JSON, sometimes another content type),
//!   as GET, or batched; with or without the admin token;
//! - random bytes as bodies;
//! - random JSON values as bodies (and as variables objects);
//! - random query strings over GET.
//!
//! A document is interpreted from a tape of random numbers, so proptest shrinks a failing
//! document by shrinking the tape (a zero is always the simplest choice).
//!
//! `PROPTEST_CASES` sets the number of cases (300 by default); `SKILLGRAPH_FUZZ_SEED` the seed
//! (fixed by default, so a run is reproducible); `SKILLGRAPH_FUZZ_TRACE=1` prints every request
//! and the start of its answer.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Once;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use async_graphql::parser::types::{BaseType, Type, TypeKind, TypeSystemDefinition};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use serde_json::{Value, json};

use skillgraph::http::ServerConfig;

use crate::helpers::{ADMIN_TOKEN, TestApp, test_config};

const DEFAULT_CASES: u32 = 300;
const DEFAULT_SEED: u64 = 0x00f0_220a_5eed;
/// Threads of the fuzzing runtime are named so, and panics on them are counted.
const THREAD_NAME: &str = "fuzz-server";

/// The codes the README promises; `INTERNAL` is among them but means a storage failure, which
/// no request should cause.
const CODES: &[&str] = &[
    "NOT_FOUND",
    "CYCLE",
    "INVALID_INPUT",
    "CONFLICT",
    "UNAUTHENTICATED",
    "LIMIT_EXCEEDED",
    "GRAPHQL_PARSE_FAILED",
    "GRAPHQL_VALIDATION_FAILED",
    "PERSISTED_QUERY_NOT_FOUND",
    // `publishSnapshot` on a server that does not publish to NATS, as the test server does not.
    "UNAVAILABLE",
];

// ---------------------------------------------------------------------------------------------
// The schema, as the generator sees it
// ---------------------------------------------------------------------------------------------

struct Field {
    name: String,
    args: Vec<Arg>,
    ty: Type,
}

struct Arg {
    name: String,
    ty: Type,
    has_default: bool,
}

impl Arg {
    fn required(&self) -> bool {
        !self.ty.nullable && !self.has_default
    }
}

enum Kind {
    Object(Vec<Field>),
    Union(Vec<String>),
    Enum(Vec<String>),
    Input(Vec<Arg>),
    Scalar,
}

struct SchemaModel {
    types: BTreeMap<String, Kind>,
}

impl SchemaModel {
    fn parse(sdl: &str) -> SchemaModel {
        let document = async_graphql::parser::parse_schema(sdl).expect("the served SDL parses");
        let args = |list: &[async_graphql::Positioned<
            async_graphql::parser::types::InputValueDefinition,
        >]| {
            list.iter()
                .map(|a| Arg {
                    name: a.node.name.node.to_string(),
                    ty: a.node.ty.node.clone(),
                    has_default: a.node.default_value.is_some(),
                })
                .collect::<Vec<_>>()
        };
        let mut types = BTreeMap::new();
        for definition in document.definitions {
            let TypeSystemDefinition::Type(t) = definition else {
                continue;
            };
            let t = t.node;
            let kind = match t.kind {
                TypeKind::Object(o) => Kind::Object(
                    o.fields
                        .iter()
                        .map(|f| Field {
                            name: f.node.name.node.to_string(),
                            args: args(&f.node.arguments),
                            ty: f.node.ty.node.clone(),
                        })
                        .collect(),
                ),
                TypeKind::Union(u) => {
                    Kind::Union(u.members.iter().map(|m| m.node.to_string()).collect())
                }
                TypeKind::Enum(e) => Kind::Enum(
                    e.values
                        .iter()
                        .map(|v| v.node.value.node.to_string())
                        .collect(),
                ),
                TypeKind::InputObject(i) => Kind::Input(args(&i.fields)),
                TypeKind::Scalar | TypeKind::Interface(_) => Kind::Scalar,
            };
            types.insert(t.name.node.to_string(), kind);
        }
        for root in ["Query", "Mutation", "Subscription"] {
            assert!(
                matches!(types.get(root), Some(Kind::Object(_))),
                "the SDL has no {root} type"
            );
        }
        SchemaModel { types }
    }

    fn kind(&self, name: &str) -> &Kind {
        self.types.get(name).unwrap_or(&Kind::Scalar)
    }

    /// Every input field name of the schema: keys for random objects.
    fn input_names(&self) -> Vec<&str> {
        let mut names = BTreeSet::new();
        for kind in self.types.values() {
            if let Kind::Input(fields) = kind {
                names.extend(fields.iter().map(|f| f.name.as_str()));
            }
        }
        names.into_iter().collect()
    }
}

fn named(ty: &Type) -> &str {
    match &ty.base {
        BaseType::Named(name) => name.as_str(),
        BaseType::List(inner) => named(inner),
    }
}

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

/// The raw material for argument values, generated by proptest.
#[derive(Clone, Debug)]
struct Pool {
    strings: Vec<String>,
    ints: Vec<i64>,
    floats: Vec<f64>,
    /// Literals written as they are: out-of-range numbers and broken syntax.
    raw: Vec<&'static str>,
}

/// Ids the documents share across cases, so that one case's mutations meet the next one's
/// queries: seeded skills, roles and categories, ids only the fuzzer creates, and missing ones.
const SKILL_IDS: &[&str] = &[
    "python",
    "sql",
    "rag",
    "statistics",
    "git",
    "transformers",
    "embeddings",
    "docker",
    "fuzz-a",
    "fuzz-b",
    "fuzz-c",
    "fuzz-d",
    "fuzz-e",
    "no-such-skill",
];
const ROLE_IDS: &[&str] = &[
    "ml-engineer",
    "ai-engineer",
    "software-engineer",
    "data-scientist",
    "fuzz-role",
    "fuzz-role-2",
    "no-such-role",
];
const CATEGORY_IDS: &[&str] = &[
    "programming",
    "math",
    "ml",
    "genai",
    "fuzz-category",
    "fuzz-sub",
    "no-such-category",
];

/// Cursors: offsets (what cursors were before issue 9) in and out of range (up to u64::MAX,
/// which once overflowed: see `a_cursor_at_the_end_of_the_integer_range_gets_an_answer`),
/// things that are not offsets, and base64url payloads cut short, of an unknown version, or
/// with a text length past their end.
const CURSORS: &[&str] = &[
    "AQ",
    "AgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA__8",
    "0",
    "1",
    "19",
    "81",
    "99",
    "100000",
    "-1",
    "",
    " 1",
    "1e3",
    "abc",
    "9223372036854775807",
    "18446744073709551614",
    "18446744073709551615",
    "18446744073709551616",
];

/// The ids an `ID` argument or input field plausibly takes, from its `owner.name`.
fn ids_for(hint: &str) -> &'static [&'static str] {
    let hint = hint.to_ascii_lowercase();
    let (owner, name) = hint.rsplit_once('.').unwrap_or(("", hint.as_str()));
    if name == "role" || name == "roles" || (name == "to" && owner == "rolegap") {
        ROLE_IDS
    } else if name == "category" || name == "parent" {
        CATEGORY_IDS
    } else if name == "id" && owner.contains("role") {
        ROLE_IDS
    } else if name == "id" && owner.contains("category") {
        CATEGORY_IDS
    } else {
        SKILL_IDS
    }
}

fn hostile_string() -> BoxedStrategy<String> {
    prop_oneof![
        4 => proptest::sample::select(
            [SKILL_IDS, ROLE_IDS, CATEGORY_IDS].concat()
        )
        .prop_map(str::to_owned),
        2 => Just(String::new()),
        2 => "[a-z][a-z0-9-]{0,24}",
        2 => proptest::sample::select(vec![
            "UPPER",
            "with space",
            "-leading-dash",
            "trailing-dash-",
            "double--dash",
            "under_score",
            "dot.ted",
            "slash/ed",
            "nul\u{0}byte",
            "tab\there",
            "new\nline",
            "quote\"d",
            "back\\slash",
            "ünïcödé",
            "🦀-crab",
            "日本語",
            "\u{202e}rtl",
            "esco:0005c151-5b5a-4a66-8aac-60e734beb1ab",
            "onet:15-1252.00",
            "0",
            "-1",
            "18446744073709551614",
            "99999999999999999999999",
            "Y3Vyc29y",
            "null",
            "{ stats { skills } }",
        ])
        .prop_map(str::to_owned),
        2 => "\\PC{0,40}",
        1 => (0usize..=100_000).prop_map(|n| "x".repeat(n)),
        1 => (0usize..=30_000).prop_map(|n| "é🦀".repeat(n)),
    ]
    .boxed()
}

fn hostile_int() -> BoxedStrategy<i64> {
    prop_oneof![
        4 => 1i64..=5,
        1 => Just(-1i64),
        1 => Just(0i64),
        1 => Just(6i64),
        1 => Just(1i64 << 31),
        1 => Just((1i64 << 31) - 1),
        1 => Just(-(1i64 << 31)),
        1 => Just(-(1i64 << 31) - 1),
        1 => Just(i64::MAX),
        1 => Just(i64::MIN),
        2 => 0i64..=200,
        1 => any::<i64>(),
    ]
    .boxed()
}

fn pool() -> impl Strategy<Value = Pool> {
    (
        prop::collection::vec(hostile_string(), 1..6),
        prop::collection::vec(hostile_int(), 1..6),
        prop::collection::vec(
            prop_oneof![
                Just(0.0),
                Just(-0.0),
                Just(1.5),
                Just(1e308),
                Just(-1e-308),
                -1e6..1e6f64
            ],
            1..3,
        ),
        prop::collection::vec(
            proptest::sample::select(vec![
                "99999999999999999999",
                "-99999999999999999999",
                "1e999",
                "0x10",
                "01",
                "1.",
                ".5",
                "\"unterminated",
                "\"\"\"block \"\" string\"\"\"",
                "$",
                "[1, [2, [3]]]",
                "{ nested: { deeper: { deepest: [null] } } }",
                "TRUE",
                "Null",
            ]),
            1..3,
        ),
    )
        .prop_map(|(strings, ints, floats, raw)| Pool {
            strings,
            ints,
            floats,
            raw,
        })
}

/// A GraphQL input value, written as a literal or as variables JSON.
#[derive(Clone, Debug)]
enum Lit {
    Null,
    Int(i64),
    Float(f64),
    Str(String),
    Bool(bool),
    Enum(String),
    List(Vec<Lit>),
    Object(Vec<(String, Lit)>),
    Var(String),
    Raw(&'static str),
}

impl Lit {
    fn graphql(&self) -> String {
        match self {
            Lit::Null => "null".into(),
            Lit::Int(i) => i.to_string(),
            Lit::Float(f) => format!("{f:?}"),
            // JSON string syntax is GraphQL string syntax.
            Lit::Str(s) => serde_json::to_string(s).expect("a string serializes"),
            Lit::Bool(b) => b.to_string(),
            Lit::Enum(e) => e.clone(),
            Lit::List(items) => format!(
                "[{}]",
                items
                    .iter()
                    .map(Lit::graphql)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Lit::Object(entries) => format!(
                "{{{}}}",
                entries
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", v.graphql()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Lit::Var(name) => format!("${name}"),
            Lit::Raw(text) => (*text).to_owned(),
        }
    }

    fn json(&self) -> Value {
        match self {
            Lit::Null | Lit::Var(_) => Value::Null,
            Lit::Int(i) => json!(i),
            Lit::Float(f) => json!(f),
            Lit::Str(s) => json!(s),
            Lit::Bool(b) => json!(b),
            Lit::Enum(e) => json!(e),
            Lit::List(items) => Value::Array(items.iter().map(Lit::json).collect()),
            Lit::Object(entries) => {
                Value::Object(entries.iter().map(|(k, v)| (k.clone(), v.json())).collect())
            }
            Lit::Raw(text) => json!(text),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------------------------

/// Interprets a tape of random numbers as a GraphQL document over the schema.
///
/// A document's `chaos` decides how far it strays from the schema: at 0 it is valid (unique
/// aliases, every required argument, values of the declared types, if hostile ones: empty,
/// huge, out-of-range, unknown ids), so it reaches the resolvers; at 1 and 2 it also gets
/// unknown fields and arguments, values of the wrong type, missing or extra selections, broken
/// variables and broken syntax, more often at 2.
struct Gen<'a> {
    tape: &'a [u16],
    pos: usize,
    pool: &'a Pool,
    schema: &'a SchemaModel,
    input_names: Vec<&'a str>,
    chaos: usize,
    /// Declared variables: name, declared type, value (`None`: left out of the variables).
    vars: Vec<(String, String, Option<Value>)>,
    fragments: Vec<String>,
    fragment_names: usize,
    aliases: usize,
    fields_left: usize,
    max_depth: usize,
}

/// A generated document and how to send it.
struct Document {
    text: String,
    operation_name: Option<String>,
    variables: Value,
}

/// Aliases that collide with field names: only in chaotic documents.
const ALIASES: &[&str] = &["id", "skill", "stats", "__typename", "node", "name"];

impl<'a> Gen<'a> {
    fn new(tape: &'a [u16], pool: &'a Pool, schema: &'a SchemaModel) -> Self {
        Gen {
            tape,
            pos: 0,
            pool,
            schema,
            input_names: schema.input_names(),
            chaos: 0,
            vars: Vec::new(),
            fragments: Vec::new(),
            fragment_names: 0,
            aliases: 0,
            fields_left: 0,
            max_depth: 0,
        }
    }

    /// The next number of the tape; past its end, 0: the simplest choice.
    fn next(&mut self) -> usize {
        let value = self.tape.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        usize::from(value)
    }

    fn pick(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { self.next() % n }
    }

    /// True `percent` % of the time on a random tape, never on zeros.
    fn chance(&mut self, percent: usize) -> bool {
        self.next() % 100 >= 100 - percent.min(100)
    }

    /// A deliberate mistake: never in a clean document, more often the more chaotic it is.
    fn oops(&mut self, percent: usize) -> bool {
        self.chaos > 0 && self.chance(percent * self.chaos)
    }

    fn pool_string(&mut self) -> String {
        self.pool.strings[self.pick(self.pool.strings.len())].clone()
    }

    fn pool_int(&mut self) -> i64 {
        self.pool.ints[self.pick(self.pool.ints.len())]
    }

    fn pool_float(&mut self) -> f64 {
        self.pool.floats[self.pick(self.pool.floats.len())]
    }

    fn document(&mut self) -> Document {
        self.chaos = match self.pick(8) {
            0..=3 => 0,
            4..=6 => 1,
            _ => 2,
        };
        self.max_depth = 1 + self.pick(17);
        self.fields_left = 5 + self.pick(60);
        let (keyword, root) = match self.pick(20) {
            0..=10 => ("query", "Query"),
            11..=18 => ("mutation", "Mutation"),
            _ => ("subscription", "Subscription"),
        };
        let body = if self.chance(2) {
            // Wide: many aliased copies of one field, around the complexity limit.
            let n = 100 + self.pick(2_400);
            let fields: Vec<String> = (0..n)
                .map(|i| format!("a{i}: stats {{ revision }}"))
                .collect();
            format!("{{ {} }}", fields.join(" "))
        } else {
            self.selection_set(root, 0)
        };
        let name = self.chance(25).then(|| format!("Op{}", self.pick(3)));
        let mut declarations: Vec<String> = self
            .vars
            .iter()
            .map(|(name, ty, _)| format!("${name}: {ty}"))
            .collect();
        if !declarations.is_empty() && self.oops(5) {
            let i = self.pick(declarations.len());
            declarations.remove(i); // an undeclared variable
        }
        if !declarations.is_empty() && self.oops(3) {
            declarations.push(declarations[0].clone()); // declared twice
        }
        let mut variables = serde_json::Map::new();
        for (name, _, value) in &self.vars {
            if let Some(value) = value {
                variables.insert(name.clone(), value.clone());
            }
        }
        let shorthand = keyword == "query" && name.is_none() && declarations.is_empty();
        let mut text = if shorthand && self.chance(50) {
            body
        } else {
            let declarations = if declarations.is_empty() {
                String::new()
            } else {
                format!("({})", declarations.join(", "))
            };
            format!(
                "{keyword} {}{declarations} {body}",
                name.clone().unwrap_or_default()
            )
        };
        for fragment in &self.fragments {
            text.push(' ');
            text.push_str(fragment);
        }
        // A second operation: valid only when both are named and one is chosen.
        if (name.is_some() && self.chance(10)) || self.oops(4) {
            text.push_str(" query Other { stats { skills } }");
        }
        if self.oops(4) {
            let mut cut = self.pick(text.len() + 1);
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
        }
        if self.oops(4) {
            const NOISE: &[&str] = &[
                "{", "}", "(", ")", "$", "@", "!", ":", "\"", "\\", "#", "\0", "…", "...",
            ];
            let mut at = self.pick(text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let noise = NOISE[self.pick(NOISE.len())];
            text.insert_str(at, noise);
        }
        let operation_name = if self.oops(10) {
            ["NoSuchOperation", "Other", ""][self.pick(3)]
                .to_owned()
                .into()
        } else {
            name
        };
        Document {
            text,
            operation_name,
            variables: Value::Object(variables),
        }
    }

    fn selection_set(&mut self, type_name: &str, depth: usize) -> String {
        let schema = self.schema;
        let mut out = String::from("{");
        match schema.kind(type_name) {
            Kind::Object(fields) => {
                let count = 1 + self.pick(4);
                for _ in 0..count {
                    out.push(' ');
                    if self.chance(4) {
                        out.push_str("__typename");
                    } else if self.oops(3) {
                        out.push_str("noSuchField");
                    } else if self.chance(3) && depth + 1 < self.max_depth {
                        let inner = self.selection_set(type_name, depth + 1);
                        out.push_str(&format!("... on {type_name} {inner}"));
                    } else if self.chance(3) && depth + 1 < self.max_depth {
                        self.fragment_names += 1;
                        let name = format!("F{}", self.fragment_names);
                        let inner = self.selection_set(type_name, depth + 1);
                        self.fragments
                            .push(format!("fragment {name} on {type_name} {inner}"));
                        out.push_str(&format!("...{name}"));
                    } else {
                        let field = &fields[self.pick(fields.len())];
                        out.push_str(&self.field(field, depth));
                    }
                }
            }
            Kind::Union(members) => {
                out.push_str(" __typename");
                for member in members {
                    if self.chance(70) && depth + 1 < self.max_depth {
                        let inner = self.selection_set(member, depth + 1);
                        out.push_str(&format!(" ... on {member} {inner}"));
                    }
                }
            }
            _ => out.push_str(" __typename"),
        }
        out.push_str(" }");
        out
    }

    fn field(&mut self, field: &Field, depth: usize) -> String {
        self.fields_left = self.fields_left.saturating_sub(1);
        let mut out = String::new();
        if self.oops(10) {
            out.push_str(ALIASES[self.pick(ALIASES.len())]);
            out.push_str(": ");
        } else if !field.args.is_empty() || self.chance(15) {
            // Unique aliases: the same field with other arguments never conflicts.
            self.aliases += 1;
            out.push_str(&format!("f{}: ", self.aliases));
        }
        out.push_str(&field.name);
        let mut args = Vec::new();
        for arg in &field.args {
            let include = if arg.required() {
                !self.oops(4)
            } else {
                self.chance(40)
            };
            if include {
                let value = self.argument(&arg.ty, &format!("{}.{}", field.name, arg.name));
                args.push(format!("{}: {}", arg.name, value.graphql()));
            }
        }
        if self.oops(3) {
            // An unknown argument, or a real one given twice.
            let name = match field.args.first() {
                Some(arg) if self.chance(50) => arg.name.clone(),
                _ => "bogus".to_owned(),
            };
            let value = self.random_lit(0);
            args.push(format!("{name}: {}", value.graphql()));
        }
        if !args.is_empty() {
            out.push_str(&format!("({})", args.join(", ")));
        }
        if self.chance(4) {
            let directive = if self.oops(10) {
                "deprecated"
            } else {
                ["include", "skip"][self.pick(2)]
            };
            let condition = if self.chance(30) {
                self.argument(&Type::new("Boolean!").expect("a type"), "if")
            } else {
                Lit::Bool(self.chance(50))
            };
            out.push_str(&format!(" @{directive}(if: {})", condition.graphql()));
        }
        let target = named(&field.ty);
        match self.schema.kind(target) {
            Kind::Object(_) | Kind::Union(_) => {
                if self.oops(2) {
                    // No selection on an object: a validation error.
                } else if depth + 1 >= self.max_depth || self.fields_left == 0 {
                    out.push_str(" { __typename }");
                } else {
                    out.push(' ');
                    out.push_str(&self.selection_set(target, depth + 1));
                }
            }
            _ => {
                if self.oops(2) {
                    out.push_str(" { id }"); // a selection on a leaf
                }
            }
        }
        out
    }

    /// An argument's value: usually a literal, sometimes a variable.
    fn argument(&mut self, ty: &Type, hint: &str) -> Lit {
        if self.chance(15) {
            let name = format!("v{}", self.vars.len());
            let declared = if self.oops(10) {
                [
                    "String",
                    "Int!",
                    "[ID!]!",
                    "Boolean",
                    "SkillInput",
                    "NoSuchType",
                    "ID",
                ][self.pick(7)]
                .to_owned()
            } else {
                ty.to_string()
            };
            let value = if self.oops(8) || (ty.nullable && self.chance(10)) {
                None
            } else {
                Some(self.value(ty, 0, hint).json())
            };
            self.vars.push((name.clone(), declared, value));
            return Lit::Var(name);
        }
        self.value(ty, 0, hint)
    }

    /// A value of type `ty`; `hint` (`owner.name` of the argument or input field) says which
    /// kind of id an `ID` names.
    fn value(&mut self, ty: &Type, depth: usize, hint: &str) -> Lit {
        if self.oops(6) {
            return self.random_lit(depth);
        }
        if ty.nullable && self.chance(8) {
            return Lit::Null;
        }
        match &ty.base {
            BaseType::List(inner) => {
                if self.chance(10) {
                    return self.value(inner, depth + 1, hint); // one value where a list goes
                }
                let n = self.pick(4);
                Lit::List((0..n).map(|_| self.value(inner, depth + 1, hint)).collect())
            }
            BaseType::Named(name) => match name.as_str() {
                // Half the ints and ids are plausible, so that requests get past the input
                // checks to the graph: a level, a count, an id that exists or may be created.
                "Int" if self.chance(50) => Lit::Int(self.pick(7) as i64 - 1),
                "Int" => Lit::Int(self.pool_int()),
                "Float" => Lit::Float(self.pool_float()),
                "ID" if self.chance(10) => Lit::Int(self.pool_int()),
                "ID" if self.chance(70) => {
                    let ids = ids_for(hint);
                    Lit::Str(ids[self.pick(ids.len())].into())
                }
                "String" if hint.ends_with(".after") && self.chance(60) => {
                    Lit::Str(CURSORS[self.pick(CURSORS.len())].into())
                }
                "String" | "ID" => Lit::Str(self.pool_string()),
                "Boolean" => Lit::Bool(self.chance(50)),
                other => {
                    let schema = self.schema;
                    match schema.kind(other) {
                        Kind::Enum(values) => {
                            if self.oops(5) {
                                Lit::Enum("NOT_A_VALUE".into())
                            } else if self.oops(5) {
                                Lit::Str(values[self.pick(values.len())].clone())
                            } else {
                                Lit::Enum(values[self.pick(values.len())].clone())
                            }
                        }
                        Kind::Input(fields) => {
                            let mut entries = Vec::new();
                            for f in fields {
                                let include = if f.required() {
                                    !self.oops(4)
                                } else {
                                    depth < 6 && self.chance(50)
                                };
                                if include {
                                    let hint = format!("{other}.{}", f.name);
                                    entries.push((
                                        f.name.clone(),
                                        self.value(&f.ty, depth + 1, &hint),
                                    ));
                                }
                            }
                            if self.oops(4) {
                                entries.push(("unknownField".into(), self.random_lit(depth + 1)));
                            }
                            Lit::Object(entries)
                        }
                        _ => Lit::Str(self.pool_string()),
                    }
                }
            },
        }
    }

    /// A value of any type, for any place.
    fn random_lit(&mut self, depth: usize) -> Lit {
        let max = if depth > 3 { 7 } else { 9 };
        match self.pick(max) {
            0 => Lit::Null,
            1 => Lit::Int(self.pool_int()),
            2 => Lit::Float(self.pool_float()),
            3 => Lit::Str(self.pool_string()),
            4 => Lit::Bool(self.chance(50)),
            5 => Lit::Enum(
                ["REQUIRED", "ESSENTIAL", "OPTIONAL", "COURSE", "BOGUS"][self.pick(5)].into(),
            ),
            6 => Lit::Raw(self.pool.raw[self.pick(self.pool.raw.len())]),
            7 => {
                let n = self.pick(4);
                Lit::List((0..n).map(|_| self.random_lit(depth + 1)).collect())
            }
            _ => {
                let n = self.pick(4);
                let entries = (0..n)
                    .map(|_| {
                        let i = self.pick(self.input_names.len());
                        let key = self.input_names[i].to_owned();
                        (key, self.random_lit(depth + 1))
                    })
                    .collect();
                Lit::Object(entries)
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum Transport {
    /// POST with this content type (none when `None`).
    Post(Option<&'static str>),
    Get,
    /// POST of a JSON array holding the request this many times.
    Batch(usize),
}

#[derive(Clone)]
enum Case {
    Document {
        tape: Vec<u16>,
        pool: Pool,
        transport: Transport,
        /// Replaces the generated variables: a random JSON value or object.
        variables: Option<Value>,
        authorization: Option<String>,
        modern: bool,
    },
    Bytes {
        body: Vec<u8>,
        content_type: Option<&'static str>,
    },
    Json {
        body: Value,
        content_type: Option<&'static str>,
        modern: bool,
    },
    GetRaw {
        query: String,
    },
}

/// Compact: the failure message already shows the request as sent.
impl std::fmt::Debug for Case {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Case::Document {
                tape,
                pool,
                transport,
                ..
            } => {
                let strings: Vec<String> = pool.strings.iter().map(|s| clip(s, 40)).collect();
                write!(
                    f,
                    "Document {{ {transport:?}, tape of {} numbers starting {:?}, strings {strings:?}, ints {:?} }}",
                    tape.len(),
                    &tape[..tape.len().min(12)],
                    pool.ints
                )
            }
            Case::Bytes { body, content_type } => {
                write!(f, "Bytes {{ {} bytes, {content_type:?} }}", body.len())
            }
            Case::Json { body, .. } => write!(f, "Json {{ {} }}", clip(&body.to_string(), 500)),
            Case::GetRaw { query } => write!(f, "GetRaw {{ {} }}", clip(query, 500)),
        }
    }
}

impl Case {
    fn kind(&self) -> &'static str {
        match self {
            Case::Document {
                transport: Transport::Post(_),
                ..
            } => "document (POST)",
            Case::Document {
                transport: Transport::Get,
                ..
            } => "document (GET)",
            Case::Document {
                transport: Transport::Batch(_),
                ..
            } => "document (batch)",
            Case::Bytes { .. } => "random bytes",
            Case::Json { .. } => "random JSON",
            Case::GetRaw { .. } => "random query string",
        }
    }
}

fn content_type() -> BoxedStrategy<Option<&'static str>> {
    prop_oneof![
        30 => Just(Some("application/json")),
        1 => Just(Some("application/json; charset=utf-8")),
        1 => Just(Some("Application/JSON")),
        1 => Just(Some("text/plain")),
        1 => Just(Some("application/graphql")),
        1 => Just(Some("application/x-www-form-urlencoded")),
        1 => Just(Some("multipart/form-data; boundary=x")),
        1 => Just(Some("application/graphql-response+json")),
        1 => Just(None),
    ]
    .boxed()
}

fn json_key() -> BoxedStrategy<String> {
    prop_oneof![
        3 => proptest::sample::select(vec![
            "query",
            "variables",
            "operationName",
            "extensions",
            "persistedQuery",
            "input",
            "id",
            "skills",
            "level",
        ])
        .prop_map(str::to_owned),
        1 => "\\PC{0,8}",
    ]
    .boxed()
}

fn json_value() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        hostile_int().prop_map(Value::from),
        (-1e300..1e300f64).prop_map(|f| json!(f)),
        hostile_string().prop_map(Value::from),
        Just(json!("{ stats { skills revision } }")),
        Just(json!(
            "mutation { deleteSkill(id: \"fuzz-a\", cascade: true) }"
        )),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((json_key(), inner), 0..6)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
    .boxed()
}

/// A JSON body: often shaped like a GraphQL request (or a batch of them) with random parts.
fn json_body() -> BoxedStrategy<Value> {
    let request = (
        prop_oneof![json_value(), hostile_string().prop_map(Value::from)],
        prop::option::of(json_value()),
        prop::option::of(json_value()),
        prop::option::of(json_value()),
    )
        .prop_map(|(query, variables, operation_name, extensions)| {
            let mut object = serde_json::Map::new();
            object.insert("query".into(), query);
            if let Some(v) = variables {
                object.insert("variables".into(), v);
            }
            if let Some(v) = operation_name {
                object.insert("operationName".into(), v);
            }
            if let Some(v) = extensions {
                object.insert("extensions".into(), v);
            }
            Value::Object(object)
        });
    prop_oneof![
        2 => json_value(),
        2 => request.clone(),
        1 => prop::collection::vec(request, 0..13).prop_map(Value::Array),
    ]
    .boxed()
}

fn authorization() -> BoxedStrategy<Option<String>> {
    prop_oneof![
        3 => Just(None),
        6 => Just(Some(format!("Bearer {ADMIN_TOKEN}"))),
        1 => Just(Some(format!("bearer   {ADMIN_TOKEN}  "))),
        1 => Just(Some("Bearer wrong-token-wrong-token".to_owned())),
        1 => Just(Some("Basic YWRtaW46YWRtaW4=".to_owned())),
        1 => Just(Some("Bearer".to_owned())),
        1 => Just(Some(String::new())),
    ]
    .boxed()
}

fn case() -> impl Strategy<Value = Case> {
    let document = (
        prop::collection::vec(any::<u16>(), 0..1_200),
        pool(),
        prop_oneof![
            8 => content_type().prop_map(Transport::Post),
            2 => Just(Transport::Get),
            1 => (0usize..=12).prop_map(Transport::Batch),
        ],
        prop_oneof![6 => Just(None), 1 => json_value().prop_map(Some)],
        authorization(),
        prop::bool::weighted(0.2),
    )
        .prop_map(
            |(tape, pool, transport, variables, authorization, modern)| Case::Document {
                tape,
                pool,
                transport,
                variables,
                authorization,
                modern,
            },
        );
    let bytes = (
        prop_oneof![
            8 => prop::collection::vec(any::<u8>(), 0..2_000),
            2 => "\\PC{0,300}".prop_map(String::into_bytes),
            // Past the 1 MiB body limit.
            1 => (1_048_577usize..1_200_000).prop_map(|n| vec![b' '; n]),
        ],
        content_type(),
    )
        .prop_map(|(body, content_type)| Case::Bytes { body, content_type });
    let json = (json_body(), content_type(), prop::bool::weighted(0.3)).prop_map(
        |(body, content_type, modern)| Case::Json {
            body,
            content_type,
            modern,
        },
    );
    let get = prop_oneof![
        "[ -~]{0,200}",
        hostile_string().prop_map(|q| format!("query={q}")),
        ("\\PC{0,100}", "\\PC{0,100}").prop_map(|(q, v)| format!("query={q}&variables={v}")),
    ]
    .prop_map(|query| Case::GetRaw { query });
    prop_oneof![
        12 => document,
        2 => bytes,
        3 => json,
        1 => get,
    ]
}

// ---------------------------------------------------------------------------------------------
// Sending and checking
// ---------------------------------------------------------------------------------------------

struct Answer {
    status: u16,
    content_type: String,
    body: Vec<u8>,
}

/// What happened to the requests, for the summary.
#[derive(Default)]
struct Tally {
    requests: usize,
    statuses: BTreeMap<u16, usize>,
    kinds: BTreeMap<&'static str, usize>,
    codes: BTreeMap<String, usize>,
    content_types: BTreeMap<String, usize>,
    /// The ten slowest requests: how long, the kind, and the request, slowest first.
    slowest: Vec<(Duration, &'static str, String)>,
}

/// A request ready to send, and a readable account of it for failure messages.
struct Prepared {
    get: bool,
    url: String,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
    description: String,
}

/// At most `max` characters of `text`, saying how much was left out.
fn clip(text: &str, max: usize) -> String {
    let count = text.chars().count();
    if count <= max {
        text.to_owned()
    } else {
        let head: String = text.chars().take(max).collect();
        format!("{head}… ({} more characters)", count - max)
    }
}

/// Longest GET URL sent; longer documents go as POST (clients cannot build such URLs anyway).
const MAX_URL: usize = 16_000;

fn prepare(app: &TestApp, case: &Case, schema: &SchemaModel) -> Prepared {
    let url = app.url("/graphql");
    let admin = ("authorization", format!("Bearer {ADMIN_TOKEN}"));
    match case {
        Case::Document {
            tape,
            pool,
            transport,
            variables,
            authorization,
            modern,
        } => {
            let document = Gen::new(tape, pool, schema).document();
            let variables = variables.clone().unwrap_or(document.variables);
            let mut body = json!({ "query": document.text, "variables": variables });
            if let Some(name) = &document.operation_name {
                body["operationName"] = json!(name);
            }
            let mut headers = Vec::new();
            if let Some(value) = authorization {
                headers.push(("authorization", value.clone()));
            }
            if *modern {
                headers.push(("accept", "application/graphql-response+json".to_owned()));
            }
            let description = format!(
                "{transport:?}, authorization {authorization:?}, modern {modern}\nquery: {}\nvariables: {}\noperationName: {:?}",
                clip(&document.text, 3_000),
                clip(&variables.to_string(), 1_000),
                document.operation_name
            );
            let post = |headers: &mut Vec<(&'static str, String)>, content_type: Option<&str>| {
                if let Some(ct) = content_type {
                    headers.push(("content-type", ct.to_owned()));
                }
            };
            match transport {
                Transport::Get => {
                    let mut params = vec![
                        ("query", document.text.clone()),
                        ("variables", variables.to_string()),
                    ];
                    if let Some(name) = &document.operation_name {
                        params.push(("operationName", name.clone()));
                    }
                    let get_url = reqwest::Url::parse_with_params(&url, &params)
                        .expect("a URL with parameters")
                        .to_string();
                    if get_url.len() <= MAX_URL {
                        return Prepared {
                            get: true,
                            url: get_url,
                            headers,
                            body: Vec::new(),
                            description,
                        };
                    }
                    post(&mut headers, Some("application/json"));
                    Prepared {
                        get: false,
                        url,
                        headers,
                        body: body.to_string().into_bytes(),
                        description: format!("(too long for GET) {description}"),
                    }
                }
                Transport::Post(content_type) => {
                    post(&mut headers, *content_type);
                    Prepared {
                        get: false,
                        url,
                        headers,
                        body: body.to_string().into_bytes(),
                        description: format!("content type {content_type:?}, {description}"),
                    }
                }
                Transport::Batch(n) => {
                    post(&mut headers, Some("application/json"));
                    Prepared {
                        get: false,
                        url,
                        headers,
                        body: Value::Array(vec![body; *n]).to_string().into_bytes(),
                        description,
                    }
                }
            }
        }
        Case::Bytes { body, content_type } => {
            let mut headers = vec![admin];
            if let Some(ct) = content_type {
                headers.push(("content-type", (*ct).to_owned()));
            }
            Prepared {
                get: false,
                url,
                headers,
                body: body.clone(),
                description: format!(
                    "bytes, content type {content_type:?}: {}",
                    clip(&String::from_utf8_lossy(body), 2_000)
                ),
            }
        }
        Case::Json {
            body,
            content_type,
            modern,
        } => {
            let mut headers = vec![admin];
            if let Some(ct) = content_type {
                headers.push(("content-type", (*ct).to_owned()));
            }
            if *modern {
                headers.push(("accept", "application/graphql-response+json".to_owned()));
            }
            let text = body.to_string();
            Prepared {
                get: false,
                url,
                headers,
                description: format!(
                    "JSON, content type {content_type:?}, modern {modern}: {}",
                    clip(&text, 3_000)
                ),
                body: text.into_bytes(),
            }
        }
        Case::GetRaw { query } => {
            // Url percent-encodes whatever a query string may not hold as it is; a thousand
            // characters encode to at most 12 kB, under what a client can send (MAX_URL).
            let query: String = query.chars().take(1_000).collect();
            let url = reqwest::Url::parse(&format!("{url}?{query}"))
                .expect("a URL")
                .to_string();
            Prepared {
                get: true,
                description: format!("GET {}", clip(&url, 3_000)),
                url,
                headers: Vec::new(),
                body: Vec::new(),
            }
        }
    }
}

/// An error and its causes, on one line (reqwest's own message hides what hyper saw).
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    clip(&text, 500)
}

/// A client that opens a connection per request: no keep-alive, so no request can land on a
/// connection the server closed after an earlier answer (a 413 need not read the whole body),
/// and a missing answer is always this request's.
fn fuzz_client() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .expect("a reqwest client")
}

async fn send(client: &reqwest::Client, request: &Prepared) -> Result<Answer, String> {
    let mut builder = if request.get {
        client.get(&request.url)
    } else {
        client.post(&request.url).body(request.body.clone())
    };
    for (name, value) in &request.headers {
        builder = builder.header(*name, value.as_str());
    }
    let response = match builder.timeout(Duration::from_secs(30)).send().await {
        Ok(response) => response,
        // A body over the limit is refused; past the server's linger bound (16 MiB) it stops
        // reading and closes, and a client still writing sees that as a broken write. That
        // is the refusal, not a lost answer.
        Err(e) if request.body.len() > ServerConfig::default().max_body_bytes && e.is_request() => {
            return Ok(Answer {
                status: 413,
                content_type: "(closed while the body was written)".into(),
                body: Vec::new(),
            });
        }
        Err(e) => return Err(format!("no response (a panic or a hang?): {}", chain(&e))),
    };
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let body = response
        .bytes()
        .await
        .map_err(|e| format!("the body broke off: {}", chain(&e)))?
        .to_vec();
    Ok(Answer {
        status,
        content_type,
        body,
    })
}

/// The checks every answer must pass; the error says which failed.
fn check(answer: &Answer, tally: &mut Tally) -> Result<(), String> {
    let text = || {
        let text = String::from_utf8_lossy(&answer.body);
        text.chars().take(2_000).collect::<String>()
    };
    if answer.status >= 500 {
        return Err(format!("status {}: {}", answer.status, text()));
    }
    let essence = answer
        .content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    *tally.content_types.entry(essence.clone()).or_default() += 1;
    if essence != "application/json" && essence != "application/graphql-response+json" {
        return Ok(());
    }
    let value: Value = serde_json::from_slice(&answer.body).map_err(|e| {
        format!(
            "status {}, says JSON but is not ({e}): {}",
            answer.status,
            text()
        )
    })?;
    let responses = match &value {
        Value::Array(list) => list.iter().collect::<Vec<_>>(),
        Value::Object(_) => vec![&value],
        _ => return Err(format!("not a GraphQL response: {}", text())),
    };
    for response in responses {
        let object = response
            .as_object()
            .ok_or_else(|| format!("a batch item is not an object: {}", text()))?;
        if !object.contains_key("data") && !object.contains_key("errors") {
            return Err(format!("neither data nor errors: {}", text()));
        }
        let Some(errors) = object.get("errors") else {
            continue;
        };
        let errors = errors
            .as_array()
            .filter(|e| !e.is_empty())
            .ok_or_else(|| format!("errors is not a non-empty list: {}", text()))?;
        for error in errors {
            if !error["message"].is_string() {
                return Err(format!("an error without a message: {error}"));
            }
            let code = error.pointer("/extensions/code").and_then(Value::as_str);
            if let Some(code) = code {
                *tally.codes.entry(code.to_owned()).or_default() += 1;
                if !CODES.contains(&code) {
                    return Err(format!("unexpected code {code}: {error}"));
                }
            }
            if code.is_none() {
                // The README: every error carries a stable code. Resolver errors (with a
                // `path`) always did; since 5237ce4 async-graphql's own errors and since
                // 07ec821 refusals before GraphQL (media type, body, method) do too.
                let from_resolver = error.get("path").is_some_and(|p| !p.is_null());
                let origin = if from_resolver {
                    "a resolver"
                } else {
                    "a request"
                };
                return Err(format!("{origin} error without extensions.code: {error}"));
            }
        }
    }
    Ok(())
}

static SERVER_PANICS: AtomicUsize = AtomicUsize::new(0);

/// Counts panics on the fuzzing runtime's threads (the server's and the client's tasks), then
/// reports them as usual.
fn count_server_panics() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current()
                .name()
                .is_some_and(|n| n.starts_with(THREAD_NAME))
            {
                SERVER_PANICS.fetch_add(1, Ordering::SeqCst);
            }
            previous(info);
        }));
    });
}

// ---------------------------------------------------------------------------------------------
// Consistency after the run
// ---------------------------------------------------------------------------------------------

async fn post(app: &TestApp, query: &str, variables: Value) -> Value {
    let body = app.query(query, variables).await;
    assert!(body.get("errors").is_none(), "{query}: {body:#}");
    body["data"].clone()
}

/// One page of `list` (`skills` or `roles`) after `after`: `first` items, fewer when the server
/// finds the page too complex (the limit is the server's to set).
async fn page(app: &TestApp, list: &str, selection: &str, after: &Option<String>) -> Value {
    let query = format!(
        "query($first: Int!, $after: String) {{ {list}(first: $first, after: $after) {{
            pageInfo {{ hasNextPage endCursor }} nodes {{ {selection} }} }} }}"
    );
    let mut first = 100;
    loop {
        let body = app
            .query(&query, json!({ "first": first, "after": after }))
            .await;
        let too_complex =
            body.pointer("/errors/0/extensions/limit") == Some(&json!("maxComplexity"));
        if too_complex && first > 1 {
            first /= 2;
            continue;
        }
        assert!(body.get("errors").is_none(), "{query}: {body:#}");
        return body["data"][list].clone();
    }
}

/// Everything the graph holds, checked for dangling references and cycles on the way, in a
/// form two servers can be compared by.
async fn snapshot(app: &TestApp) -> Value {
    let stats = post(
        app,
        "{ stats { skills roles categories prerequisites requirements revision } }",
        json!({}),
    )
    .await["stats"]
        .clone();
    let mut skills = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = page(
            app,
            "skills",
            "id name hours description aliases tags category { id }
             prerequisites { skill { id } kind minLevel }
             transitive: prerequisites(transitive: true) { skill { id } }
             unlocks { id } requiredBy { role { id } level }",
            &after,
        )
        .await;
        for node in page["nodes"].as_array().expect("nodes") {
            let id = node["id"].as_str().expect("an id");
            assert!(
                !node["category"].is_null(),
                "skill {id} has a dangling category"
            );
            for p in node["prerequisites"]
                .as_array()
                .expect("prerequisites")
                .iter()
                .chain(node["transitive"].as_array().expect("transitive"))
            {
                let to = p["skill"]["id"]
                    .as_str()
                    .unwrap_or_else(|| panic!("skill {id} has a dangling prerequisite: {p}"));
                assert_ne!(to, id, "cycle: {id} is its own prerequisite");
            }
            skills.push(node.clone());
        }
        if page["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = page["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    let mut roles = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = page(
            app,
            "roles",
            "id name description requirements { skill { id } level importance }",
            &after,
        )
        .await;
        for node in page["nodes"].as_array().expect("nodes") {
            for r in node["requirements"].as_array().expect("requirements") {
                assert!(
                    r["skill"]["id"].is_string(),
                    "role {} has a dangling requirement: {r}",
                    node["id"]
                );
            }
            roles.push(node.clone());
        }
        if page["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = page["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
    let categories = post(
        app,
        "{ categories { id name order parent { id } } }",
        json!({}),
    )
    .await["categories"]
        .clone();
    let count = |v: &Value| v.as_u64().expect("a count") as usize;
    assert_eq!(count(&stats["skills"]), skills.len(), "stats.skills");
    assert_eq!(count(&stats["roles"]), roles.len(), "stats.roles");
    assert_eq!(
        count(&stats["categories"]),
        categories.as_array().expect("categories").len(),
        "stats.categories"
    );
    let edges: usize = skills
        .iter()
        .map(|s| s["prerequisites"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(count(&stats["prerequisites"]), edges, "stats.prerequisites");
    let requirements: usize = roles
        .iter()
        .map(|r| r["requirements"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(
        count(&stats["requirements"]),
        requirements,
        "stats.requirements"
    );
    json!({ "stats": stats, "skills": skills, "roles": roles, "categories": categories })
}

// ---------------------------------------------------------------------------------------------
// The test
// ---------------------------------------------------------------------------------------------

#[test]
fn generated_requests_get_well_formed_answers_and_leave_the_graph_consistent() {
    count_server_panics();
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_CASES);
    let seed: u64 = std::env::var("SKILLGRAPH_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_SEED);
    let trace = std::env::var_os("SKILLGRAPH_FUZZ_TRACE").is_some();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name(THREAD_NAME)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    // Batches on, so the campaign reaches what a batch runs (they are off by default).
    let app = runtime.block_on(TestApp::spawn_batching());
    let schema = SchemaModel::parse(&skillgraph::graphql::sdl());
    let client = fuzz_client();
    let before = runtime.block_on(snapshot(&app));

    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 256,
        ..Config::default()
    };
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let mut runner = TestRunner::new_with_rng(
        config,
        TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes),
    );
    let tally = RefCell::new(Tally::default());
    let started = Instant::now();
    let result = runner.run(&case(), |case| {
        let panics_before = SERVER_PANICS.load(Ordering::SeqCst);
        let request = prepare(&app, &case, &schema);
        let fail =
            |why: String| TestCaseError::fail(format!("{why}\nrequest: {}", request.description));
        let sent = Instant::now();
        let answer = runtime.block_on(send(&client, &request)).map_err(fail)?;
        let took = sent.elapsed();
        if trace {
            eprintln!(
                "{}\n => {} in {took:.1?}: {}",
                clip(&request.description, 600),
                answer.status,
                clip(&String::from_utf8_lossy(&answer.body), 300)
            );
        }
        let mut tally = tally.borrow_mut();
        tally.requests += 1;
        if tally.slowest.len() < 10 || took > tally.slowest[9].0 {
            let what = clip(&request.description, 300);
            tally.slowest.push((took, case.kind(), what));
            tally.slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
            tally.slowest.truncate(10);
        }
        *tally.statuses.entry(answer.status).or_default() += 1;
        *tally.kinds.entry(case.kind()).or_default() += 1;
        check(&answer, &mut tally).map_err(fail)?;
        let panics = SERVER_PANICS.load(Ordering::SeqCst) - panics_before;
        if panics > 0 {
            return Err(fail(format!("{panics} panic(s) on the server")));
        }
        Ok(())
    });
    let elapsed = started.elapsed();
    let tally = tally.into_inner();
    println!(
        "fuzz: {} cases ({} requests, shrinking included) in {elapsed:.1?}, seed {seed}",
        cases, tally.requests
    );
    println!("  statuses: {:?}", tally.statuses);
    println!("  kinds: {:?}", tally.kinds);
    println!("  content types: {:?}", tally.content_types);
    println!("  error codes: {:?}", tally.codes);
    // A report to read, not a bound: timing asserts would fail on a loaded machine.
    println!("  server panics: {}", SERVER_PANICS.load(Ordering::SeqCst));
    println!("  the ten slowest requests:");
    for (took, kind, what) in &tally.slowest {
        println!("    {took:.1?} ({kind}): {what}");
    }
    if let Err(failure) = result {
        panic!("{failure}");
    }
    assert_eq!(SERVER_PANICS.load(Ordering::SeqCst), 0, "server panics");

    // The graph is still whole, and what is in memory is what is on disk.
    let after = runtime.block_on(snapshot(&app));
    println!(
        "  writes that landed: {}; graph before: {}; after: {}",
        after["stats"]["revision"].as_i64().unwrap_or(0)
            - before["stats"]["revision"].as_i64().unwrap_or(0),
        before["stats"],
        after["stats"]
    );
    let app = runtime.block_on(app.restart());
    let reloaded = runtime.block_on(snapshot(&app));
    assert_eq!(
        reloaded, after,
        "the graph reloaded from disk differs from the one served before the restart"
    );
    drop(app);
}

// ---------------------------------------------------------------------------------------------
// Regressions: the bugs found with this fuzzer, pinned down (fixed in 5237ce4 and 813853d)
// ---------------------------------------------------------------------------------------------

/// Every error a resolver reports (it has a `path`) carries a stable `extensions.code`, as the
/// README promises, including those async-graphql raises while resolving a field's arguments.
/// Before 5237ce4, values it could not coerce at execution (an `Int` outside the i32 range such
/// as level 2147483648, a list where an input object goes) and non-null variables left without
/// a value came back with a path and no code.
#[tokio::test]
async fn argument_errors_carry_an_error_code() {
    let app = TestApp::spawn().await;
    let requests = [
        (
            r#"{ skills(first: 2147483648) { nodes { id } } }"#,
            json!({}),
        ),
        (
            r#"{ roleGap(from: {skills: [{skill: "python", level: 2147483648}]}, to: "ml-engineer") { hours } }"#,
            json!({}),
        ),
        (
            r#"query($p: ProfileInput!) { roleGap(from: $p, to: "ml-engineer") { hours } }"#,
            json!({ "p": { "skills": [{ "skill": "python", "level": 2_147_483_648_i64 }] } }),
        ),
        (
            r#"{ matchRoles(profile: {skills: [[1, 2]]}) { readiness } }"#,
            json!({}),
        ),
        (
            r#"query($p: ProfileInput!) { matchRoles(profile: $p) { readiness } }"#,
            json!({}),
        ),
    ];
    for (query, variables) in requests {
        let body = app.admin(query, variables).await;
        let errors = body["errors"].as_array().expect("the request fails");
        for error in errors {
            if error.get("path").is_some_and(|p| !p.is_null()) {
                let code = error.pointer("/extensions/code").and_then(Value::as_str);
                assert!(
                    code.is_some_and(|c| CODES.contains(&c)),
                    "{query}: a resolver error without a stable code: {error}"
                );
            }
        }
    }
}

/// Cursors were offsets; one past the largest offset is not a page, and must not take the
/// server down. Before 5237ce4, `after: "18446744073709551615"` overflowed `cursor + 1`: a panic
/// in debug builds (the connection dropped without an answer), the first page instead of an
/// empty one in release builds. Cursors are opaque keys now (issue 9): an offset is none.
#[tokio::test]
async fn a_cursor_at_the_end_of_the_integer_range_gets_an_answer() {
    let app = TestApp::spawn().await;
    for list in ["skills", "roles"] {
        let query = format!(
            r#"{{ {list}(after: "{}", first: 5) {{ nodes {{ id }} }} }}"#,
            u64::MAX
        );
        let response = app
            .client
            .post(app.url("/graphql"))
            .json(&json!({ "query": query }))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{list}: no answer: {e}"));
        assert_eq!(response.status(), 200, "{list}");
        let body: Value = response.json().await.expect("a JSON body");
        let nodes = body.pointer(&format!("/data/{list}/nodes"));
        let refused = body.pointer("/errors/0/extensions/code") == Some(&json!("INVALID_INPUT"));
        assert!(
            refused && nodes.is_none_or(Value::is_null),
            "{list}: an offset is not a cursor and must be refused with INVALID_INPUT: {body}"
        );
    }
}

/// Roles, each requirement's role, its requirements' roles, …: 149 bytes, depth 11, 10 fields.
const FAN_OUT_QUERY: &str = "{ roles(first: 100) { nodes { requirements { role { requirements { \
                             role { requirements { role { requirements { level } } } } } } } } } }";

/// Counts the leaf values of an answer: the fields the server resolved, give or take.
fn leaves(value: &Value) -> usize {
    match value {
        Value::Array(items) => items.iter().map(leaves).sum(),
        Value::Object(entries) => entries.values().map(leaves).sum(),
        _ => 1,
    }
}

/// A query within every limit must not make the server resolve millions of values: nested lists
/// multiply (8 roles × ~20 requirements × their role's ~20 requirements × …). Before 813853d
/// `maxComplexity` counted the fields of the document only: the fuzzer met a 1 kB query of this
/// shape answered with 46 MB after 8.8 s (debug build); [`FAN_OUT_QUERY`] got 15 MB (1,140,273
/// values), and with `skill { name description }` at the bottom 233 MB after 5.5 s from a
/// release build growing to 1.5 GB of memory; each further level multiplied that by about 20.
/// The bound here, 200,000 values, is the old `maxComplexity` × `maxPage`.
#[tokio::test]
async fn a_query_within_the_limits_cannot_fan_out_to_millions_of_values() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .post(app.url("/graphql"))
        .json(&json!({ "query": FAN_OUT_QUERY }))
        .send()
        .await
        .expect("the server answers");
    let status = response.status().as_u16();
    let body: Value = response.json().await.expect("a JSON body");
    let refused = status != 503
        && body.pointer("/errors/0/extensions/code") == Some(&json!("LIMIT_EXCEEDED"));
    let values = leaves(&body["data"]);
    assert!(
        refused || values <= 200_000,
        "status {status}: {values} values resolved for a 149-byte query; expected a \
         LIMIT_EXCEEDED refusal or at most maxComplexity × maxPage = 200,000"
    );
}

/// The request timeout bounds how long a request runs ("503 beyond"). It cannot interrupt work
/// that never yields (a tower timeout only fires when the future it wraps yields): before
/// 813853d, resolving and serializing [`FAN_OUT_QUERY`] was one long stretch of CPU, answered
/// 200 after 1.9 s with `--request-timeout-ms 500` (release build; the 233 MB variant after
/// 4.7 s, a debug build with 300 ms after about 6 s). Since 813853d such a query is refused up
/// front, which is what keeps this bound; a query that stays within the limits yet resolves
/// for long without yielding would still outlast the timeout.
#[tokio::test]
async fn the_request_timeout_bounds_a_long_query() {
    let timeout = Duration::from_millis(300);
    let app = TestApp::spawn_with(ServerConfig {
        request_timeout: timeout,
        ..test_config()
    })
    .await;
    let started = Instant::now();
    let response = app
        .client
        .post(app.url("/graphql"))
        .json(&json!({ "query": FAN_OUT_QUERY }))
        .send()
        .await
        .expect("the server answers");
    let status = response.status().as_u16();
    let _ = response.bytes().await;
    let took = started.elapsed();
    assert!(
        took < timeout + Duration::from_secs(2),
        "status {status} after {took:.1?}, with a request timeout of {timeout:?}"
    );
}
