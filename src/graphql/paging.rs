//! Relay connections over keyset cursors.
//!
//! A cursor is opaque to clients: base64url (no padding) of a small versioned payload holding
//! a hash of the list and its arguments ([`ListId`]), the [`ListKey`] of the item (the list's
//! sort key, unique within the list) and the item's position when the cursor was made. A page
//! after a cursor holds the items whose keys come strictly after its key, a page before one
//! those strictly before, so an insert or a delete between two pages neither repeats nor skips
//! an item, and a cursor whose item was deleted still pages on from where it was. A cursor of
//! another list or of other arguments, or one that does not decode, is `INVALID_INPUT`.
//!
//! Ranked lists (the searches) compute only their best `need` hits, so a page asks for as
//! many as it takes to find its cursor's key: the position in the cursor is the hint (the
//! first page and the next one after it cost what offset paging cost), and when writes moved
//! the key further down, the page asks for twice as many until it has what it needs or the
//! list ends. The position is never trusted for what the page holds.

use std::borrow::Cow;
use std::sync::Arc;

use async_graphql::connection::{CursorType, Edge, EmptyFields, PageInfo};
use async_graphql::{Context, Object, OutputType, TypeName, Value};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::error::{ApiError, OrApi};
use crate::domain::ListKey;

/// The payload's format; a cursor of another version is refused, not misread.
const VERSION: u8 = 1;

/// A page asking for at most this many ranked hits is computed inline: the index answers a
/// page near the top in microseconds (ESCO: 1-30 µs for ten hits), less than the hand-off to
/// the blocking pool costs. Deeper pages (about a millisecond for thousands of hits on 100k
/// skills) go to the pool, like other graph work that can take that long.
const INLINE_HITS: usize = 1_000;

/// Which list a cursor belongs to: a hash of the list's name and its arguments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListId(u64);

impl ListId {
    /// The list `name` with these arguments (`None` for one not given). FNV-1a, so that a
    /// cursor stays valid across restarts and builds.
    pub fn new(name: &str, args: &[Option<&str>]) -> Self {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let mut eat = |bytes: &[u8]| {
            for b in bytes {
                hash ^= u64::from(*b);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
        };
        eat(name.as_bytes());
        for arg in args {
            match arg {
                None => eat(&[0]),
                Some(text) => {
                    eat(&[1]);
                    eat(&(text.len() as u64).to_le_bytes());
                    eat(text.as_bytes());
                }
            }
        }
        ListId(hash)
    }
}

/// The cursor of one item of one list.
#[derive(Clone, Debug)]
pub struct Cursor {
    list: ListId,
    /// Where the item was when the cursor was made: a hint for how much of a ranked list to
    /// compute, never trusted for what a page holds.
    position: u32,
    key: ListKey,
}

impl CursorType for Cursor {
    type Error = &'static str;

    fn decode_cursor(s: &str) -> Result<Self, Self::Error> {
        let bytes = URL_SAFE_NO_PAD
            .decode(s)
            .map_err(|_| "it is not base64url")?;
        let mut r = Reader(&bytes);
        if r.take(1)? != [VERSION] {
            return Err("it is of an unknown version");
        }
        let list = ListId(u64::from_le_bytes(r.array()?));
        let position = u32::from_le_bytes(r.array()?);
        let mut rank = [0i64; 3];
        for part in &mut rank {
            *part = i64::from_le_bytes(r.array()?);
        }
        let mut text = [String::new(), String::new()];
        for part in &mut text {
            let len = u16::from_le_bytes(r.array()?);
            let raw = r.take(usize::from(len))?;
            *part = String::from_utf8(raw.to_vec()).map_err(|_| "it is damaged")?;
        }
        if !r.0.is_empty() {
            return Err("it is damaged");
        }
        Ok(Cursor {
            list,
            position,
            key: ListKey { rank, text },
        })
    }

