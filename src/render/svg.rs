//! A plan as an SVG picture, laid out here: stages as columns left to right, each step a box
//! in its stage's column, each edge a curve with an arrowhead from a step to a later step that
//! waits for it.
//!
//! Why a layout of our own rather than a layout crate: the hard part of drawing a layered DAG
//! (assigning layers) is already done by the plan, whose stages are the layers people should
//! see; the crates that lay out graphs (`layout-rs`, the one maintained pure-Rust Graphviz-like
//! renderer) compute their own ranks from the edges, cannot be told to keep a stage in one
//! column, and draw through a backend that is handed rectangles and text with no step they
//! belong to, so the picture could carry no `id` or `data-skill` for a page to click. What is
//! left (box sizes, a column order that crosses fewer edges, curves) is a hundred lines.
//!
//! * **Boxes** are sized to their text by an estimate of glyph widths (no font is measured on a
//!   server); names longer than [`WRAP`] characters wrap at spaces. Boxes of a column share the
//!   column's width.
//! * **Order in a column**: the first stage in plan order; each later one by the mean height of
//!   the steps each step waits for (the barycentre heuristic of layered drawing, one sweep),
//!   ties in plan order. So a step sits near what it builds on, and edges cross less.
//! * **Edges** are drawn before the boxes, so one that spans several stages passes behind the
//!   boxes in between rather than over their text.
//! * **Clicking**: each step is a `<g class="step" id="step-N" data-skill="…">`, each edge a
//!   `<path class="edge" data-from="step-N" data-to="step-M">`. Colours are presentation
//!   attributes, not `style`, so a page whose Content-Security-Policy refuses inline styles
//!   can still show it inline, and restyle it from its stylesheet.
//!
//! Coordinates are whole pixels and every order is fixed, so the same plan gives the same
//! bytes.

use std::fmt::Write;

use super::{Drawing, Node, one_line};
use crate::domain::{LearningPlan, SkillGraph};

/// A name wraps after this many characters, at a space where there is one.
const WRAP: usize = 28;
/// Estimated advance of an average glyph of the name font (13 px) and the detail font (11 px),
/// in tenths of a pixel: about the mean of a wide sans-serif (DejaVu Sans, bold for names), so
/// text fits in the fonts a Linux browser falls back to.
const NAME_GLYPH: u32 = 82;
const DETAIL_GLYPH: u32 = 66;
const NAME_LINE: u32 = 16;
const DETAIL_LINE: u32 = 14;
const PAD_X: u32 = 10;
const PAD_Y: u32 = 8;
const MIN_BOX: u32 = 120;
const COLUMN_GAP: u32 = 64;
const ROW_GAP: u32 = 12;
const MARGIN: u32 = 16;
/// Heights of a title line and of the stage headers above the columns.
const TITLE: u32 = 26;
const HEADER: u32 = 24;
const FONTS: &str = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";

/// A step's box once placed.
#[derive(Clone, Copy, Default)]
struct Place {
    x: u32,
    y: u32,
    width: u32,
    height: u32,
}

impl Place {
    fn middle(&self) -> u32 {
        self.y + self.height / 2
    }
}

