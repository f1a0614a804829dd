// A company's own subgraph, of the kind that extends skillgraph's skills with its own fields:
// its course catalogue, each course teaching one skill named by skillgraph's skill id. Built
// with Apollo's @apollo/subgraph, served by graphql-yoga, as a Node team would write it.
//
//   node courses.mjs PORT      # serves http://127.0.0.1:PORT/graphql
//
// `Skill` here holds only its key and the company's field: everything else about a skill
// (name, prerequisites, roles…) comes from skillgraph through the gateway, and `Course.skill`
// is resolved by skillgraph's `_entities`.
import { createServer } from 'node:http';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { createYoga } from 'graphql-yoga';

const typeDefs = parse(/* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])

  "A course of the company's own catalogue."
  type Course @key(fields: "id") {
    id: ID!
    title: String!
    hours: Int!
    "The skill the course teaches, as skillgraph has it; null when skillgraph has no such skill."
    skill: Skill
  }

  "A skill of skillgraph, extended with the company's courses."
  type Skill @key(fields: "id") {
    id: ID!
    "The company's courses that teach this skill, shortest first."
    courses: [Course!]!
  }

  type Query {
    "Every course of the catalogue."
    courses: [Course!]!
  }
`);

// `cobol` is not a skill of skillgraph's seed: its course's `skill` answers null.
export const COURSES = [
  { id: 'rag-in-production', title: 'RAG in production', hours: 20, skill: 'rag' },
  { id: 'rag-bootcamp', title: 'RAG bootcamp', hours: 12, skill: 'rag' },
  { id: 'vector-db-101', title: 'Vector databases 101', hours: 6, skill: 'vector-search' },
  { id: 'cobol-for-managers', title: 'COBOL for managers', hours: 4, skill: 'cobol' },
];

const resolvers = {
  Query: { courses: () => COURSES },
  Course: {
    __resolveReference: ({ id }) => COURSES.find((c) => c.id === id) ?? null,
    skill: (course) => ({ __typename: 'Skill', id: course.skill }),
  },
  Skill: {
    __resolveReference: ({ id }) => ({ id }),
    courses: ({ id }) => COURSES.filter((c) => c.skill === id).sort((a, b) => a.hours - b.hours),
  },
};

const port = Number(process.argv[2]);
if (!port) {
  console.error('usage: node courses.mjs PORT');
  process.exit(2);
}
const yoga = createYoga({
  schema: buildSubgraphSchema({ typeDefs, resolvers }),
  graphqlEndpoint: '/graphql',
  logging: 'warn',
});
createServer(yoga).listen(port, '127.0.0.1', () => {
  console.log(`courses subgraph at http://127.0.0.1:${port}/graphql`);
});
