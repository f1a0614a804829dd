//! The graph's own objects: Skill, RelatedSkill, Resource, Category, Prerequisite,
//! PrerequisiteGroup, Role, RoleCategory, RoleRequirement, RoleSimilarity and
//! SharedRequirement. They live in one file because they name each other (`Skill.requiredBy` →
//! `RoleRequirement.skill` → `Skill`, `Role.category` → `RoleCategory.roles` → `Role`).
//!
//! Each `#[Object]` impl of a type that big lists hold is followed by its [`Flat`] impl: the
//! same plain fields for the synchronous walk (see `flat`), over borrowed views so that nothing
//! is reference-counted per item. A field the `Flat` impl does not list makes the walk leave
//! the whole list to async-graphql; the test in `views` fails for a plain field that is neither
//! walked nor on its list of fields left to the executor.
//!
//! Depends on the domain, `args`, `enums`, `flat` and `paging` (a role category pages its roles
//! as `roles(category:)` does, through [`roles_page`]); nothing here knows plans, gaps or
//! matches (those are `answers`, which uses these views).

use std::sync::Arc;

use async_graphql::{Context, ID, Object, SimpleObject};

use crate::domain::{
    self, Category, CategoryId, CategoryKind, Follow, Prerequisite, Reach, Requirement, Role,
    RoleSimilarity, SharedRequirement, Skill, SkillGraph, SkillId,
};
use crate::graphql::args::{
    check_query, children_cost, expansion, first_within, int, level, list_cost, page_cost,
};
use crate::graphql::compute;
use crate::graphql::enums::{Importance, PrerequisiteKind, ResourceKind};
use crate::graphql::error::{ApiError, OrApi};
use crate::graphql::flat::{self, Flat, FlatList, Json, Selections, Shared, SharedList};
use crate::graphql::limits;
use crate::graphql::paging::{self, Args, ListId, Page, Window};

/// A reference inside one snapshot that does not resolve: the domain keeps referential
/// integrity, so this is a bug, never a client's mistake.
fn dangling(kind: &str, id: &str) -> async_graphql::Error {
    ApiError::Internal(format!(
        "dangling reference to {kind} {id:?} in one snapshot"
    ))
    .into_graphql()
}

/// A view of one skill at one revision.
#[derive(Clone)]
pub struct SkillView {
    pub graph: Arc<SkillGraph>,
    pub skill: Arc<Skill>,
}

impl SkillView {
    /// The view of a skill id known to be in `graph` (ids in plans and edges always are).
    pub fn of(graph: &Arc<SkillGraph>, id: &SkillId) -> Option<Self> {
        Some(SkillView {
            skill: graph.skill(id.as_str())?.clone(),
            graph: graph.clone(),
        })
    }

    /// The view of a skill a snapshot refers to (an edge's end, a plan's step, a requirement):
    /// the graph keeps its references whole, so a miss is a bug, answered as `INTERNAL`.
    pub fn referenced(graph: &Arc<SkillGraph>, id: &SkillId) -> async_graphql::Result<Self> {
        Self::of(graph, id).ok_or_else(|| dangling("skill", id.as_str()))
    }

    pub(super) fn many<'a>(
        graph: &Arc<SkillGraph>,
        ids: impl IntoIterator<Item = &'a SkillId>,
    ) -> Vec<Self> {
        ids.into_iter()
            .filter_map(|id| Self::of(graph, id))
            .collect()
    }
}

