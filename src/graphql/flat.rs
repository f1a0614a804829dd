//! One synchronous walk for the plain parts of big answers.
//!
//! async-graphql resolves every field of every object as its own boxed future, collected
//! through `FuturesUnordered` into an `IndexMap`. For a list of 300 prerequisites with their
//! skills that is about 2,000 futures, and the profile of such a request showed the executor,
//! not the graph, taking most of the CPU. Yet these lists hold plain data already in memory:
//! a field of theirs that takes no argument is a lookup that cannot fail.
//!
//! [`FlatList`] is a list type with the same GraphQL type as `Vec<T>` (the schema does not
//! change) whose resolution walks the selection set once, synchronously, and builds the very
//! `Value` async-graphql would. Whatever the walk does not handle exactly goes to
//! async-graphql's own list resolution instead, untouched: a field with arguments or
//! directives, or one the item's [`Flat`] impl does not list (an async or fallible one), a
//! response key selected twice (which needs field merging), or a fragment on another type. A test runs the hot queries
//! both ways and compares the answers.

use std::collections::HashMap;

use async_graphql::parser::types::{Field, FragmentDefinition, Selection};
use async_graphql::registry::Registry;
use async_graphql::resolver_utils::{EnumType, enum_value, resolve_list};
use async_graphql::{
    ContextSelectionSet, Name, OutputType, Positioned, ServerError, ServerResult, Value,
};

type Fragments = HashMap<Name, Positioned<FragmentDefinition>>;

/// The selection set of one field, with the document's fragments.
#[derive(Clone, Copy)]
pub struct Selections<'a> {
    items: &'a [Positioned<Selection>],
    fragments: &'a Fragments,
}

impl<'a> Selections<'a> {
    fn of(field: &'a Field, fragments: &'a Fragments) -> Self {
        Selections {
            items: &field.selection_set.node.items,
            fragments,
        }
    }
}

/// The JSON text the walk writes: the list's answer, serialized as it is walked, so no
/// `Value` tree is built, hashed, serialized and dropped for it (for 300 prerequisites with
/// their skills that tree was 900 maps, and building, writing and dropping them half of the
/// request).
#[derive(Default)]
pub struct Json(Vec<u8>);

impl Json {
    fn with_capacity(bytes: usize) -> Self {
        Json(Vec::with_capacity(bytes))
    }

    fn raw(&mut self, text: &str) {
        self.0.extend_from_slice(text.as_bytes());
    }

    fn str(&mut self, text: &str) {
        // Ids and names almost never hold a character JSON escapes (serde_json escapes only
        // controls, `"` and `\\`): one branch-free pass over the bytes, which the compiler
        // vectorizes, then a copy. serde_json's byte-by-byte escaping was 7 % of a listing
        // of 300 prerequisites.
        let bytes = text.as_bytes();
        let plain = !bytes.iter().fold(false, |escape, &b| {
            escape | (b < 0x20) | (b == b'"') | (b == b'\\')
        });
        if plain {
            self.0.reserve(bytes.len() + 2);
            self.0.push(b'"');
            self.0.extend_from_slice(bytes);
            self.0.push(b'"');
        } else {
            // Writing into a Vec cannot fail, and a &str is always valid JSON string content.
            let _ = serde_json::to_writer(&mut self.0, text);
        }
    }

    fn int(&mut self, value: i32) {
        let _ = serde_json::to_writer(&mut self.0, &value);
    }
}

/// A GraphQL object whose plain fields can be resolved synchronously.
pub trait Flat {
    /// The object's GraphQL type name, for `__typename` and fragment type conditions.
    const TYPE: &'static str;

