//! The inverted index behind name search: a term dictionary and, per field (names, aliases),
//! the postings of each term, so that a query touches the few keys that can match instead of
//! every key of the graph.
//!
//! Documents (skills or roles) are numbered in their tie-break order (shorter name first, then
//! more roles requiring it, then id), and keys (a name, an alias) in the order of their
//! documents. So every postings list is already in ranking order within a tier: the best `n`
//! of a tier are the first `n` keys of the candidate set, and a search stops as soon as it has
//! as many hits as asked for.
//!
//! Terms are numbered in byte order, so the terms starting with a prefix are one contiguous
//! range of ids and, with the postings laid out term after term, one contiguous slice of
//! postings. The dictionary is kept twice, small as it is (ESCO: 12k words, 96 KB): as an
//! [`fst::Map`], so that a Levenshtein automaton can walk it for typo matches without
//! visiting every term, and as one newline-separated buffer for substring search with
//! `memmem`, which scans it in microseconds.

//!
//! [`SearchState`] is what a snapshot holds: its own index once built, or an earlier
//! snapshot's with the ids written since (see the `search` docs). Below the graph: this module
//! reads ids and folded keys and must not depend on `SkillGraph` or any question module.

use std::hash::Hash;
use std::ops::ControlFlow;
use std::sync::{Arc, LazyLock};

use fst::{IntoStreamer, Streamer};
use levenshtein_automata::LevenshteinAutomatonBuilder;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::rank::{Query, Tier, typo_allowed};
use crate::domain::graph::lazy::Lazy;
use crate::domain::text::SearchKeys;

/// One edit, an adjacent transposition counting as one ("pyhton" is one typo from "python").
/// Building the builder costs a few milliseconds, so it is made once per process.
static ONE_EDIT: LazyLock<LevenshteinAutomatonBuilder> =
    LazyLock::new(|| LevenshteinAutomatonBuilder::new(1, true));

/// Candidate lists at most this long are sorted; longer ones are merged through a bitset, whose
/// cost is one bit per key of the field but which comes out sorted and deduplicated for free.
const SORT_MAX: usize = 64;

/// The keys of one kind (names or aliases) of every document.
#[derive(Default)]
struct Field {
    /// Key → its document.
    doc_of: Vec<u32>,
    /// Key → its words (term ids, in order) as `words[word_start[k]..word_start[k + 1]]`.
    word_start: Vec<u32>,
    words: Vec<u32>,
    /// Term → the keys that have it as any word, ascending, as
    /// `postings[post_start[t]..post_start[t + 1]]`.
    post_start: Vec<u32>,
    postings: Vec<u32>,
    /// Term → the keys whose first word it is: whole-key exact and prefix matches start here.
    first_start: Vec<u32>,
    first: Vec<u32>,
    /// Key → how many of its words come before a closing qualifier (see
    /// [`SearchKeys::head_words`]); kept for names only, empty for aliases.
    head: Vec<u32>,
}

/// Which postings of a field a candidate set is drawn from.
#[derive(Clone, Copy)]
enum List {
    AnyWord,
    FirstWord,
}

impl Field {
    fn len(&self) -> usize {
        self.doc_of.len()
    }

    fn words_of(&self, key: u32) -> &[u32] {
        let k = key as usize;
        &self.words[self.word_start[k] as usize..self.word_start[k + 1] as usize]
    }

    fn list(&self, which: List, term: u32) -> &[u32] {
        let (start, list) = match which {
            List::AnyWord => (&self.post_start, &self.postings),
            List::FirstWord => (&self.first_start, &self.first),
        };
        &list[start[term as usize] as usize..start[term as usize + 1] as usize]
    }

    /// How many postings the terms of `set` have in `which`: a cheap size estimate, exact up
    /// to keys that have two words of the set.
    fn count(&self, which: List, set: &Terms) -> usize {
        let start = match which {
            List::AnyWord => &self.post_start,
            List::FirstWord => &self.first_start,
        };
        match set {
            Terms::Range(a, b) => (start[*b as usize] - start[*a as usize]) as usize,
            Terms::List(ts) => ts
                .iter()
                .map(|&t| (start[t as usize + 1] - start[t as usize]) as usize)
                .sum(),
        }
    }