/// A skill: something a person can learn, with what it requires and what it unlocks.
#[Object(name = "Skill")]
impl SkillView {
    /// Stable slug id, e.g. `feature-engineering`.
    async fn id(&self) -> ID {
        ID(self.skill.id.to_string())
    }
    /// Display name, e.g. `Feature engineering`; search matches it.
    async fn name(&self) -> &str {
        &self.skill.name
    }
    /// What the skill covers, in a sentence or two; null when none was written.
    async fn description(&self) -> Option<&str> {
        self.skill.description.as_deref()
    }
    /// The layer of the stack (or taxonomy node) the skill belongs to.
    async fn category(&self) -> async_graphql::Result<CategoryView> {
        CategoryView::referenced(&self.graph, self.skill.category.as_str())
    }
    /// Other names people use; search matches them too.
    async fn aliases(&self) -> &[String] {
        &self.skill.aliases
    }
    /// Free-form labels (e.g. `python`, `nlp`), as written; not searched.
    async fn tags(&self) -> &[String] {
        &self.skill.tags
    }
    /// Estimated hours from nothing to level 3 (practitioner).
    async fn hours(&self) -> i32 {
        int(u64::from(self.skill.hours))
    }
    /// Courses, books and other links to learn the skill from, in the order they were given.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn resources(&self) -> Vec<ResourceView> {
        self.skill
            .resources
            .iter()
            .map(|r| ResourceView {
                title: r.title.clone(),
                url: r.url.clone(),
                kind: r.kind.into(),
            })
            .collect()
    }
    /// The id in the taxonomy this skill was imported from (an ESCO URI, say).
    async fn external_id(&self) -> Option<&str> {
        self.skill.external_id.as_deref()
    }
    /// What must (or should) be learned before this skill. Transitive results carry the depth
    /// of the shortest chain; sorted by depth, then category order, then id.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn prerequisites(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            default_with = "Some(false)",
            desc = "Also the prerequisites of prerequisites, all the way down (each once, at \
                    its shortest depth); false or null: only the direct ones."
        )]
        transitive: Option<bool>,
        #[graphql(
            default_with = "Some(true)",
            desc = "Include RECOMMENDED edges besides REQUIRED ones (true or null); a \
                    transitive walk then also follows them."
        )]
        include_recommended: Option<bool>,
    ) -> async_graphql::Result<SharedList<(Prerequisite, Arc<Skill>)>> {
        let (transitive, include_recommended) = (
            transitive.unwrap_or(false),
            include_recommended.unwrap_or(true),
        );
        let list = self
            .graph
            .prerequisites_with_skills(
                &self.skill.id,
                Reach::transitive_if(transitive),
                Follow::recommended_if(include_recommended),
            )
            .api()?;
        expansion(ctx, list.len())?;
        Ok(SharedList {
            with: self.graph.clone(),
            items: list,
        })
    }
    /// The "one of" groups of this skill: for each, one option must be learned (or held),
    /// besides the ordinary `prerequisites`. With `transitive`, also the groups of every skill
    /// this one requires (`of` says whose, `depth` how far), shown as groups: their options are
    /// a choice, so `prerequisites(transitive: true)` does not list them.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn prerequisite_groups(
        &self,
        #[graphql(
            default_with = "Some(false)",
            desc = "Also the groups of the skills this one requires, directly or through a \
                    chain; null: false."
        )]
        transitive: Option<bool>,
    ) -> async_graphql::Result<Vec<PrerequisiteGroupView>> {
        let reach = Reach::transitive_if(transitive.unwrap_or(false));
        let groups = self
            .graph
            .prerequisite_groups_of(&self.skill.id, reach)
            .api()?;
        Ok(groups
            .into_iter()
            .map(|(of, depth, g)| PrerequisiteGroupView {
                graph: self.graph.clone(),
                group: g.clone(),
                of,
                depth,
            })
            .collect())
    }
    /// Skills that require this one, directly or (with `transitive`) through a chain.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn unlocks(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            default_with = "Some(false)",
            desc = "Also what those skills unlock, all the way up; false or null: only the \
                    skills that list this one as a prerequisite."
        )]
        transitive: Option<bool>,
    ) -> async_graphql::Result<FlatList<SkillView>> {
        let transitive = transitive.unwrap_or(false);
        let list = self
            .graph
            .unlocks(&self.skill.id, Reach::transitive_if(transitive))
            .api()?;
        expansion(ctx, list.len())?;
        Ok(FlatList(Self::many(
            &self.graph,
            list.iter().map(|(id, _)| id),
        )))
    }
    /// The roles that require this skill, and at what level: as a requirement's skill or as
    /// one of its alternatives.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn required_by(&self) -> async_graphql::Result<FlatList<RoleRequirementView>> {
        let list = self.graph.required_by(&self.skill.id).api()?;
        Ok(FlatList(
            list.into_iter()
                .map(|(role, requirement)| RoleRequirementView {
                    graph: self.graph.clone(),
                    role: role.clone(),
                    requirement: requirement.clone(),
                })
                .collect(),
        ))
    }
    /// Skills that roles ask for together with this one, most related first (ties by id):
    /// what people who need this skill also need. Leaves out the skill itself, its direct
    /// prerequisites (`prerequisites`, `prerequisiteGroups`) and what it directly unlocks
    /// (`unlocks`). Empty for a skill no role asks for. See "Related skills" in the README.
    #[graphql(complexity = "page_cost(first, 10, child_complexity)")]
    async fn related(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            default_with = "Some(10)",
            desc = "How many skills, most related first (0 to `maxPage`, 100 by default); \
                    null: 10."
        )]
        first: Option<i32>,
    ) -> async_graphql::Result<Vec<RelatedSkillView>> {
        let first = first_within(ctx, first, 10, "maxPage", |l| l.max_page)?;
        let (graph, skill) = (self.graph.clone(), self.skill.id.clone());
        let related = compute({
            let graph = graph.clone();
            move || graph.related_skills(&skill, first)
        })
        .await?
        .api()?;
        related
            .into_iter()
            .map(|related| {
                Ok(RelatedSkillView {
                    skill: SkillView::referenced(&graph, &related.skill)?,
                    related,
                })
            })
            .collect()
    }
}

pub struct RelatedSkillView {
    skill: SkillView,
    related: domain::RelatedSkill,
}