    /// Writes the value of the field `name`, with `sub` its own selection (for object and
    /// list fields); `None` when this walk does not resolve that field (what it wrote is then
    /// thrown away with the rest of the list).
    fn field(&self, name: &str, sub: Selections<'_>, out: &mut Json) -> Option<()>;
}

/// The most fields one object of the walk may select; more are left to the executor (no
/// answer type comes near it, and a fixed array keeps the duplicate-key check off the heap).
const MAX_KEYS: usize = 32;

/// The response keys an object has written so far, to find one selected twice.
struct Keys<'a> {
    keys: [&'a str; MAX_KEYS],
    len: usize,
}

impl<'a> Keys<'a> {
    /// Records `key`; `None` when it was already written or there are too many.
    fn add(&mut self, key: &'a str) -> Option<()> {
        if self.len == MAX_KEYS || self.keys[..self.len].contains(&key) {
            return None;
        }
        self.keys[self.len] = key;
        self.len += 1;
        Some(())
    }
}

/// Writes `value` as an object over `selection`, or `None` to leave it to the executor.
pub fn object<T: Flat + ?Sized>(
    out: &mut Json,
    value: &T,
    selection: Selections<'_>,
) -> Option<()> {
    out.0.push(b'{');
    let mut keys = Keys {
        keys: [""; MAX_KEYS],
        len: 0,
    };
    collect(value, selection.items, selection.fragments, out, &mut keys)?;
    // Nothing left selected (every field under a false @include): async-graphql answers
    // such an object with null, so leave it to the executor rather than answer `{}`.
    if keys.len == 0 {
        return None;
    }
    out.0.push(b'}');
    Some(())
}

/// An optional object: `null` when absent.
pub fn nullable<T: Flat>(
    out: &mut Json,
    value: Option<T>,
    selection: Selections<'_>,
) -> Option<()> {
    match value {
        Some(value) => object(out, &value, selection),
        None => null(out),
    }
}

/// A non-null object. Absent (a dangling reference, which the domain rules out) it is left to
/// the executor, whose resolver answers the `INTERNAL` error.
pub fn required<T: Flat>(
    out: &mut Json,
    value: Option<T>,
    selection: Selections<'_>,
) -> Option<()> {
    object(out, &value?, selection)
}

/// A list of objects.
pub fn objects<T: Flat>(
    out: &mut Json,
    items: impl IntoIterator<Item = T>,
    selection: Selections<'_>,
) -> Option<()> {
    out.0.push(b'[');
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.0.push(b',');
        }
        object(out, &item, selection)?;
    }
    out.0.push(b']');
    Some(())
}

pub fn null(out: &mut Json) -> Option<()> {
    out.raw("null");
    Some(())
}

pub fn string(out: &mut Json, text: &str) -> Option<()> {
    out.str(text);
    Some(())
}

pub fn nullable_string(out: &mut Json, text: Option<&str>) -> Option<()> {
    match text {
        Some(text) => string(out, text),
        None => null(out),
    }
}

pub fn strings(out: &mut Json, list: &[String]) -> Option<()> {
    let _ = serde_json::to_writer(&mut out.0, list);
    Some(())
}

pub fn int(out: &mut Json, value: i32) -> Option<()> {
    out.int(value);
    Some(())
}

pub fn nullable_int(out: &mut Json, value: Option<i32>) -> Option<()> {
    match value {
        Some(value) => int(out, value),
        None => null(out),
    }
}

pub fn ints(out: &mut Json, values: impl IntoIterator<Item = i32>) -> Option<()> {
    out.0.push(b'[');
    for (i, value) in values.into_iter().enumerate() {
        if i > 0 {
            out.0.push(b',');
        }
        out.int(value);
    }
    out.0.push(b']');
    Some(())
}

pub fn enumeration<T: EnumType>(out: &mut Json, value: T) -> Option<()> {
    match enum_value(value) {
        Value::Enum(name) => string(out, name.as_str()),
        _ => None,
    }
}