    /// Calls `f` with every key in the postings of the terms of `set`, ascending and once
    /// each, until `f` breaks.
    fn for_each_key(
        &self,
        which: List,
        set: &Terms,
        mut f: impl FnMut(u32) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        let single = match set {
            Terms::Range(a, b) if b - a == 1 => Some(*a),
            Terms::List(ts) if ts.len() == 1 => Some(ts[0]),
            _ => None,
        };
        if let Some(term) = single {
            // One list: already ascending and without repeats.
            return self.list(which, term).iter().try_for_each(|&k| f(k));
        }
        let total = self.count(which, set);
        if total == 0 {
            return ControlFlow::Continue(());
        }
        if total <= SORT_MAX {
            let mut keys = Vec::with_capacity(total);
            set.for_each(|t| keys.extend_from_slice(self.list(which, t)));
            keys.sort_unstable();
            keys.dedup();
            return keys.into_iter().try_for_each(f);
        }
        let mut bits = vec![0u64; self.len().div_ceil(64)];
        set.for_each(|t| {
            for &k in self.list(which, t) {
                bits[k as usize / 64] |= 1 << (k % 64);
            }
        });
        for (i, &word) in bits.iter().enumerate() {
            let mut word = word;
            while word != 0 {
                let bit = word.trailing_zeros();
                f(i as u32 * 64 + bit)?;
                word &= word - 1;
            }
        }
        ControlFlow::Continue(())
    }
}

/// The terms a query word may match as.
#[derive(Clone, Debug)]
enum Terms {
    /// Term ids `a..b`: an exact word (one id) or every word with a prefix.
    Range(u32, u32),
    /// Sorted term ids: words containing the query word, or within one edit of it.
    List(Vec<u32>),
}

impl Terms {
    const NONE: Terms = Terms::Range(0, 0);

    fn is_empty(&self) -> bool {
        match self {
            Terms::Range(a, b) => a >= b,
            Terms::List(ts) => ts.is_empty(),
        }
    }

    fn contains(&self, term: u32) -> bool {
        match self {
            Terms::Range(a, b) => (*a..*b).contains(&term),
            Terms::List(ts) => ts.binary_search(&term).is_ok(),
        }
    }

    fn for_each(&self, mut f: impl FnMut(u32)) {
        match self {
            Terms::Range(a, b) => (*a..*b).for_each(f),
            Terms::List(ts) => ts.iter().for_each(|&t| f(t)),
        }
    }
}

/// The ids of the documents, in their tie-break order, and their names and aliases indexed.
pub(crate) struct TextIndex<I> {
    docs: Vec<I>,
    /// Term → term id; ids are the terms' byte order.
    dictionary: fst::Map<Vec<u8>>,
    /// Every term followed by `\n`; term `t` starts at `starts[t]` (`starts` ends with the
    /// buffer's length).
    blob: Vec<u8>,
    starts: Vec<u32>,
    names: Field,
    aliases: Field,
}

/// Collects hits in rank order, each document once, up to `need`.
struct Hits<'a> {
    need: usize,
    out: Vec<(Tier, u32)>,
    /// Documents already taken, by a better tier or another key of the same document.
    seen: Vec<u64>,
    accept: &'a dyn Fn(u32) -> bool,
}

impl Hits<'_> {
    fn offer(&mut self, tier: Tier, doc: u32) -> ControlFlow<()> {
        let (word, bit) = (doc as usize / 64, 1u64 << (doc % 64));
        if self.seen[word] & bit == 0 && (self.accept)(doc) {
            self.seen[word] |= bit;
            self.out.push((tier, doc));
        }
        if self.out.len() >= self.need {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    }
}