/// A skill that roles ask for together with another, and how strongly (see "Related skills"
/// in the README).
#[Object(name = "RelatedSkill")]
impl RelatedSkillView {
    /// The related skill.
    async fn skill(&self) -> &SkillView {
        &self.skill
    }
    /// In (0, 1]: the share of the roles asking for the skill `related` was asked on that also
    /// ask for this one, times this one's specificity, `ln((N + 1) / df) / ln(N + 1)` over
    /// the N roles, df of them asking for it (1 for a skill only one role asks for, about 0
    /// for one every role asks for). Not symmetric.
    async fn score(&self) -> f64 {
        self.related.score
    }
    /// How many roles ask for both skills.
    async fn roles(&self) -> i32 {
        int(u64::from(self.related.roles))
    }
}

/// A [`SkillView`] borrowed, for the walk.
pub(super) struct SkillRef<'a> {
    graph: &'a SkillGraph,
    skill: &'a Skill,
}

impl<'a> SkillRef<'a> {
    pub(super) fn of(graph: &'a SkillGraph, id: &SkillId) -> Option<Self> {
        Some(SkillRef {
            graph,
            skill: graph.skill(id.as_str())?,
        })
    }
}

impl Flat for SkillRef<'_> {
    const TYPE: &'static str = "Skill";

    fn field(&self, name: &str, sub: Selections<'_>, out: &mut Json) -> Option<()> {
        let skill = self.skill;
        match name {
            "id" => flat::string(out, skill.id.as_str()),
            "name" => flat::string(out, &skill.name),
            "description" => flat::nullable_string(out, skill.description.as_deref()),
            "category" => {
                let category = self.graph.category(skill.category.as_str());
                flat::required(out, category.map(|c| CategoryRef(self.graph, c)), sub)
            }
            "aliases" => flat::strings(out, &skill.aliases),
            "tags" => flat::strings(out, &skill.tags),
            "hours" => flat::int(out, int(u64::from(skill.hours))),
            "externalId" => flat::nullable_string(out, skill.external_id.as_deref()),
            "resources" => flat::objects(out, skill.resources.iter().map(ResourceRef), sub),
            _ => None,
        }
    }
}

impl Flat for SkillView {
    const TYPE: &'static str = "Skill";

    fn field(&self, name: &str, sub: Selections<'_>, out: &mut Json) -> Option<()> {
        SkillRef {
            graph: &self.graph,
            skill: &self.skill,
        }
        .field(name, sub, out)
    }
}

pub(super) fn skills<'a>(
    graph: &'a SkillGraph,
    ids: impl IntoIterator<Item = &'a SkillId>,
) -> impl Iterator<Item = SkillRef<'a>> {
    ids.into_iter()
        .filter_map(move |id| SkillRef::of(graph, id))
}

/// A learning resource for a skill.
#[derive(SimpleObject, Clone)]
#[graphql(name = "Resource")]
pub struct ResourceView {
    /// The title to show, e.g. the book's or the course's name.
    pub title: String,
    /// Where the resource is, as given (usually an `https` URL).
    pub url: String,
    /// What kind of resource it is.
    pub kind: ResourceKind,
}

/// A resource borrowed from its skill, for the walk.
pub(super) struct ResourceRef<'a>(pub(super) &'a domain::Resource);

impl Flat for ResourceRef<'_> {
    const TYPE: &'static str = "Resource";

    fn field(&self, name: &str, _: Selections<'_>, out: &mut Json) -> Option<()> {
        match name {
            "title" => flat::string(out, &self.0.title),
            "url" => flat::string(out, &self.0.url),
            "kind" => flat::enumeration(out, ResourceKind::from(self.0.kind)),
            _ => None,
        }
    }
}

#[derive(Clone)]
pub struct CategoryView {
    pub graph: Arc<SkillGraph>,
    pub category: Arc<Category>,
}

impl CategoryView {
    pub fn of(graph: &Arc<SkillGraph>, id: &str) -> Option<Self> {
        Some(CategoryView {
            category: graph.category(id)?.clone(),
            graph: graph.clone(),
        })
    }

    /// A category a skill of the snapshot refers to; a miss is `INTERNAL` (see `dangling`).
    fn referenced(graph: &Arc<SkillGraph>, id: &str) -> async_graphql::Result<Self> {
        Self::of(graph, id).ok_or_else(|| dangling("category", id))
    }
}

/// A layer of the skill stack (or a node of an imported taxonomy's tree).
#[Object(name = "Category")]
impl CategoryView {
    /// Stable slug id, e.g. `deep-learning`.
    async fn id(&self) -> ID {
        ID(self.category.id.to_string())
    }
    /// Display name, e.g. `Deep learning`.
    async fn name(&self) -> &str {
        &self.category.name
    }
    /// What the category holds; null when none was written.
    async fn description(&self) -> Option<&str> {
        self.category.description.as_deref()
    }
    /// Display order; lower first. Also the first tie-break of learning paths.
    async fn order(&self) -> i32 {
        self.category.order
    }
    /// The category this one lies within; null for a top-level category. A `skills`
    /// filter on a category includes its sub-categories.
    async fn parent(&self) -> Option<CategoryView> {
        let parent = self.category.parent.as_ref()?;
        CategoryView::of(&self.graph, parent.as_str())
    }
}

