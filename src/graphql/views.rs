//! Output types: thin views over domain values. Each view carries the graph snapshot it was
//! read from, so nested fields answer from the same revision as the field that produced them
//! (and a mutation's result shows the graph as that mutation left it).
//!
//! [`graph`] holds the graph's own objects (skills, categories, roles and what ties them),
//! [`answers`] what questions return (plans, gaps, matches, suggestions, mentions); answers
//! use the graph's views, never the other way. Resolvers of `Query` and `Mutation` build
//! these views and depend on them; nothing here depends on a resolver.

mod answers;
mod graph;

pub use answers::{
    LearningPathView, RoleGapView, RoleMatchView, SkillMentionView, SkillSuggestionView,
    TitleMatchView,
};
pub use graph::{CategoryView, RoleCategoryView, RoleView, SkillView, roles_page};

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::path::Path;
    use std::sync::Arc;

    use async_graphql::parser::types::{TypeKind, TypeSystemDefinition};

    use super::answers::{LearningPathView, RequirementStatusView};
    use super::graph::{
        CategoryRef, PrerequisiteView, ResourceRef, RoleCategoryRef, RoleRef, RoleRequirementView,
        SkillView,
    };
    use crate::domain::{CategoryKind, Follow, PlanOptions, Profile, Reach, SkillGraph, Target};
    use crate::graphql::flat::{Flat, walks};

    /// Fields of walked types that take no argument and that the walk leaves to async-graphql,
    /// each with the reason. A list holding such a field is resolved field by field (slowly,
    /// but correctly); any other plain field of these types must be answered by the walk.
    const EXECUTOR_ONLY: &[(&str, &str, &str)] = &[
        (
            "Skill",
            "requiredBy",
            "the graph answers it with a Result (a lookup by id), and the walk answers only \
             what cannot fail",
        ),
        (
            "PathStep",
            "serves",
            "a list of the union PlanTarget: the walk answers objects of one known type",
        ),
    ];

    /// The fields without arguments of every object type of the schema, by type.
    fn plain_fields() -> HashMap<String, Vec<String>> {
        let sdl = crate::graphql::sdl();
        let document = async_graphql::parser::parse_schema(&sdl).expect("the SDL parses");
        let mut types = HashMap::new();
        for definition in document.definitions {
            let TypeSystemDefinition::Type(definition) = definition else {
                continue;
            };
            let TypeKind::Object(object) = definition.node.kind else {
                continue;
            };
            let fields = object
                .fields
                .iter()
                .filter(|field| field.node.arguments.is_empty())
                .map(|field| field.node.name.node.to_string())
                .collect();
            types.insert(definition.node.name.node.to_string(), fields);
        }
        types
    }

    /// What is wrong with the walk of `value`'s type: a plain field neither walked nor
    /// executor-only, or an executor-only field the walk does answer.
    fn faults<T: Flat>(value: &T, plain: &HashMap<String, Vec<String>>) -> Vec<String> {
        let Some(fields) = plain.get(T::TYPE) else {
            return vec![format!("{} is not an object type of the schema", T::TYPE)];
        };
        let mut wrong = vec![];
        for field in fields {
            let walked = walks(value, field);
            let left = EXECUTOR_ONLY
                .iter()
                .any(|(ty, name, _)| *ty == T::TYPE && name == field);
            match (walked, left) {
                (false, false) => wrong.push(format!(
                    "{}.{field} takes no argument, but the Flat impl of {} does not answer it: \
                     add it there, or to EXECUTOR_ONLY with the reason",
                    T::TYPE,
                    T::TYPE
                )),
                (true, true) => wrong.push(format!(
                    "{}.{field} is walked: take it off EXECUTOR_ONLY",
                    T::TYPE
                )),
                _ => {}
            }
        }
        wrong
    }

    #[test]
    fn every_plain_field_of_a_walked_type_is_walked_or_said_why_not() {
        let seed =
            crate::import::seed::Seed::read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("seed"))
                .expect("the seed reads");
        let mut graph = SkillGraph::new();
        assert!(seed.apply(&mut graph).is_empty(), "the seed applies");
        let graph = Arc::new(graph);
        let direct = |skill: &crate::domain::Skill| {
            graph
                .prerequisites_of(
                    &skill.id,
                    Reach::transitive_if(false),
                    Follow::recommended_if(true),
                )
                .expect("the skill is in the graph")
        };
        let skill = graph
            .skills()
            .find(|s| !s.resources.is_empty() && !direct(s).is_empty())
            .expect("the seed has a skill with resources and prerequisites")
            .clone();
        let prerequisite = direct(&skill).swap_remove(0);
        let role = graph.roles().next().expect("the seed has roles").clone();
        let category = graph.categories_of(CategoryKind::Skill)[0].clone();
        let role_category = graph.categories_of(CategoryKind::Role)[0].clone();
        let requirement = RoleRequirementView {
            graph: graph.clone(),
            role: role.clone(),
            requirement: role.requirements[0].clone(),
        };
        let plan = graph
            .plan(
                &Profile::default(),
                &[Target::Role(role.id.clone())],
                PlanOptions {
                    include_recommended: false,
                    include_optional: true,
                },
            )
            .expect("a plan to a role of the seed");
        let path = LearningPathView {
            graph: graph.clone(),
            plan: Arc::new(plan),
        };

        let plain = plain_fields();
        let mut found = vec![];
        found.extend(faults(
            &SkillView {
                graph: graph.clone(),
                skill: skill.clone(),
            },
            &plain,
        ));
        found.extend(faults(&ResourceRef(&skill.resources[0]), &plain));
        found.extend(faults(&CategoryRef(&graph, &category), &plain));
        found.extend(faults(&RoleCategoryRef(&graph, &role_category), &plain));
        found.extend(faults(
            &PrerequisiteView {
                graph: graph.clone(),
                skill: graph
                    .skill(prerequisite.skill.as_str())
                    .expect("a prerequisite's skill is in the graph")
                    .clone(),
                prerequisite,
            },
            &plain,
        ));
        found.extend(faults(&RoleRef(&graph, &role), &plain));
        found.extend(faults(&requirement, &plain));
        found.extend(faults(
            &RequirementStatusView {
                requirement,
                current_level: 0,
                held_skill: None,
            },
            &plain,
        ));
        found.extend(faults(&path.step_views(1, false)[0], &plain));
        assert!(found.is_empty(), "{found:#?}");
    }
}