impl<I> TextIndex<I> {
    /// Indexes `docs`, which must come in tie-break order, each with its folded keys.
    pub(crate) fn build<'a>(docs: impl IntoIterator<Item = (I, &'a SearchKeys)>) -> Self {
        // Provisional term ids in order of first sight; renumbered in byte order below.
        let mut ids: HashMap<&'a str, u32> = HashMap::default();
        let mut texts: Vec<&'a str> = Vec::new();
        let mut names = Field::default();
        let mut aliases = Field::default();
        let mut doc_ids = Vec::new();
        for (doc, (id, keys)) in docs.into_iter().enumerate() {
            doc_ids.push(id);
            names.head.push(keys.head_words() as u32);
            for (slot, key) in keys.all().iter().enumerate() {
                let field = if slot == 0 { &mut names } else { &mut aliases };
                field.doc_of.push(doc as u32);
                field.word_start.push(field.words.len() as u32);
                for word in key.split(' ').filter(|w| !w.is_empty()) {
                    let next = texts.len() as u32;
                    let t = *ids.entry(word).or_insert_with(|| {
                        texts.push(word);
                        next
                    });
                    field.words.push(t);
                }
            }
        }
        let mut order: Vec<u32> = (0..texts.len() as u32).collect();
        order.sort_unstable_by_key(|&t| texts[t as usize]);
        let mut renumber = vec![0u32; texts.len()];
        let mut blob = Vec::new();
        let mut starts = Vec::with_capacity(texts.len() + 1);
        for (new, &old) in order.iter().enumerate() {
            renumber[old as usize] = new as u32;
            starts.push(blob.len() as u32);
            blob.extend_from_slice(texts[old as usize].as_bytes());
            blob.push(b'\n');
        }
        starts.push(blob.len() as u32);
        let dictionary = fst::Map::from_iter(
            order
                .iter()
                .enumerate()
                .map(|(new, &old)| (texts[old as usize], new as u64)),
        )
        .expect("terms are unique and sorted");
        for field in [&mut names, &mut aliases] {
            field.word_start.push(field.words.len() as u32);
            for t in &mut field.words {
                *t = renumber[*t as usize];
            }
            field.index(texts.len());
        }
        TextIndex {
            docs: doc_ids,
            dictionary,
            blob,
            starts,
            names,
            aliases,
        }
    }

    pub(crate) fn doc(&self, doc: u32) -> &I {
        &self.docs[doc as usize]
    }

    fn term(&self, t: u32) -> &[u8] {
        &self.blob[self.starts[t as usize] as usize..self.starts[t as usize + 1] as usize - 1]
    }

    fn exact(&self, word: &str) -> Terms {
        match self.dictionary.get(word) {
            Some(t) => Terms::Range(t as u32, t as u32 + 1),
            None => Terms::NONE,
        }
    }

    fn prefixed(&self, word: &str) -> Terms {
        let word = word.as_bytes();
        let n = self.starts.len() as u32 - 1;
        let (mut lo, mut hi) = (0, n);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.term(mid) < word {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let a = lo;
        hi = n;
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.term(mid).starts_with(word) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        Terms::Range(a, lo)
    }

    /// Terms containing `word` anywhere.
    fn containing(&self, word: &str) -> Terms {
        let mut out: Vec<u32> = Vec::new();
        for at in memchr::memmem::find_iter(&self.blob, word.as_bytes()) {
            let t = self.starts.partition_point(|&s| s as usize <= at) as u32 - 1;
            if out.last() != Some(&t) {
                out.push(t);
            }
        }
        Terms::List(out)
    }

    /// Terms within one edit of `word` (`last`: terms with a prefix within one edit).
    fn near(&self, word: &str, last: bool) -> Terms {
        let dfa = if last {
            ONE_EDIT.build_prefix_dfa(word)
        } else {
            ONE_EDIT.build_dfa(word)
        };
        let mut stream = self.dictionary.search(&dfa).into_stream();
        let mut out = Vec::new();
        while let Some((_, t)) = stream.next() {
            out.push(t as u32);
        }
        Terms::List(out)
    }

    /// The best `need` documents for `query` (not empty) that `accept` lets through, best
    /// first, each with its tier. The rules are [`super::rank::tier`]'s; this finds the same answer
    /// from the postings.
    pub(crate) fn search(
        &self,
        query: &Query,
        need: usize,
        accept: &dyn Fn(u32) -> bool,
    ) -> Vec<(Tier, u32)> {
        let mut hits = Hits {
            need,
            out: Vec::new(),
            seen: vec![0u64; self.docs.len().div_ceil(64)],
            accept,
        };
        if need == 0 {
            return hits.out;
        }
        let _ = self.collect(query, &mut hits);
        hits.out
    }

    fn collect(&self, query: &Query, hits: &mut Hits<'_>) -> ControlFlow<()> {
        let words = &query.words;
        let last = words.len() - 1;
        let exact: Vec<Terms> = words.iter().map(|w| self.exact(w)).collect();
        let prefix = self.prefixed(&words[last]);

        // Whole keys: the words in order, the last one complete (exact) or a prefix.
        for (field, exact_tier, prefix_tier) in [
            (&self.names, Tier::NameExact, Tier::NamePrefix),
            (&self.aliases, Tier::AliasExact, Tier::AliasPrefix),
        ] {
            self.whole_key(field, &exact, &exact[last], true, exact_tier, hits)?;
            self.whole_key(field, &exact, &prefix, false, prefix_tier, hits)?;
        }

        // Words in any order: earlier ones whole, the last one a prefix.
        let mut sets = exact.clone();
        sets[last] = prefix;
        self.all_words(&self.names, &sets, Tier::NameWords, hits)?;
        self.all_words(&self.aliases, &sets, Tier::AliasWords, hits)?;

        let inside: Vec<Terms> = words.iter().map(|w| self.containing(w)).collect();
        self.all_words(&self.names, &inside, Tier::NameSubstring, hits)?;
        self.all_words(&self.aliases, &inside, Tier::AliasSubstring, hits)?;

        if words.iter().any(|w| typo_allowed(w)) {
            let typo: Vec<Terms> = words
                .iter()
                .enumerate()
                .map(|(i, w)| match (typo_allowed(w), i == last) {
                    (true, is_last) => self.near(w, is_last),
                    (false, _) => sets[i].clone(),
                })
                .collect();
            self.all_words(&self.names, &typo, Tier::NameTypo, hits)?;
            self.all_words(&self.aliases, &typo, Tier::AliasTypo, hits)?;
        }
        ControlFlow::Continue(())
    }

    /// Keys whose words are the query's words in order: all but the last exactly, the last as
    /// `last` says (exact: the key has no more words; else the key's word starts with it).
    fn whole_key(
        &self,
        field: &Field,
        exact: &[Terms],
        last: &Terms,
        complete: bool,
        tier: Tier,
        hits: &mut Hits<'_>,
    ) -> ControlFlow<()> {
        let n = exact.len();
        let first = if n == 1 { last } else { &exact[0] };
        if first.is_empty() || last.is_empty() || exact[..n - 1].iter().any(Terms::is_empty) {
            return ControlFlow::Continue(());
        }
        field.for_each_key(List::FirstWord, first, |key| {
            let words = field.words_of(key);
            let fits = if complete {
                words.len() == n || field.head.get(key as usize) == Some(&(n as u32))
            } else {
                words.len() >= n
            } && words[..n - 1]
                .iter()
                .zip(exact)
                .all(|(&t, set)| set.contains(t))
                && last.contains(words[n - 1]);
            if fits {
                hits.offer(tier, field.doc_of[key as usize])
            } else {
                ControlFlow::Continue(())
            }
        })
    }

    /// Keys that have, for every query word, some word in that word's set.
    fn all_words(
        &self,
        field: &Field,
        sets: &[Terms],
        tier: Tier,
        hits: &mut Hits<'_>,
    ) -> ControlFlow<()> {
        if sets.iter().any(Terms::is_empty) {
            return ControlFlow::Continue(());
        }
        // Drive from the rarest word; check the others on each candidate's few words.
        let driver = (0..sets.len())
            .min_by_key(|&i| field.count(List::AnyWord, &sets[i]))
            .expect("a query has a word");
        field.for_each_key(List::AnyWord, &sets[driver], |key| {
            let words = field.words_of(key);
            let fits = sets
                .iter()
                .enumerate()
                .all(|(i, set)| i == driver || words.iter().any(|&t| set.contains(t)));
            if fits {
                hits.offer(tier, field.doc_of[key as usize])
            } else {
                ControlFlow::Continue(())
            }
        })
    }
}