/// A [`CategoryView`] borrowed, for the walk.
pub(super) struct CategoryRef<'a>(pub(super) &'a SkillGraph, pub(super) &'a Category);

impl Flat for CategoryRef<'_> {
    const TYPE: &'static str = "Category";

    fn field(&self, name: &str, sub: Selections<'_>, out: &mut Json) -> Option<()> {
        let CategoryRef(graph, category) = *self;
        match name {
            "id" => flat::string(out, category.id.as_str()),
            "name" => flat::string(out, &category.name),
            "description" => flat::nullable_string(out, category.description.as_deref()),
            "order" => flat::int(out, category.order),
            "parent" => {
                let parent = category
                    .parent
                    .as_ref()
                    .and_then(|p| graph.category(p.as_str()));
                flat::nullable(out, parent.map(|p| CategoryRef(graph, p)), sub)
            }
            _ => None,
        }
    }
}

/// A node of the role category tree (see `CategoryKind`): apart from the skill categories.
#[derive(Clone)]
pub struct RoleCategoryView {
    pub graph: Arc<SkillGraph>,
    pub category: Arc<Category>,
}

impl RoleCategoryView {
    /// The role category `id`; `None` for an unknown id or a skill category's.
    pub fn of(graph: &Arc<SkillGraph>, id: &str) -> Option<Self> {
        let category = graph
            .category(id)
            .filter(|c| c.kind == CategoryKind::Role)?;
        Some(RoleCategoryView {
            category: category.clone(),
            graph: graph.clone(),
        })
    }

    /// A role category a role or another category of the snapshot refers to; a miss is
    /// `INTERNAL` (see `dangling`).
    fn referenced(graph: &Arc<SkillGraph>, id: &str) -> async_graphql::Result<Self> {
        Self::of(graph, id).ok_or_else(|| dangling("role category", id))
    }

    fn wrap(graph: &Arc<SkillGraph>, list: Vec<&Arc<Category>>) -> Vec<Self> {
        list.into_iter()
            .map(|c| RoleCategoryView {
                graph: graph.clone(),
                category: c.clone(),
            })
            .collect()
    }

    /// The top-level role categories, in display order.
    pub fn roots(graph: &Arc<SkillGraph>) -> Vec<Self> {
        Self::wrap(graph, graph.root_categories(CategoryKind::Role))
    }
}

/// A group of roles: an ISCO-08 group (ESCO), a SOC major group (O*NET), a family of the
/// seed's roles. A tree of its own, apart from the skills' `Category` tree.
#[Object(name = "RoleCategory")]
impl RoleCategoryView {
    /// Stable slug id, e.g. `esco:isco.c2512` or `roles:ml-engineering`.
    async fn id(&self) -> ID {
        ID(self.category.id.to_string())
    }
    /// Display name, e.g. `Software developers`.
    async fn name(&self) -> &str {
        &self.category.name
    }
    /// What the category holds; null when none was written.
    async fn description(&self) -> Option<&str> {
        self.category.description.as_deref()
    }
    /// Display order among its siblings; lower first.
    async fn order(&self) -> i32 {
        self.category.order
    }
    /// The id in the taxonomy it was imported from (an ESCO URI, a SOC code).
    async fn external_id(&self) -> Option<&str> {
        self.category.external_id.as_deref()
    }
    /// The category this one lies within; null for a top-level one.
    async fn parent(&self) -> async_graphql::Result<Option<RoleCategoryView>> {
        self.category
            .parent
            .as_ref()
            .map(|p| RoleCategoryView::referenced(&self.graph, p.as_str()))
            .transpose()
    }
    /// The categories directly within this one, in display order. Counts ten times its
    /// fields in the complexity limit (a list field counts 20): four levels of a tree fit
    /// in the default limit; go deeper from a `roleCategory(id:)`.
    #[graphql(complexity = "children_cost(child_complexity)")]
    async fn children(&self) -> Vec<RoleCategoryView> {
        RoleCategoryView::wrap(&self.graph, self.graph.category_children(&self.category.id))
    }
    /// This category and those it lies within, the top-level one first: a breadcrumb.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn path(&self) -> Vec<RoleCategoryView> {
        RoleCategoryView::wrap(&self.graph, self.graph.category_path(&self.category.id))
    }
    /// The roles in this category and in the categories below it, by id; paged as `roles`.
    #[graphql(complexity = "page_cost(last.or(first), 20, child_complexity)")]
    async fn roles(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            default_with = "Some(20)",
            desc = "Page forwards: at most this many items (0 to `maxPage`, 100 by default) \
                    from the start of the list, or after `after`; null: 20. Not with `last`."
        )]
        first: Option<i32>,
        #[graphql(desc = "Page forwards from this cursor (an `endCursor` or an edge's \
                          `cursor` of this very list): items strictly after it.")]
        after: Option<String>,
        #[graphql(
            desc = "Page backwards: at most this many items (0 to `maxPage`) from the \
                          end of the list, or before `before`. Not with `first`."
        )]
        last: Option<i32>,
        #[graphql(
            desc = "Page backwards from this cursor (a `startCursor` or an edge's \
                          `cursor` of this very list): items strictly before it."
        )]
        before: Option<String>,
    ) -> async_graphql::Result<Page<RoleView>> {
        let args = Args {
            first,
            after,
            last,
            before,
        };
        roles_page(
            ctx,
            &self.graph,
            "roleCategory.roles",
            String::new(),
            Some(self.category.id.clone()),
            args,
        )
        .await
    }
}