    fn encode_cursor(&self) -> String {
        let mut out = Vec::with_capacity(64);
        out.push(VERSION);
        out.extend_from_slice(&self.list.0.to_le_bytes());
        out.extend_from_slice(&self.position.to_le_bytes());
        for part in self.key.rank {
            out.extend_from_slice(&part.to_le_bytes());
        }
        for part in &self.key.text {
            // Ids are short (MAX_ID_LEN); a longer text is cut rather than mis-framed.
            let bytes = &part.as_bytes()[..part.len().min(usize::from(u16::MAX))];
            out.extend_from_slice(&(bytes.len() as u16).to_le_bytes());
            out.extend_from_slice(bytes);
        }
        URL_SAFE_NO_PAD.encode(out)
    }
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], &'static str> {
        if self.0.len() < n {
            return Err("it is cut short");
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], &'static str> {
        Ok(self.take(N)?.try_into().expect("take returns N bytes"))
    }
}

/// What a client asked of a connection: forwards (`first`, `after`, optionally `before`) or
/// backwards (`last`, `before`, optionally `after`).
pub struct Window {
    list: ListId,
    first: Option<usize>,
    last: Option<usize>,
    after: Option<Cursor>,
    before: Option<Cursor>,
}

/// The connection arguments as the resolver received them.
pub struct Args {
    pub first: Option<i32>,
    pub after: Option<String>,
    pub last: Option<i32>,
    pub before: Option<String>,
}

impl Window {
    /// Checks the arguments of a connection of `list`: sizes within `0..=max` (`maxPage`),
    /// cursors of this very list, and not `first` and `last` together. `first` falls back to
    /// `default_first` unless `last` is given.
    pub fn parse(
        ctx: &Context<'_>,
        list: ListId,
        args: Args,
        default_first: i32,
        max: usize,
    ) -> async_graphql::Result<Self> {
        let size = |name: &'static str, value: i32| -> async_graphql::Result<usize> {
            let size = usize::try_from(value)
                .map_err(|_| ApiError::InvalidInput(format!("{name} must not be negative")))
                .api()?;
            if size > max {
                return Err(ApiError::Limit {
                    name: "maxPage",
                    what: name,
                    limit: max,
                    got: size,
                }
                .into_graphql());
            }
            Ok(size)
        };
        let last = args.last.map(|l| size("last", l)).transpose()?;
        let first = match last {
            None => Some(size("first", args.first.unwrap_or(default_first))?),
            // The schema gives `first` a default; only a `first` the request sets (not null)
            // conflicts with `last`.
            Some(_) if first_given(ctx) => {
                return Err(ApiError::InvalidInput(
                    "first and last cannot be used together: page forwards with first and \
                     after, or backwards with last and before"
                        .into(),
                )
                .into_graphql());
            }
            Some(_) => None,
        };
        let cursor = |text: Option<String>| -> async_graphql::Result<Option<Cursor>> {
            let Some(text) = text else { return Ok(None) };
            let cursor = Cursor::decode_cursor(&text)
                .map_err(|why| {
                    // Quoted, and cut: the text can be anything a client sent.
                    let shown: String = text.chars().take(64).collect();
                    let more = if shown.len() < text.len() { "…" } else { "" };
                    ApiError::InvalidInput(format!("{shown:?}{more} is not a cursor: {why}"))
                })
                .api()?;
            if cursor.list != list {
                return Err(ApiError::InvalidInput(
                    "this cursor belongs to another list or other arguments".into(),
                )
                .into_graphql());
            }
            Ok(Some(cursor))
        };
        Ok(Window {
            list,
            first,
            last,
            after: cursor(args.after)?,
            before: cursor(args.before)?,
        })
    }

    /// How many of the list's best items to compute first: enough, if nothing moved since
    /// the cursor was made, to answer at once.
    fn need(&self) -> usize {
        let past = |c: &Option<Cursor>| c.as_ref().map_or(0, |c| c.position as usize + 1);
        match (self.first, self.last) {
            (Some(first), _) => past(&self.after).saturating_add(first).saturating_add(1),
            // Backwards from a cursor: up to it and one more (to see it or what follows).
            (None, Some(_)) if self.before.is_some() => past(&self.before).saturating_add(1),
            // Backwards from the end: all of it.
            (None, _) => usize::MAX,
        }
    }

    /// The page within `items`, the list's best `need` items (all of them when fewer), or
    /// `None` when more are needed to know it.
    fn cut<T>(&self, items: &[(ListKey, T)], need: usize) -> Option<Cut> {
        let len = items.len();
        let exhausted = len < need;
        let after = |c: &Cursor| items.partition_point(|(k, _)| *k <= c.key);
        let before = |c: &Cursor| items.partition_point(|(k, _)| *k < c.key);
        let lo = self.after.as_ref().map_or(0, after);
        let hi = self.before.as_ref().map_or(len, before).max(lo);
        if let Some(first) = self.first {
            // Enough when the list ended, or when more than `first` items follow the cursor
            // (then whether `before` cuts the page is known too).
            if !exhausted && len - lo <= first {
                return None;
            }
            let end = (lo + first).min(hi);
            return Some(Cut {
                start: lo,
                end,
                has_previous: lo > 0,
                has_next: hi > end,
                exhausted,
            });
        }
        let last = self.last.unwrap_or(0);
        // Enough when the list ended, or when an item at or after `before` is in sight.
        if !exhausted && hi == len {
            return None;
        }
        let start = hi.saturating_sub(last).max(lo);
        Some(Cut {
            start,
            end: hi,
            has_previous: start > 0,
            has_next: hi < len,
            exhausted,
        })
    }
}

