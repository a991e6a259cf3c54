import type {
  HistoryQuery,
  RunbookQuery,
  ScopeQuery,
  WriteResultFieldsFragment,
} from './gql/graphql';

export type { Provenance, ProcedureKind, ScopeKind, ObjectKind } from './gql/graphql';

export type Runbook = RunbookQuery['runbook'];
export type EffectiveProcedure = Runbook['procedures'][number];
export type EffectiveBranch = Runbook['branches'][number];
export type ScopeData = NonNullable<ScopeQuery['scope']>;
export type ProcedureLayer = ScopeData['procedures'][number];
export type BranchLayer = ScopeData['branches'][number];
export type EntryLayer = ScopeData['entries'][number];
export type ErrorCodeLayer = ScopeData['errorCodes'][number];
export type Change = HistoryQuery['history']['nodes'][number];
export type WriteResult = WriteResultFieldsFragment;
export type Impact = WriteResult['impact'][number];

import type { ExecutionQuery, ExecutionsQuery } from './gql/graphql';
export type { ExecutionStatus, Awaiting } from './gql/graphql';
export type ExecutionData = NonNullable<ExecutionQuery['execution']>;
export type ExecutionEvent = ExecutionData['events'][number];
export type ExecutionSummary = ExecutionsQuery['executions']['nodes'][number];