/// A page of the roles matching `query` (blank: all, by id) within role category `category`
/// and the categories below it (`None`: everywhere): `roles(query:, category:)` and
/// `RoleCategory.roles`. A category that is no role category's is `NOT_FOUND`.
pub async fn roles_page(
    ctx: &Context<'_>,
    graph: &Arc<SkillGraph>,
    list: &str,
    query: String,
    category: Option<CategoryId>,
    args: Args,
) -> async_graphql::Result<Page<RoleView>> {
    check_query(ctx, Some(&query)).api()?;
    if let Some(category) = &category {
        // Asked first, so that a page of an unknown category is an error, not an empty list.
        graph.roles_in_category(category).api()?;
    }
    let query = Arc::new(query);
    let list = ListId::new(
        list,
        &[Some(&query), category.as_ref().map(CategoryId::as_str)],
    );
    let window = Window::parse(ctx, list, args, 20, limits(ctx).max_page)?;
    let category = Arc::new(category);
    let fetch = {
        let (graph, query, category) = (graph.clone(), query.clone(), category.clone());
        move |need| {
            let hits = graph
                .search_roles_in_keyed(&query, category.as_ref().as_ref(), need)
                .unwrap_or_default();
            hits.into_iter().map(|(k, r)| (k, r.clone())).collect()
        }
    };
    let count = {
        let graph = graph.clone();
        move || {
            graph
                .count_roles_in(&query, category.as_ref().as_ref())
                .unwrap_or_default()
        }
    };
    let graph = graph.clone();
    paging::page(window, fetch, count, move |role| RoleView {
        graph: graph.clone(),
        role,
    })
    .await
}

/// A [`RoleCategoryView`] borrowed, for the walk.
pub(super) struct RoleCategoryRef<'a>(pub(super) &'a SkillGraph, pub(super) &'a Category);

impl Flat for RoleCategoryRef<'_> {
    const TYPE: &'static str = "RoleCategory";

    fn field(&self, name: &str, sub: Selections<'_>, out: &mut Json) -> Option<()> {
        let RoleCategoryRef(graph, category) = *self;
        match name {
            "id" => flat::string(out, category.id.as_str()),
            "name" => flat::string(out, &category.name),
            "description" => flat::nullable_string(out, category.description.as_deref()),
            "order" => flat::int(out, category.order),
            "externalId" => flat::nullable_string(out, category.external_id.as_deref()),
            "parent" => {
                let parent = category.parent.as_ref().map(|p| graph.category(p.as_str()));
                match parent {
                    None => flat::nullable(out, None::<RoleCategoryRef<'_>>, sub),
                    Some(None) => None,
                    Some(Some(p)) => flat::nullable(out, Some(RoleCategoryRef(graph, p)), sub),
                }
            }
            "children" => {
                let list = graph.category_children(&category.id);
                flat::objects(
                    out,
                    list.into_iter().map(|c| RoleCategoryRef(graph, c)),
                    sub,
                )
            }
            "path" => {
                let list = graph.category_path(&category.id);
                flat::objects(
                    out,
                    list.into_iter().map(|c| RoleCategoryRef(graph, c)),
                    sub,
                )
            }
            _ => None,
        }
    }
}

pub struct PrerequisiteView {
    pub graph: Arc<SkillGraph>,
    pub prerequisite: Prerequisite,
    /// The prerequisite's skill, as the listing read it (by node, not looked up by id again).
    pub skill: Arc<Skill>,
}

/// A skill needed before another one.
#[Object(name = "Prerequisite")]
impl PrerequisiteView {
    /// The skill to learn first.
    async fn skill(&self) -> SkillView {
        SkillView {
            graph: self.graph.clone(),
            skill: self.skill.clone(),
        }
    }
    /// Whether it blocks (REQUIRED) or only helps (RECOMMENDED). For a transitive entry,
    /// REQUIRED when some chain of required edges alone reaches it, else RECOMMENDED.
    async fn kind(&self) -> PrerequisiteKind {
        self.prerequisite.kind.into()
    }
    /// The least level (1 aware to 5 expert) of the prerequisite needed, when the edge sets
    /// one; null: the level the dependent skill is learned to, capped at 2 (beginner). For a
    /// transitive entry, that of the last edge of a shortest chain to it; where several chains
    /// are shortest, the edge that asks the most (null counting as up to 2).
    async fn min_level(&self) -> Option<i32> {
        self.prerequisite.min_level.map(|l| i32::from(l.get()))
    }
    /// The level of the dependent skill this edge applies beyond: it is needed to reach the
    /// next level and up (LLM fundamentals beyond 2 need transformers), not below; a plan
    /// then takes the dependent up in level steps. Null: at every level. For a transitive
    /// entry, that of the last edge of a shortest chain (the lowest where several are).
    async fn beyond(&self) -> Option<i32> {
        self.prerequisite.beyond.map(|l| i32::from(l.get()))
    }
    /// 1 for a direct prerequisite, 2 for a prerequisite of one, and so on.
    async fn depth(&self) -> i32 {
        int(u64::from(self.prerequisite.depth))
    }
}