impl Field {
    /// Fills the postings from the words, by counting sort: keys are visited in order, so
    /// every list comes out ascending.
    fn index(&mut self, terms: usize) {
        let mut any = vec![0u32; terms + 1];
        let mut first = vec![0u32; terms + 1];
        let mut distinct = Vec::new();
        for key in 0..self.len() as u32 {
            let words = self.words_of(key);
            if let Some(&t) = words.first() {
                first[t as usize + 1] += 1;
            }
            distinct.clear();
            distinct.extend_from_slice(words);
            distinct.sort_unstable();
            distinct.dedup();
            for &t in &distinct {
                any[t as usize + 1] += 1;
            }
        }
        for counts in [&mut any, &mut first] {
            for t in 1..counts.len() {
                counts[t] += counts[t - 1];
            }
        }
        let mut postings = vec![0u32; any[terms] as usize];
        let mut firsts = vec![0u32; first[terms] as usize];
        let (mut any_at, mut first_at) = (any.clone(), first.clone());
        for key in 0..self.len() as u32 {
            let words = self.words_of(key);
            if let Some(&t) = words.first() {
                firsts[first_at[t as usize] as usize] = key;
                first_at[t as usize] += 1;
            }
            distinct.clear();
            distinct.extend_from_slice(words);
            distinct.sort_unstable();
            distinct.dedup();
            for &t in &distinct {
                postings[any_at[t as usize] as usize] = key;
                any_at[t as usize] += 1;
            }
        }
        self.post_start = any;
        self.postings = postings;
        self.first_start = first;
        self.first = firsts;
    }
}