/// The plan as an SVG document (see the module docs).
pub fn svg(plan: &LearningPlan, graph: &SkillGraph) -> String {
    let d = Drawing::new(plan, graph);
    let title = d.summary();
    let title_lines = d.summary_lines();
    // The title's lines, then the stage headers, then the columns.
    let titles = TITLE * title_lines.len() as u32;
    let lines: Vec<Vec<String>> = d.nodes.iter().map(|n| wrap(n.name)).collect();
    let details: Vec<String> = d.nodes.iter().map(Node::detail).collect();
    let sizes: Vec<(u32, u32)> = lines
        .iter()
        .zip(&details)
        .map(|(lines, detail)| box_size(lines, detail))
        .collect();

    // Place the columns left to right, each ordered by its steps' prerequisites above it.
    let mut waits_for: Vec<Vec<usize>> = vec![Vec::new(); d.nodes.len()];
    for &(from, to) in &d.edges {
        waits_for[to].push(from);
    }
    let top = MARGIN + titles + HEADER;
    let mut places = vec![Place::default(); d.nodes.len()];
    let mut columns = Vec::with_capacity(d.stages.len());
    let mut x = MARGIN;
    let mut bottom = top;
    for (k, stage) in d.stages.iter().enumerate() {
        let mut order = stage.nodes.clone();
        if k > 0 {
            let centre = |i: usize| {
                let above = &waits_for[i];
                let sum: u64 = above.iter().map(|&j| u64::from(places[j].middle())).sum();
                sum.checked_div(above.len() as u64).unwrap_or(u64::MAX)
            };
            order.sort_by_cached_key(|&i| (centre(i), i));
        }
        let width = order.iter().map(|&i| sizes[i].0).max().unwrap_or(MIN_BOX);
        let mut y = top;
        for &i in &order {
            places[i] = Place {
                x,
                y,
                width,
                height: sizes[i].1,
            };
            y += sizes[i].1 + ROW_GAP;
        }
        bottom = bottom.max(y);
        columns.push((x, width));
        x += width + COLUMN_GAP;
    }
    let width = (x + MARGIN)
        .saturating_sub(if d.stages.is_empty() { 0 } else { COLUMN_GAP })
        .max(
            title_lines
                .iter()
                .map(|line| text_width(line, 80))
                .max()
                .unwrap_or(0)
                + 2 * MARGIN,
        );
    let height = bottom.max(top) + MARGIN;

    let mut out = String::with_capacity(512 + d.nodes.len() * 400 + d.edges.len() * 160);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"plan-title\" \
         font-family=\"{FONTS}\">\n<title id=\"plan-title\">{}</title>\n",
        xml(&title)
    );
    out.push_str(
        "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" \
         markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">\
         <path d=\"M0,0L10,5L0,10z\" fill=\"#64748b\"/></marker></defs>\n",
    );
    let _ = writeln!(
        out,
        "<rect width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>"
    );
    for (k, line) in title_lines.iter().enumerate() {
        // The first line in bold, what follows it (a budget's account) in the normal weight.
        let weight = if k == 0 { "600" } else { "400" };
        let _ = writeln!(
            out,
            "<text x=\"{MARGIN}\" y=\"{}\" font-size=\"15\" font-weight=\"{weight}\" \
             fill=\"#0f172a\">{}</text>",
            MARGIN + 16 + TITLE * k as u32,
            xml(line)
        );
    }
    for (stage, &(x, w)) in d.stages.iter().zip(&columns) {
        let _ = writeln!(
            out,
            "<g class=\"stage\" data-stage=\"{}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" \
             height=\"{}\" rx=\"8\" fill=\"#f1f5f9\"/><text x=\"{}\" y=\"{}\" \
             text-anchor=\"middle\" font-size=\"12\" fill=\"#475569\">{}</text></g>",
            stage.number,
            x - 6,
            MARGIN + titles,
            w + 12,
            bottom - (MARGIN + titles) - ROW_GAP + 6,
            x + w / 2,
            MARGIN + titles + 16,
            xml(&stage.label())
        );
    }
    out.push_str("<g class=\"edges\" fill=\"none\" stroke=\"#94a3b8\" stroke-width=\"1.5\">\n");
    for &(from, to) in &d.edges {
        let (a, b) = (places[from], places[to]);
        let (x1, y1, x2, y2) = (a.x + a.width, a.middle(), b.x, b.middle());
        let bend = (x2.saturating_sub(x1) / 2).min(48);
        let _ = writeln!(
            out,
            "<path class=\"edge\" data-from=\"step-{}\" data-to=\"step-{}\" \
             d=\"M{x1},{y1} C{},{y1} {},{y2} {x2},{y2}\" marker-end=\"url(#arrow)\"/>",
            d.nodes[from].step.position,
            d.nodes[to].step.position,
            x1 + bend,
            x2 - bend,
        );
    }
    out.push_str("</g>\n<g class=\"steps\">\n");
    for (i, n) in d.nodes.iter().enumerate() {
        let p = places[i];
        let (stroke, fill) = if n.is_target() {
            ("2.5", "#eef2ff")
        } else {
            ("1", "#ffffff")
        };
        let _ = write!(
            out,
            "<g class=\"step{}\" id=\"step-{}\" data-skill=\"{}\" data-stage=\"{}\">\
             <title>{} · {}</title>\
             <rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\" fill=\"{fill}\" \
             stroke=\"#334155\" stroke-width=\"{stroke}\"/>",
            if n.is_target() { " target" } else { "" },
            n.step.position,
            xml(n.step.skill.as_str()),
            n.step.stage,
            xml(n.name),
            xml(&details[i]),
            p.x,
            p.y,
            p.width,
            p.height,
        );
        let centre = p.x + p.width / 2;
        let mut y = p.y + PAD_Y + 12;
        for line in &lines[i] {
            let _ = write!(
                out,
                "<text x=\"{centre}\" y=\"{y}\" text-anchor=\"middle\" font-size=\"13\" \
                 font-weight=\"600\" fill=\"#0f172a\">{}</text>",
                xml(line)
            );
            y += NAME_LINE;
        }
        let _ = writeln!(
            out,
            "<text x=\"{centre}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\" \
             fill=\"#475569\">{}</text></g>",
            y - 1,
            xml(&details[i])
        );
    }
    out.push_str("</g>\n");
    if d.nodes.is_empty() {
        let _ = writeln!(
            out,
            "<text x=\"{MARGIN}\" y=\"{}\" font-size=\"13\" fill=\"#475569\">{}</text>",
            top,
            xml(d.empty())
        );
    }
    out.push_str("</svg>\n");
    out
}