impl Flat for PrerequisiteView {
    const TYPE: &'static str = "Prerequisite";

    fn field(&self, name: &str, sub: Selections<'_>, out: &mut Json) -> Option<()> {
        PrerequisiteRef {
            graph: &self.graph,
            prerequisite: &self.prerequisite,
            skill: &self.skill,
        }
        .field(name, sub, out)
    }
}

/// A listed prerequisite, the list holding the graph: see [`SharedList`].
impl Shared for (Prerequisite, Arc<Skill>) {
    type With = Arc<SkillGraph>;
    type Ref<'a> = PrerequisiteRef<'a>;
    type View = PrerequisiteView;

    fn borrow<'a>(&'a self, graph: &'a Arc<SkillGraph>) -> PrerequisiteRef<'a> {
        PrerequisiteRef {
            graph,
            prerequisite: &self.0,
            skill: &self.1,
        }
    }

    fn view(&self, graph: &Arc<SkillGraph>) -> PrerequisiteView {
        PrerequisiteView {
            graph: graph.clone(),
            prerequisite: self.0.clone(),
            skill: self.1.clone(),
        }
    }
}

/// [`PrerequisiteView`] borrowed, for the walk.
pub struct PrerequisiteRef<'a> {
    graph: &'a SkillGraph,
    prerequisite: &'a Prerequisite,
    skill: &'a Skill,
}

impl Flat for PrerequisiteRef<'_> {
    const TYPE: &'static str = "Prerequisite";

    fn field(&self, name: &str, sub: Selections<'_>, out: &mut Json) -> Option<()> {
        let p = self.prerequisite;
        match name {
            "skill" => flat::object(
                out,
                &SkillRef {
                    graph: self.graph,
                    skill: self.skill,
                },
                sub,
            ),
            "kind" => flat::enumeration(out, PrerequisiteKind::from(p.kind)),
            "minLevel" => flat::nullable_int(out, p.min_level.map(|l| i32::from(l.get()))),
            "beyond" => flat::nullable_int(out, p.beyond.map(|l| i32::from(l.get()))),
            "depth" => flat::int(out, int(u64::from(p.depth))),
            _ => None,
        }
    }
}

pub struct PrerequisiteGroupView {
    pub graph: Arc<SkillGraph>,
    pub group: domain::PrerequisiteGroup,
    /// The skill that has the group.
    pub of: SkillId,
    pub depth: u32,
}

/// "One of these": a skill needs one of the options (PyTorch or TensorFlow, say), at the
/// group's level. A plan takes a held option, else the one that adds the fewest hours.
#[Object(name = "PrerequisiteGroup")]
impl PrerequisiteGroupView {
    /// The skill that needs one of the options: the skill asked about, or (in a transitive
    /// list) one of the skills it requires.
    async fn of(&self) -> async_graphql::Result<SkillView> {
        SkillView::referenced(&self.graph, &self.of)
    }
    /// How far `of` is from the skill asked about: 0 for its own groups, else the length of
    /// the shortest chain of required prerequisites to it.
    async fn depth(&self) -> i32 {
        i32::try_from(self.depth).unwrap_or(i32::MAX)
    }
    /// Whether the group blocks (REQUIRED) or only helps (RECOMMENDED).
    async fn kind(&self) -> PrerequisiteKind {
        self.group.kind.into()
    }
    /// The least level (1 aware to 5 expert) of the option needed, when the group sets one;
    /// null: the level the dependent skill is learned to, capped at 2 (beginner).
    async fn min_level(&self) -> Option<i32> {
        self.group.min_level.map(|l| i32::from(l.get()))
    }
    /// The options, at least two, sorted by id; any one of them satisfies the group.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn options(&self) -> async_graphql::Result<Vec<SkillView>> {
        self.group
            .options
            .iter()
            .map(|id| SkillView::referenced(&self.graph, id))
            .collect()
    }
}

#[derive(Clone)]
pub struct RoleView {
    pub graph: Arc<SkillGraph>,
    pub role: Arc<Role>,
}

impl RoleView {
    pub fn of(graph: &Arc<SkillGraph>, id: &str) -> Option<Self> {
        Some(RoleView {
            role: graph.role(id)?.clone(),
            graph: graph.clone(),
        })
    }

