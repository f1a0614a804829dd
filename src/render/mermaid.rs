//! A plan as a Mermaid flowchart: one subgraph a stage, left to right, as GitHub renders a
//! ```` ```mermaid ```` block.
//!
//! Node ids are `s` and the step's position, never the skill id (a slug such as `end` or
//! `graph` is a Mermaid keyword). Labels are quoted, and every character that Mermaid or the
//! HTML it renders to could read as syntax is written as an entity code (`#34;` for `"`).

use std::fmt::Write;

use super::{Drawing, one_line};
use crate::domain::{LearningPlan, SkillGraph};

/// The plan as a Mermaid flowchart (see the module docs).
pub fn mermaid(plan: &LearningPlan, graph: &SkillGraph) -> String {
    let d = Drawing::new(plan, graph);
    let mut out = String::from("flowchart LR\n");
    if d.nodes.is_empty() {
        let _ = writeln!(out, "  done[\"{}\"]", label(d.empty()));
        return out;
    }
    for stage in &d.stages {
        let _ = writeln!(
            out,
            "  subgraph stage{}[\"{}\"]",
            stage.number,
            label(&stage.label())
        );
        for &i in &stage.nodes {
            let n = &d.nodes[i];
            let _ = writeln!(
                out,
                "    s{}[\"{}<br>{}\"]",
                n.step.position,
                label(n.name),
                label(&n.detail())
            );
        }
        out.push_str("  end\n");
    }
    for &(from, to) in &d.edges {
        let (a, b) = (d.nodes[from].step.position, d.nodes[to].step.position);
        let _ = writeln!(out, "  s{a} --> s{b}");
    }
    let targets: Vec<String> = d
        .nodes
        .iter()
        .filter(|n| n.is_target())
        .map(|n| format!("s{}", n.step.position))
        .collect();
    if !targets.is_empty() {
        out.push_str("  classDef target stroke-width:3px\n");
        let _ = writeln!(out, "  class {} target", targets.join(","));
    }
    out
}

/// `text` for inside a quoted Mermaid label.
fn label(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in one_line(text) {
        match c {
            // Quotes end the label; `#` and `;` make entity codes; `<`, `>` and `&` are HTML
            // to the renderer; a backtick starts a Markdown string.
            '"' | '#' | ';' | '<' | '>' | '&' | '`' => {
                let _ = write!(out, "#{};", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::label;

    #[test]
    fn mermaid_syntax_in_a_name_is_written_as_entity_codes() {
        assert_eq!(
            label(r#"C# & "F#" <br> `x`; [a]"#),
            "C#35; #38; #34;F#35;#34; #60;br#62; #96;x#96;#59; [a]"
        );
    }
}