/// How many ids written since the index was built a search ranks directly before the index is
/// rebuilt. Ranking one ESCO skill directly costs about 0.2 µs (the "after 60 writes" bench),
/// so a search after writes stays far below the 50 µs an autocomplete may take, while the
/// rebuild (about 45 ms on ESCO) is paid once per this many writes.
pub(in crate::domain) const OVERLAY_MAX: usize = 64;

/// The search index of one snapshot: its own, once built, or an earlier one with the ids
/// written since (see the module docs).
pub(in crate::domain) struct SearchState<I> {
    own: Lazy<Arc<TextIndex<I>>>,
    earlier: Option<Earlier<I>>,
}

/// The index of an earlier snapshot and the ids written since.
type Earlier<I> = (Arc<TextIndex<I>>, Arc<HashSet<I>>);

// By hand: derives would ask `I: Clone` and `I: Default`, which the fields do not need.
impl<I> Clone for SearchState<I> {
    fn clone(&self) -> Self {
        SearchState {
            own: self.own.clone(),
            earlier: self.earlier.clone(),
        }
    }
}

impl<I> Default for SearchState<I> {
    fn default() -> Self {
        SearchState {
            own: Lazy::default(),
            earlier: None,
        }
    }
}

impl<I: Clone + Eq + Hash> SearchState<I> {
    /// Records that the entry of `id` changed (or went) in this snapshot.
    pub(in crate::domain) fn touched(&mut self, id: &I) {
        if let Some(built) = self.own.get() {
            // The index of the snapshot this one was cloned from: it covers all but `id`.
            self.earlier = Some((built.clone(), Arc::default()));
        }
        self.own.reset();
        if let Some((_, written)) = &mut self.earlier {
            if written.len() >= OVERLAY_MAX {
                self.earlier = None;
            } else {
                Arc::make_mut(written).insert(id.clone());
            }
        }
    }

    /// The index to search and the ids it does not cover, building one if needed.
    pub(in crate::domain) fn view(
        &self,
        build: impl FnOnce() -> TextIndex<I>,
    ) -> (&TextIndex<I>, Option<&HashSet<I>>) {
        if let Some(own) = self.own.get() {
            return (own, None);
        }
        if let Some((index, written)) = &self.earlier {
            return (index, Some(written));
        }
        (self.own.get_or_init(|| Arc::new(build())), None)
    }

    pub(in crate::domain) fn prepare(&self, build: impl FnOnce() -> TextIndex<I>) {
        if self.earlier.is_none() {
            self.own.get_or_init(|| Arc::new(build()));
        }
    }
}