    /// A role a gap or a match of the snapshot refers to; a miss is `INTERNAL`.
    pub(super) fn referenced(graph: &Arc<SkillGraph>, id: &str) -> async_graphql::Result<Self> {
        Self::of(graph, id).ok_or_else(|| dangling("role", id))
    }
}

/// A role (occupation) and the skills it requires.
#[Object(name = "Role")]
impl RoleView {
    /// Stable slug id, e.g. `ml-engineer`.
    async fn id(&self) -> ID {
        ID(self.role.id.to_string())
    }
    /// Display name, e.g. `ML engineer`; `roles(query:)` matches it.
    async fn name(&self) -> &str {
        &self.role.name
    }
    /// What the role does; null when none was written.
    async fn description(&self) -> Option<&str> {
        self.role.description.as_deref()
    }
    /// Other titles of the role, as job ads write them (ESCO's alternative and hidden
    /// labels); `roles(query:)` and `normalizeTitles` match them too.
    async fn aliases(&self) -> &[String] {
        &self.role.aliases
    }
    /// The roles whose requirements overlap this one's most, a shared skill counting more the
    /// fewer roles ask for it (see `RoleSimilarity.score`), best first (ties by id), with the
    /// skills they share and the hours of a move each way: where people in this role come
    /// from and go next. Roles sharing no skill are left out. See "Similar roles" in the
    /// README.
    #[graphql(complexity = "page_cost(first, 10, child_complexity)")]
    async fn similar(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            default_with = "Some(10)",
            desc = "How many roles, most similar first (0 to `maxSimilar`, 50 by default); \
                    null: 10."
        )]
        first: Option<i32>,
    ) -> async_graphql::Result<Vec<RoleSimilarityView>> {
        let first = first_within(ctx, first, 10, "maxSimilar", |l| l.max_similar)?;
        let (graph, role) = (self.graph.clone(), self.role.id.clone());
        let similar = compute({
            let graph = graph.clone();
            move || graph.similar_roles(&role, first)
        })
        .await?
        .api()?;
        Ok(similar
            .into_iter()
            .map(|similarity| RoleSimilarityView {
                graph: graph.clone(),
                of: self.role.clone(),
                similarity,
            })
            .collect())
    }
    /// The skills the role needs, each at a level (a "one of" requirement once, under its
    /// preferred skill), sorted by skill id.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn requirements(&self) -> FlatList<RoleRequirementView> {
        FlatList(
            self.role
                .requirements
                .iter()
                .map(|r| RoleRequirementView {
                    graph: self.graph.clone(),
                    role: self.role.clone(),
                    requirement: r.clone(),
                })
                .collect(),
        )
    }
    /// The id in the taxonomy this role was imported from.
    async fn external_id(&self) -> Option<&str> {
        self.role.external_id.as_deref()
    }
    /// The role category it sits in (an ISCO-08 group for ESCO, a SOC major group for
    /// O*NET, a family of the seed's roles); null when it has none.
    async fn category(&self) -> async_graphql::Result<Option<RoleCategoryView>> {
        self.role
            .category
            .as_ref()
            .map(|c| RoleCategoryView::referenced(&self.graph, c.as_str()))
            .transpose()
    }
}

/// A [`RoleView`] borrowed, for the walk.
pub(super) struct RoleRef<'a>(pub(super) &'a SkillGraph, pub(super) &'a Role);

impl Flat for RoleRef<'_> {
    const TYPE: &'static str = "Role";

    fn field(&self, name: &str, sub: Selections<'_>, out: &mut Json) -> Option<()> {
        let RoleRef(graph, role) = *self;
        match name {
            "id" => flat::string(out, role.id.as_str()),
            "name" => flat::string(out, &role.name),
            "description" => flat::nullable_string(out, role.description.as_deref()),
            "aliases" => flat::strings(out, &role.aliases),
            "externalId" => flat::nullable_string(out, role.external_id.as_deref()),
            "category" => {
                let category = role.category.as_ref().map(|c| graph.category(c.as_str()));
                match category {
                    None => flat::nullable(out, None::<RoleCategoryRef<'_>>, sub),
                    // A dangling reference is left to the executor, which reports it.
                    Some(None) => None,
                    Some(Some(c)) => flat::nullable(out, Some(RoleCategoryRef(graph, c)), sub),
                }
            }
            "requirements" => flat::objects(
                out,
                role.requirements.iter().map(|requirement| RequirementRef {
                    graph,
                    role,
                    requirement,
                }),
                sub,
            ),
            _ => None,
        }
    }
}

pub struct RoleRequirementView {
    pub graph: Arc<SkillGraph>,
    pub role: Arc<Role>,
    pub requirement: Requirement,
}

