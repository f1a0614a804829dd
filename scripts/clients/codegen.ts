// GraphQL Code Generator: the types a TypeScript frontend would generate from the served schema
// (SG_SCHEMA: the server's /graphql, by introspection; else the checked-in SDL) and the
// documents in operations/. typed.ts then uses them under `tsc --strict`.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: process.env.SG_SCHEMA || '../../schema/skillgraph.graphql',
  documents: ['operations/*.graphql'],
  overwrite: true,
  generates: {
    // Schema object types (PathStep, Prerequisite, ...). typescript-operations 6 writes the
    // enums and inputs it uses itself, so the two plugins go to separate files.
    'gen/schema.ts': {
      plugins: ['typescript'],
    },
    'gen/operations.ts': {
      plugins: ['typescript-operations'],
    },
    'gen/client/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
    },
  },
};

export default config;