/// The box of a step: wide enough for its longest line, tall enough for all of them.
fn box_size(lines: &[String], detail: &str) -> (u32, u32) {
    let text = lines
        .iter()
        .map(|l| text_width(l, NAME_GLYPH))
        .chain([text_width(detail, DETAIL_GLYPH)])
        .max()
        .unwrap_or(0);
    let height = 2 * PAD_Y + NAME_LINE * lines.len() as u32 + DETAIL_LINE;
    ((text + 2 * PAD_X).max(MIN_BOX), height)
}

/// Estimated width in pixels of `text` at `glyph` tenths of a pixel a character.
fn text_width(text: &str, glyph: u32) -> u32 {
    (text.chars().count() as u32 * glyph).div_ceil(10)
}

/// `name` in lines of at most [`WRAP`] characters, broken at spaces, a longer word cut.
fn wrap(name: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let clean: String = one_line(name).collect();
    for word in clean.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > WRAP {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            lines.push(word.drain(..WRAP).collect());
        }
        let word: String = word.into_iter().collect();
        let fits = line.chars().count() + 1 + word.chars().count() <= WRAP;
        if !line.is_empty() && !fits {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// `text` for XML character data or a quoted attribute.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in one_line(text) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{WRAP, wrap, xml};

    #[test]
    fn names_wrap_at_spaces_and_overlong_words_are_cut() {
        assert_eq!(wrap("Python"), ["Python"]);
        assert_eq!(
            wrap("Retrieval augmented generation with vector databases"),
            ["Retrieval augmented", "generation with vector", "databases"]
        );
        let long = "x".repeat(WRAP + 3);
        assert_eq!(wrap(&long), ["x".repeat(WRAP), "xxx".to_owned()]);
        assert!(wrap("").len() == 1);
    }

    #[test]
    fn markup_and_quotes_are_escaped_for_xml() {
        assert_eq!(
            xml("<b>Tom & \"Jerry's\"</b>"),
            "&lt;b&gt;Tom &amp; &quot;Jerry&apos;s&quot;&lt;/b&gt;"
        );
    }
}