fn collect<'a, T: Flat + ?Sized>(
    value: &T,
    items: &'a [Positioned<Selection>],
    fragments: &'a Fragments,
    out: &mut Json,
    keys: &mut Keys<'a>,
) -> Option<()> {
    for selection in items {
        match &selection.node {
            Selection::Field(field) => {
                let field = &field.node;
                // async-graphql has already removed @skip/@include selections; any directive
                // left is a custom one, which needs the executor.
                if !field.arguments.is_empty() || !field.directives.is_empty() {
                    return None;
                }
                let key = field.response_key().node.as_str();
                keys.add(key)?;
                if keys.len > 1 {
                    out.0.push(b',');
                }
                // A response key is a GraphQL name: nothing in it to escape.
                out.0.push(b'"');
                out.raw(key);
                out.raw("\":");
                match field.name.node.as_str() {
                    "__typename" => string(out, T::TYPE)?,
                    name => value.field(name, Selections::of(field, fragments), out)?,
                }
            }
            Selection::FragmentSpread(spread) => {
                if !spread.node.directives.is_empty() {
                    return None;
                }
                let fragment = &fragments.get(&spread.node.fragment_name.node)?.node;
                if fragment.type_condition.node.on.node != T::TYPE {
                    return None;
                }
                collect(
                    value,
                    &fragment.selection_set.node.items,
                    fragments,
                    out,
                    keys,
                )?;
            }
            Selection::InlineFragment(fragment) => {
                let fragment = &fragment.node;
                if !fragment.directives.is_empty()
                    || fragment
                        .type_condition
                        .as_ref()
                        .is_some_and(|c| c.node.on.node != T::TYPE)
                {
                    return None;
                }
                collect(
                    value,
                    &fragment.selection_set.node.items,
                    fragments,
                    out,
                    keys,
                )?;
            }
        }
    }
    Some(())
}

/// Whether [`FlatList`] may walk (the default) or must leave every list to async-graphql:
/// put `Walk::Off` into the schema's or a request's data to compare the two. The schema
/// installs no extension; one that expects to see each field resolved would need it off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Walk {
    On,
    Off,
}

/// Put into a request's data by a transport that writes its response with [`write`]: the
/// walk then hands its JSON text over as it wrote it, in a `Value::Binary` (a type no field
/// of this schema answers, so nothing else can be mistaken for it), instead of parsing it
/// back into a `Value` tree.
#[derive(Clone, Copy, Debug)]
pub struct Raw;

/// Writes `value` as JSON, as serde would, except that a `Value::Binary` is JSON text the walk
/// wrote (see [`Raw`]) and goes out as it is.
pub fn write(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Binary(json) => out.extend_from_slice(json),
        Value::List(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write(out, item);
            }
            out.push(b']');
        }
        Value::Object(map) => {
            out.push(b'{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                let _ = serde_json::to_writer(&mut *out, key.as_str());
                out.push(b':');
                write(out, item);
            }
            out.push(b'}');
        }
        // Scalars and enums as serde writes them: nothing of the walk's inside.
        scalar => {
            let _ = serde_json::to_writer(&mut *out, scalar);
        }
    }
}

/// A list of `T` with the GraphQL type of `Vec<T>`, resolved in one synchronous walk when it
/// can be (see the module docs).
pub struct FlatList<T>(pub Vec<T>);

impl<T: OutputType + Flat> OutputType for FlatList<T> {
    fn type_name() -> std::borrow::Cow<'static, str> {
        Vec::<T>::type_name()
    }

    fn qualified_type_name() -> String {
        Vec::<T>::qualified_type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        Vec::<T>::create_type_info(registry)
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        if let Some(walked) = walk_list(ctx, &self.0, self.0.len()) {
            return walked;
        }
        resolve_list(ctx, field, &self.0, Some(self.0.len())).await
    }
}

/// An item of a [`SharedList`]: plain data that borrows what every item of its list shares
/// (the graph) instead of holding a reference count of it.
pub trait Shared: Send + Sync {
    /// What the items share, held once by the list.
    type With: Send + Sync;
    /// The item as the walk reads it.
    type Ref<'a>: Flat
    where
        Self: 'a;
    /// The item as the executor resolves it, where the walk does not.
    type View: OutputType + Flat;

    fn borrow<'a>(&'a self, with: &'a Self::With) -> Self::Ref<'a>;
    fn view(&self, with: &Self::With) -> Self::View;
}

