//! A plan as a Graphviz DOT graph: `dot -Tsvg` draws it left to right, one cluster a stage.
//!
//! Node ids are `s` and the step's position; each node's `id` attribute is `step-N`, as in the
//! server's own SVG, so a page can find a step in either drawing.

use std::fmt::Write;

use super::{Drawing, one_line};
use crate::domain::{LearningPlan, SkillGraph};

/// The plan as a DOT digraph (see the module docs).
pub fn dot(plan: &LearningPlan, graph: &SkillGraph) -> String {
    let d = Drawing::new(plan, graph);
    let mut out = String::from("digraph plan {\n");
    let _ = writeln!(
        out,
        "  graph [rankdir=LR, fontname=\"Helvetica\", label={}, labelloc=t];",
        quoted(&d.summary())
    );
    out.push_str("  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n");
    out.push_str("  edge [color=\"#64748b\"];\n");
    if d.nodes.is_empty() {
        let _ = writeln!(out, "  done [label={}];", quoted(d.empty()));
    }
    for stage in &d.stages {
        let _ = writeln!(out, "  subgraph cluster_stage{} {{", stage.number);
        let _ = writeln!(out, "    label={};", quoted(&stage.label()));
        for &i in &stage.nodes {
            let n = &d.nodes[i];
            let p = n.step.position;
            let _ = writeln!(
                out,
                "    s{p} [id=\"step-{p}\", label={}{}];",
                quoted(&format!("{}\n{}", n.name, n.detail())),
                if n.is_target() { ", penwidth=2.5" } else { "" }
            );
        }
        out.push_str("  }\n");
    }
    for &(from, to) in &d.edges {
        let (a, b) = (d.nodes[from].step.position, d.nodes[to].step.position);
        let _ = writeln!(out, "  s{a} -> s{b};");
    }
    out.push_str("}\n");
    out
}

/// `text` as a DOT quoted string. A newline becomes DOT's centred line break `\n`; a backslash
/// is doubled, since DOT reads `\l`, `\N` and the like in labels as escapes.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("\\n");
        }
        for c in one_line(line) {
            if matches!(c, '"' | '\\') {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::quoted;

    #[test]
    fn quotes_and_backslashes_in_a_name_are_escaped_and_newlines_are_dot_line_breaks() {
        assert_eq!(
            quoted("say \"hi\" \\N <&>\nnext"),
            r#""say \"hi\" \\N <&>\nnext""#
        );
    }
}
