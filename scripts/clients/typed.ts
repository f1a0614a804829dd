// A TypeScript frontend's use of the generated types, under `tsc --strict`: it reads every
// non-null reference (PathStep.skill, Skill.category, Prerequisite.skill, RoleRequirement.skill,
// RoleGap.role, RoleMatch.role) without a null check, and leaves out arguments with defaults
// (`first`). It is compiled and run against the server by scripts/clients.sh; it prints one
// line and exits non-zero when an answer does not match its types.
import { GraphQLClient } from 'graphql-request';
import {
  GapDocument,
  MatchDocument,
  PlanToRagDocument,
  SkillDetailDocument,
  SkillsPageDocument,
} from './gen/client/graphql.js';
import type {
  GapQuery,
  MatchQuery,
  PlanToRagQuery,
  SkillDetailQuery,
  SkillsPageQueryVariables,
} from './gen/operations.js';
import type { Category, PathStep, Prerequisite, RoleGap, RoleMatch, RoleRequirement } from './gen/schema.js';

const url = process.env.SG_URL ?? 'http://127.0.0.1:8080/graphql';
const client = new GraphQLClient(url);

// Compile-time checks: these functions would not compile if the generated types had `| null`.
function stepLabels(data: PlanToRagQuery): string[] {
  return data.learningPath.steps.map((s) => `${s.position}. ${s.skill.name} (${s.skill.category.name})`);
}
function prerequisiteCategories(skill: NonNullable<SkillDetailQuery['skill']>): string[] {
  return skill.prerequisites.map((p) => `${p.skill.id}@${p.skill.category.id}`);
}
function requiredBySkills(skill: NonNullable<SkillDetailQuery['skill']>): string[] {
  return skill.requiredBy.map((r) => `${r.role.id}:${r.skill.id}`);
}
function gapRole(data: GapQuery): string {
  return data.roleGap.role.name;
}
function matchedRoles(data: MatchQuery): string[] {
  return data.matchRoles.map((m) => m.role.id);
}
// The schema types (`typescript` plugin) say the same: no Maybe<> on these references.
function schemaReferences(
  step: PathStep,
  prerequisite: Prerequisite,
  requirement: RoleRequirement,
  gap: RoleGap,
  match: RoleMatch,
): [string, string, string, string, string, Category] {
  return [step.skill.id, prerequisite.skill.id, requirement.skill.id, gap.role.id, match.role.id, step.skill.category];
}
void schemaReferences;
// `first` has a default: it may be left out of the variables.
const firstPage: SkillsPageQueryVariables = { query: 'python' };

const plan = await client.request(PlanToRagDocument, {
  from: { skills: [{ skill: 'python', level: 3 }] },
  to: { skills: [{ skill: 'rag', level: 3 }] },
});
const labels = stepLabels(plan);
const detail = await client.request(SkillDetailDocument, { id: 'rag' });
if (!detail.skill) throw new Error('skill(id: "rag") is null');
const prereqs = prerequisiteCategories(detail.skill);
const required = requiredBySkills(detail.skill);
const gap = await client.request(GapDocument, { from: { role: 'software-engineer' }, to: 'ai-engineer' });
const matched = matchedRoles(
  await client.request(MatchDocument, { profile: { skills: [{ skill: 'python', level: 4 }] } }),
);
const page = await client.request(SkillsPageDocument, firstPage);
const firstCategory: string = page.skills.nodes[0].category.name;

if (labels.length === 0 || prereqs.length === 0 || required.length === 0 || matched.length === 0) {
  throw new Error('an answer was empty');
}
console.log(
  `typed: ${labels.length} steps, ${prereqs.length} prerequisites, ${required.length} roles requiring rag, ` +
    `gap to ${gapRole(gap)}, ${matched.length} matches, first python hit in ${firstCategory}`,
);