/// A role's need for a skill at a level, or for one of several skills at that level.
#[Object(name = "RoleRequirement")]
impl RoleRequirementView {
    /// The role that has this requirement.
    async fn role(&self) -> RoleView {
        RoleView {
            graph: self.graph.clone(),
            role: self.role.clone(),
        }
    }
    /// The skill required; with `alternatives`, the preferred option (the one a profile's
    /// `role` counts as held).
    async fn skill(&self) -> async_graphql::Result<SkillView> {
        SkillView::referenced(&self.graph, &self.requirement.skill)
    }
    /// Other skills that meet the requirement as well as `skill`, by id: the role needs one
    /// of them at `level` ("one cloud provider at practitioner level"). Empty for a
    /// requirement of one skill. Gaps, readiness and matching count any option; a plan takes
    /// one and lists the others as its step's `alternatives`.
    #[graphql(complexity = "list_cost(child_complexity)")]
    async fn alternatives(&self) -> Vec<SkillView> {
        SkillView::many(&self.graph, &self.requirement.alternatives)
    }
    /// The level needed: 1 (aware) to 5 (expert).
    async fn level(&self) -> i32 {
        level(Some(self.requirement.level))
    }
    /// Whether the role cannot do without it (ESSENTIAL) or only benefits (OPTIONAL).
    async fn importance(&self) -> Importance {
        self.requirement.importance.into()
    }
}

/// A [`RoleRequirementView`] borrowed, for the walk.
struct RequirementRef<'a> {
    graph: &'a SkillGraph,
    role: &'a Role,
    requirement: &'a Requirement,
}

impl Flat for RequirementRef<'_> {
    const TYPE: &'static str = "RoleRequirement";

    fn field(&self, name: &str, sub: Selections<'_>, out: &mut Json) -> Option<()> {
        match name {
            "role" => flat::object(out, &RoleRef(self.graph, self.role), sub),
            "skill" => flat::required(out, SkillRef::of(self.graph, &self.requirement.skill), sub),
            "alternatives" => {
                flat::objects(out, skills(self.graph, &self.requirement.alternatives), sub)
            }
            "level" => flat::int(out, level(Some(self.requirement.level))),
            "importance" => flat::enumeration(out, Importance::from(self.requirement.importance)),
            _ => None,
        }
    }
}

impl Flat for RoleRequirementView {
    const TYPE: &'static str = "RoleRequirement";

    fn field(&self, name: &str, sub: Selections<'_>, out: &mut Json) -> Option<()> {
        RequirementRef {
            graph: &self.graph,
            role: &self.role,
            requirement: &self.requirement,
        }
        .field(name, sub, out)
    }
}

pub struct RoleSimilarityView {
    graph: Arc<SkillGraph>,
    of: Arc<Role>,
    similarity: RoleSimilarity,
}

/// A role whose requirements overlap another's, and what moving between them costs.
#[Object(name = "RoleSimilarity")]
impl RoleSimilarityView {
    /// The similar role.
    async fn role(&self) -> async_graphql::Result<RoleView> {
        RoleView::referenced(&self.graph, self.similarity.role.as_str())
    }
    /// Weighted Jaccard similarity of the two roles' requirements, in (0, 1]: the sum over
    /// skills of the smaller weight over the sum of the larger, a requirement weighing its
    /// level, times 3 when ESSENTIAL (1 when OPTIONAL), times how specific its skill is,
    /// `ln((N + 1) / df)` over the N roles, df of them requiring it: a skill most roles ask
    /// for ("communication") weighs little, a rare one ("machine learning") much. The same
    /// both ways, to the last bit.
    async fn score(&self) -> f64 {
        self.similarity.score
    }
    /// The skills both roles require, by skill id, as each requires them.
    async fn shared(&self) -> async_graphql::Result<Vec<SharedRequirementView>> {
        let there = RoleView::referenced(&self.graph, self.similarity.role.as_str())?.role;
        Ok(self
            .similarity
            .shared
            .iter()
            .map(|shared| SharedRequirementView {
                graph: self.graph.clone(),
                here: self.of.clone(),
                there: there.clone(),
                shared: shared.clone(),
            })
            .collect())
    }
    /// Hours of the plan from the role asked about to this role, as `roleGap(from: {role:
    /// …})` counts them: from holding its essential requirements.
    async fn hours_to(&self) -> i32 {
        int(self.similarity.hours_to)
    }
    /// Hours of the plan back: from holding this role's essential requirements to the role
    /// asked about. Not the same as `hoursTo`: the way up costs more than the way down.
    async fn hours_from(&self) -> i32 {
        int(self.similarity.hours_from)
    }
}

pub struct SharedRequirementView {
    graph: Arc<SkillGraph>,
    here: Arc<Role>,
    there: Arc<Role>,
    shared: SharedRequirement,
}

/// A skill two roles both require, with each role's requirement.
#[Object(name = "SharedRequirement")]
impl SharedRequirementView {
    /// The requirement of the role `similar` was asked on.
    async fn here(&self) -> RoleRequirementView {
        RoleRequirementView {
            graph: self.graph.clone(),
            role: self.here.clone(),
            requirement: self.shared.here.clone(),
        }
    }
    /// The requirement of the similar role.
    async fn there(&self) -> RoleRequirementView {
        RoleRequirementView {
            graph: self.graph.clone(),
            role: self.there.clone(),
            requirement: self.shared.there.clone(),
        }
    }
}