/// Whether the request sets `first` (to something other than null) on this field.
fn first_given(ctx: &Context<'_>) -> bool {
    ctx.field()
        .arguments()
        .map(|args| {
            args.iter()
                .any(|(name, value)| name.as_str() == "first" && *value != Value::Null)
        })
        .unwrap_or(false)
}

struct Cut {
    start: usize,
    end: usize,
    has_previous: bool,
    has_next: bool,
    /// The items computed are the whole list.
    exhausted: bool,
}

/// How a connection knows `totalCount`: from the items it computed when they were the whole
/// list, else by counting when a client asks.
enum Total {
    Known(usize),
    Count(Arc<dyn Fn() -> usize + Send + Sync>),
}

/// A node type that has a connection.
pub trait Listed: OutputType {
    /// The connection's GraphQL type name.
    const CONNECTION: &'static str;
}

/// A page of a list in the list's order, with what is needed to page on.
pub struct Page<N: Listed> {
    edges: Vec<Edge<Cursor, N, EmptyFields>>,
    has_previous_page: bool,
    has_next_page: bool,
    total: Total,
}

impl<N: Listed> TypeName for Page<N> {
    fn type_name() -> Cow<'static, str> {
        N::CONNECTION.into()
    }
}

/// One page of a list, in the list's order. Cursors are opaque and stable: a page after (or
/// before) a cursor starts strictly after (or ends strictly before) its item in the list's
/// order, so writes between two pages neither repeat nor skip an item; they belong to the
/// list and the arguments they came from.
#[Object(name_type)]
impl<N: Listed> Page<N> {
    /// Whether there are items before this page and after this page, and the cursors of
    /// its first and last item.
    async fn page_info(&self) -> PageInfo {
        PageInfo {
            has_previous_page: self.has_previous_page,
            has_next_page: self.has_next_page,
            start_cursor: self.edges.first().map(|e| e.cursor.encode_cursor()),
            end_cursor: self.edges.last().map(|e| e.cursor.encode_cursor()),
        }
    }

    /// The items of this page with their cursors, in the list's order (also when paging
    /// backwards).
    async fn edges(&self) -> &[Edge<Cursor, N, EmptyFields>] {
        &self.edges
    }

    /// The items of this page without their cursors: the same as `edges { node }`.
    async fn nodes(&self) -> Vec<&N> {
        self.edges.iter().map(|e| &e.node).collect()
    }

    /// How many items the whole list holds (with the same arguments, whatever the cursors
    /// and page size).
    async fn total_count(&self) -> async_graphql::Result<i32> {
        let total = match &self.total {
            Total::Known(total) => *total,
            Total::Count(count) => {
                let count = count.clone();
                super::compute(move || count()).await?
            }
        };
        Ok(i32::try_from(total).unwrap_or(i32::MAX))
    }
}

impl Window {
    /// The key of the item a forwards page starts after, if it starts after a cursor.
    pub fn after_key(&self) -> Option<&ListKey> {
        self.after.as_ref().map(|c| &c.key)
    }

    /// The size of a forwards page (`None` when paging backwards).
    pub fn first(&self) -> Option<usize> {
        self.first
    }
}

