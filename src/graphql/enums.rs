//! The enums a client both sends and reads back: GraphQL's mirrors of domain enums (each
//! `remote`, so it converts both ways). Plain values: this file must depend on nothing of the
//! crate but the domain.

use async_graphql::Enum;

use crate::domain;

/// Whether a prerequisite blocks learning or only helps.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "domain::PrerequisiteKind")]
pub enum PrerequisiteKind {
    /// Must be learned first.
    Required,
    /// Helps, but does not block.
    Recommended,
}

/// How much a role needs a skill.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "domain::Importance")]
pub enum Importance {
    /// The role cannot be done without it: it weighs three times an optional one in
    /// readiness, and counts in `missingEssential`.
    Essential,
    /// Useful for the role; a learning path leaves it out when `includeOptional` is false.
    Optional,
}

/// What kind of learning resource a link is.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "domain::ResourceKind")]
pub enum ResourceKind {
    /// A structured course, online or in person.
    Course,
    /// A book.
    Book,
    /// Official reference documentation of a tool or library.
    Documentation,
    /// A hands-on, step-by-step guide.
    Tutorial,
    /// A blog post or article.
    Article,
    /// A recorded talk, lecture or screencast.
    Video,
    /// A research paper.
    Paper,
    /// Anything else; the default when a resource is created without a kind.
    Other,
}

/// How `matchRoles` orders the roles it returns.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "domain::MatchOrder")]
pub enum RoleMatchOrder {
    /// Highest readiness first; ties by fewer hours to close the gap, then role id.
    Readiness,
    /// Fewest hours to close the gap first: the role reached fastest; ties by higher
    /// readiness, then role id.
    Hours,
    /// Most skills in common first: the share of skills the profile lists (its own, its
    /// text's, its role's essential requirements) and the role requires that both do
    /// (Jaccard); ties by higher readiness, then role id. For a job ad read as
    /// `profile.text`: which role the ad describes.
    Overlap,
}
