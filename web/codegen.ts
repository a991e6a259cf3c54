import type { CodegenConfig } from '@graphql-codegen/cli';

// Types come from the schema checked in at the repository root: generation
// needs no server and no network.
const config: CodegenConfig = {
  schema: '../schema.graphql',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**/*'],
  ignoreNoDocuments: true,
  generates: {
    './src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { JSON: 'unknown' },
      },
    },
  },
  hooks: {},
};

export default config;