/// A forwards page of a list that can be read from any key on (a log, in key order): `items`
/// are the page, each with its position in the whole list and its key, read by the caller
/// after [`Window::after_key`] and up to [`Window::first`] of them.
pub fn read_page<N: Listed>(
    window: &Window,
    items: Vec<(usize, ListKey, N)>,
    has_previous_page: bool,
    has_next_page: bool,
    total: usize,
) -> Page<N> {
    let edges = items
        .into_iter()
        .map(|(position, key, node)| {
            let cursor = Cursor {
                list: window.list,
                position: u32::try_from(position).unwrap_or(u32::MAX),
                key,
            };
            Edge::new(cursor, node)
        })
        .collect();
    Page {
        edges,
        has_previous_page,
        has_next_page,
        total: Total::Known(total),
    }
}

/// The page `window` asks for of the list that `fetch(need)` ranks (its best `need` items,
/// best first, each with its key), whose length `count` gives.
pub async fn page<T, N>(
    window: Window,
    fetch: impl Fn(usize) -> Vec<(ListKey, T)> + Send + Sync + 'static,
    count: impl Fn() -> usize + Send + Sync + 'static,
    node: impl Fn(T) -> N,
) -> async_graphql::Result<Page<N>>
where
    T: Send + 'static,
    N: Listed,
{
    let fetch = Arc::new(fetch);
    let mut need = window.need();
    loop {
        let items = if need <= INLINE_HITS {
            fetch(need)
        } else {
            let fetch = fetch.clone();
            super::compute(move || fetch(need)).await?
        };
        let Some(cut) = window.cut(&items, need) else {
            need = need.saturating_mul(2);
            continue;
        };
        let total = if cut.exhausted {
            Total::Known(items.len())
        } else {
            Total::Count(Arc::new(count))
        };
        let edges = items
            .into_iter()
            .enumerate()
            .skip(cut.start)
            .take(cut.end - cut.start)
            .map(|(position, (key, item))| {
                let cursor = Cursor {
                    list: window.list,
                    position: u32::try_from(position).unwrap_or(u32::MAX),
                    key,
                };
                Edge::new(cursor, node(item))
            })
            .collect();
        return Ok(Page {
            edges,
            has_previous_page: cut.has_previous,
            has_next_page: cut.has_next,
            total,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: i64) -> ListKey {
        ListKey {
            rank: [n, 0, 0],
            text: [String::new(), format!("id-{n}")],
        }
    }

    #[test]
    fn a_cursor_survives_its_encoding_and_nothing_else_decodes() {
        let cursor = Cursor {
            list: ListId::new("skills", &[Some("py"), None]),
            position: 41,
            key: ListKey {
                rank: [3, -7, i64::MAX],
                text: ["programming".into(), "python".into()],
            },
        };
        let back = Cursor::decode_cursor(&cursor.encode_cursor()).unwrap();
        assert_eq!(
            (back.list, back.position, back.key),
            (cursor.list, cursor.position, cursor.key)
        );
        for garbage in ["", "0", "18446744073709551615", "not a cursor", "AQ"] {
            assert!(Cursor::decode_cursor(garbage).is_err(), "{garbage:?}");
        }
    }

    #[test]
    fn lists_and_arguments_have_their_own_ids() {
        let ids = [
            ListId::new("skills", &[Some("python"), None]),
            ListId::new("skills", &[Some("sql"), None]),
            ListId::new("skills", &[Some("python"), Some("programming")]),
            ListId::new("skills", &[None, Some("python")]),
            ListId::new("roles", &[Some("python")]),
        ];
        for (i, a) in ids.iter().enumerate() {
            for b in &ids[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    #[test]
    fn backwards_from_a_cursor_ends_strictly_before_it() {
        let items: Vec<(ListKey, ())> = (0..10).map(|n| (key(n * 2), ())).collect();
        let window = Window {
            list: ListId(0),
            first: None,
            last: Some(3),
            after: None,
            before: Some(Cursor {
                list: ListId(0),
                position: 0,
                // Between items 4 and 5: a key whose item is gone.
                key: key(9),
            }),
        };
        let cut = window.cut(&items, usize::MAX).unwrap();
        assert_eq!(
            (cut.start, cut.end, cut.has_previous, cut.has_next),
            (2, 5, true, true)
        );
        // Too few computed to see past the cursor: ask for more.
        assert!(window.cut(&items[..4], 4).is_none());
    }
}