/// A list of `T::View` (same GraphQL type) whose items share one `T::With`. Each view held
/// its own `Arc` of the graph: for 300 prerequisites, 600 atomic updates of one counter that
/// both worker threads touch, which a profile put at a tenth of such a request. The walk
/// reads the items borrowed; only the executor's fallback builds the views.
pub struct SharedList<T: Shared> {
    pub with: T::With,
    pub items: Vec<T>,
}

impl<T: Shared> OutputType for SharedList<T> {
    fn type_name() -> std::borrow::Cow<'static, str> {
        Vec::<T::View>::type_name()
    }

    fn qualified_type_name() -> String {
        Vec::<T::View>::qualified_type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        Vec::<T::View>::create_type_info(registry)
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        let refs = self.items.iter().map(|item| item.borrow(&self.with));
        if let Some(walked) = walk_list(ctx, refs, self.items.len()) {
            return walked;
        }
        let views: Vec<T::View> = self.items.iter().map(|i| i.view(&self.with)).collect();
        resolve_list(ctx, field, &views, Some(views.len())).await
    }
}

/// The walk of a list of `len` items, or `None` to leave it to the executor.
fn walk_list<T: Flat>(
    ctx: &ContextSelectionSet<'_>,
    items: impl IntoIterator<Item = T>,
    len: usize,
) -> Option<ServerResult<Value>> {
    if ctx.data_opt::<Walk>().is_some_and(|w| *w == Walk::Off) {
        return None;
    }
    let selection = Selections {
        items: &ctx.item.node.items,
        fragments: &ctx.query_env.fragments,
    };
    let mut out = Json::with_capacity(64 * len + 2);
    objects(&mut out, items, selection)?;
    if ctx.data_opt::<Raw>().is_some() {
        return Some(Ok(Value::Binary(out.0.into())));
    }
    // A transport that serializes the response itself gets the tree.
    Some(
        serde_json::from_slice(&out.0)
            .map_err(|e| ServerError::new(format!("the walk wrote bad JSON: {e}"), None)),
    )
}

impl<T: Flat> Flat for &T {
    const TYPE: &'static str = T::TYPE;

    fn field(&self, name: &str, sub: Selections<'_>, out: &mut Json) -> Option<()> {
        (**self).field(name, sub, out)
    }
}

/// Whether the walk answers `value`'s field `name` (asked with `{ __typename }` below it, which
/// every object answers and a scalar ignores): for the test that every plain field of a walked
/// type is walked.
#[cfg(test)]
pub(super) fn walks<T: Flat>(value: &T, name: &str) -> bool {
    let document = async_graphql::parser::parse_query("{ f { __typename } }").expect("parses");
    let Some((_, operation)) = document.operations.iter().next() else {
        return false;
    };
    let Some(Selection::Field(field)) = operation
        .node
        .selection_set
        .node
        .items
        .first()
        .map(|item| &item.node)
    else {
        return false;
    };
    value
        .field(
            name,
            Selections::of(&field.node, &document.fragments),
            &mut Json::default(),
        )
        .is_some()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::Json;

    fn written(text: &str) -> String {
        let mut out = Json::default();
        out.str(text);
        String::from_utf8(out.0).expect("the walk writes UTF-8")
    }

    #[test]
    fn a_string_is_written_as_serde_json_writes_it() {
        for text in [
            "",
            "python",
            "C++ \"modern\"",
            "a\\b",
            "tab\there",
            "nul\0",
            "\u{1f}",
            "\u{7f}",
            "é ü 中文 🦀",
            "</script>",
        ] {
            assert_eq!(
                written(text),
                serde_json::to_string(text).unwrap(),
                "{text:?}"
            );
        }
    }

    proptest! {
        #[test]
        fn any_string_is_written_as_serde_json_writes_it(text in any::<String>()) {
            prop_assert_eq!(written(&text), serde_json::to_string(&text).unwrap());
        }
    }
}
