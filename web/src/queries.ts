import { graphql } from './gql';

// Every operation the app sends. Types are generated from ../schema.graphql
// by `npm run codegen` into src/gql/ (offline).

export const ServicesQuery = graphql(`
  query Services($host: String) {
    scopes(host: $host, kind: SERVICE, first: 24) {
      nodes {
        id
        name
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`);

export const EffectiveProcedureFields = graphql(`
  fragment EffectiveProcedureFields on EffectiveProcedure {
    key
    title
    kind
    body
    automation
    tags
    provenance
    origin {
      id
    }
    layers {
      id
    }
    next {
      label
      to
      condition
      order
    }
  }
`);

export const RunbookQuery = graphql(`
  query Runbook($host: String, $serviceId: String!, $errorCode: String) {
    runbook(host: $host, serviceId: $serviceId, errorCode: $errorCode) {
      serviceId
      entry
      lineage {
        id
        name
        kind
      }
      errorCode {
        code
        statusCode
        message
        description
        severity
        provenance
        origin {
          id
        }
      }
      procedures {
        ...EffectiveProcedureFields
      }
      branches {
        from
        to
        label
        condition
        order
        provenance
        origin {
          id
        }
        layers {
          id
        }
      }
      entries {
        code
        key
        provenance
        scope {
          id
        }
      }
      removed {
        kind
        key
        label
        scope {
          id
        }
      }
      contacts {
        name
        email
        phone
        chat
      }
      warnings {
        code
        message
        scope
        key
      }
    }
  }
`);

export const ScopesQuery = graphql(`
  query Scopes($host: String, $after: String) {
    scopes(host: $host, first: 500, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        name
        kind
        parents {
          id
        }
      }
    }
  }
`);

export const ScopeQuery = graphql(`
  query Scope($host: String, $id: String!) {
    scope(host: $host, id: $id) {
      id
      name
      kind
      revision
      owners
      contacts {
        name
        email
        phone
        chat
      }
      parents {
        id
        name
        kind
      }
      children {
        id
        name
        kind
      }
      procedures {
        scopeId
        key
        removed
        title
        kind
        body
        automation
        tags
        cleared
        revision
      }
      branches {
        scopeId
        from
        label
        removed
        to
        condition
        order
        cleared
        revision
      }
      entries {
        scopeId
        code
        key
        revision
      }
      errorCodes {
        scopeId
        code
        statusCode
        message
        description
        severity
        cleared
        revision
      }
    }
  }
`);

export const HistoryQuery = graphql(`
  query History($host: String, $scopeId: String!, $kind: ObjectKind, $key: String!, $after: String) {
    history(host: $host, scopeId: $scopeId, kind: $kind, key: $key, first: 50, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        changeId
        scopeId
        kind
        key
        action
        before
        after
        uid
        at
        operation
      }
    }
  }
`);

export const WriteResultFields = graphql(`
  fragment WriteResultFields on WriteResult {
    dryRun
    changeId
    scopes
    changes {
      scopeId
      kind
      key
    }
    impact {
      serviceId
      added {
        kind
        key
      }
      removed {
        kind
        key
      }
      changed {
        kind
        key
      }
      newWarnings {
        code
        message
        scope
        key
      }
    }
    warnings {
      code
      scopeId
      key
      message
    }
  }
`);

export const CreateProcedure = graphql(`
  mutation CreateProcedure($host: String, $scopeId: String!, $key: String!, $input: ProcedureInput!, $dryRun: Boolean!) {
    result: createProcedure(host: $host, scopeId: $scopeId, key: $key, input: $input, dryRun: $dryRun) {
      ...WriteResultFields
    }
  }
`);

export const UpdateProcedure = graphql(`
  mutation UpdateProcedure(
    $host: String
    $scopeId: String!
    $key: String!
    $input: ProcedureInput!
    $inherit: [String!]!
    $expectedRevision: Int
    $dryRun: Boolean!
  ) {
    result: updateProcedure(
      host: $host
      scopeId: $scopeId
      key: $key
      input: $input
      inherit: $inherit
      expectedRevision: $expectedRevision
      dryRun: $dryRun
    ) {
      ...WriteResultFields
    }
  }
`);

export const RemoveProcedure = graphql(`
  mutation RemoveProcedure($host: String, $scopeId: String!, $key: String!, $expectedRevision: Int, $dryRun: Boolean!) {
    result: removeProcedure(host: $host, scopeId: $scopeId, key: $key, expectedRevision: $expectedRevision, dryRun: $dryRun) {
      ...WriteResultFields
    }
  }
`);

export const DeleteProcedure = graphql(`
  mutation DeleteProcedure($host: String, $scopeId: String!, $key: String!, $expectedRevision: Int, $dryRun: Boolean!) {
    result: deleteProcedure(host: $host, scopeId: $scopeId, key: $key, expectedRevision: $expectedRevision, dryRun: $dryRun) {
      ...WriteResultFields
    }
  }
`);

export const CreateBranch = graphql(`
  mutation CreateBranch($host: String, $scopeId: String!, $from: String!, $label: String!, $input: BranchInput!, $dryRun: Boolean!) {
    result: createBranch(host: $host, scopeId: $scopeId, from: $from, label: $label, input: $input, dryRun: $dryRun) {
      ...WriteResultFields
    }
  }
`);

export const UpdateBranch = graphql(`
  mutation UpdateBranch(
    $host: String
    $scopeId: String!
    $from: String!
    $label: String!
    $input: BranchInput!
    $inherit: [String!]!
    $expectedRevision: Int
    $dryRun: Boolean!
  ) {
    result: updateBranch(
      host: $host
      scopeId: $scopeId
      from: $from
      label: $label
      input: $input
      inherit: $inherit
      expectedRevision: $expectedRevision
      dryRun: $dryRun
    ) {
      ...WriteResultFields
    }
  }
`);

export const RemoveBranch = graphql(`
  mutation RemoveBranch($host: String, $scopeId: String!, $from: String!, $label: String!, $expectedRevision: Int, $dryRun: Boolean!) {
    result: removeBranch(host: $host, scopeId: $scopeId, from: $from, label: $label, expectedRevision: $expectedRevision, dryRun: $dryRun) {
      ...WriteResultFields
    }
  }
`);

export const DeleteBranch = graphql(`
  mutation DeleteBranch($host: String, $scopeId: String!, $from: String!, $label: String!, $expectedRevision: Int, $dryRun: Boolean!) {
    result: deleteBranch(host: $host, scopeId: $scopeId, from: $from, label: $label, expectedRevision: $expectedRevision, dryRun: $dryRun) {
      ...WriteResultFields
    }
  }
`);

export const SetEntry = graphql(`
  mutation SetEntry($host: String, $scopeId: String!, $code: String!, $key: String, $expectedRevision: Int, $dryRun: Boolean!) {
    result: setEntry(host: $host, scopeId: $scopeId, code: $code, key: $key, expectedRevision: $expectedRevision, dryRun: $dryRun) {
      ...WriteResultFields
    }
  }
`);

export const DeleteEntry = graphql(`
  mutation DeleteEntry($host: String, $scopeId: String!, $code: String!, $expectedRevision: Int, $dryRun: Boolean!) {
    result: deleteEntry(host: $host, scopeId: $scopeId, code: $code, expectedRevision: $expectedRevision, dryRun: $dryRun) {
      ...WriteResultFields
    }
  }
`);

export const ScopeRevisionQuery = graphql(`
  query ScopeRevision($host: String, $scopeId: String!) {
    history(host: $host, scopeId: $scopeId, first: 1) {
      nodes {
        changeId
      }
    }
  }
`);

export const ImportRunbook = graphql(`
  mutation ImportRunbook($yaml: String!, $dryRun: Boolean!, $baseRevisions: [BaseRevisionInput!]) {
    result: importRunbook(yaml: $yaml, dryRun: $dryRun, baseRevisions: $baseRevisions) {
      ...WriteResultFields
    }
  }
`);

export const Restore = graphql(`
  mutation Restore($host: String, $scopeId: String!, $kind: ObjectKind!, $key: String!, $changeId: Int!, $dryRun: Boolean!) {
    result: restore(host: $host, scopeId: $scopeId, kind: $kind, key: $key, changeId: $changeId, dryRun: $dryRun) {
      ...WriteResultFields
    }
  }
`);

/** What the server offers beyond the runbook API (feature detection). */
export const CapabilitiesQuery = graphql(`
  query Capabilities {
    query: __type(name: "Query") {
      fields {
        name
      }
    }
    subscription: __schema {
      subscriptionType {
        name
      }
    }
  }
`);

// ---------------------------------------------------------------------------
// Executions

export const ExecutionSummaryFields = graphql(`
  fragment ExecutionSummaryFields on Execution {
    id
    serviceId
    errorCode
    environment
    instance
    status
    awaiting
    startedBy
    startedAt
    updatedAt
    finishedAt
    alertCount
    responder {
      uid
      since
      acknowledgedAt
    }
    current {
      key
      title
      kind
    }
  }
`);

export const ExecutionFields = graphql(`
  fragment ExecutionFields on Execution {
    ...ExecutionSummaryFields
    labels {
      name
      value
    }
    alert {
      statusCode
      message
      description
      severity
    }
    contacts {
      name
      email
      phone
      chat
    }
    lastOutput
    lastOutcome
    notifying
    runbookLink
    current {
      key
      title
      kind
      body
      unresolvedPlaceholders
      automation
      tags
    }
    choices {
      label
      to
      condition
      machineCheckable
    }
    runbook {
      generation
      entry
      lineage
      procedures {
        key
        title
        kind
        body
        automation
        tags
        layers {
          scopeId
          revision
        }
      }
      branches {
        from
        label
        to
        condition
        machineCheckable
        order
      }
    }
  }
`);

export const ExecutionEventFields = graphql(`
  fragment ExecutionEventFields on ExecutionEvent {
    seq
    at
    kind
    procedure
    actor
    label
    note
    output
    data
  }
`);

export const ExecutionQuery = graphql(`
  query Execution($host: String, $id: String!) {
    execution(host: $host, id: $id) {
      ...ExecutionFields
      events {
        ...ExecutionEventFields
      }
    }
  }
`);

export const ExecutionsQuery = graphql(`
  query Executions(
    $host: String
    $serviceId: String
    $status: ExecutionStatus
    $unacknowledged: Boolean = false
    $after: String
  ) {
    executions(
      host: $host
      serviceId: $serviceId
      status: $status
      unacknowledged: $unacknowledged
      first: 50
      after: $after
    ) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...ExecutionSummaryFields
      }
    }
  }
`);

export const ExecutionEventsSubscription = graphql(`
  subscription ExecutionEvents($host: String, $id: String!, $afterSeq: Int) {
    executionEvents(host: $host, id: $id, afterSeq: $afterSeq) {
      ...ExecutionEventFields
    }
  }
`);

export const StartExecution = graphql(`
  mutation StartExecution($host: String, $serviceId: String!, $errorCode: String!, $environment: String, $instance: String) {
    execution: startExecution(host: $host, serviceId: $serviceId, errorCode: $errorCode, environment: $environment, instance: $instance) {
      ...ExecutionFields
    }
  }
`);

export const CompleteStep = graphql(`
  mutation CompleteStep($id: String!, $note: String, $output: JSON) {
    execution: completeStep(id: $id, note: $note, output: $output) {
      ...ExecutionFields
    }
  }
`);

export const ChooseBranch = graphql(`
  mutation ChooseBranch($id: String!, $label: String!, $note: String) {
    execution: chooseBranch(id: $id, label: $label, note: $note) {
      ...ExecutionFields
    }
  }
`);

export const AddNote = graphql(`
  mutation AddNote($id: String!, $note: String!) {
    execution: addNote(id: $id, note: $note) {
      ...ExecutionFields
    }
  }
`);

export const ResolveExecution = graphql(`
  mutation ResolveExecution($id: String!, $note: String) {
    execution: resolve(id: $id, note: $note) {
      ...ExecutionFields
    }
  }
`);

export const EscalateExecution = graphql(`
  mutation EscalateExecution($id: String!, $note: String) {
    execution: escalate(id: $id, note: $note) {
      ...ExecutionFields
    }
  }
`);

export const AbortExecution = graphql(`
  mutation AbortExecution($id: String!, $note: String) {
    execution: abort(id: $id, note: $note) {
      ...ExecutionFields
    }
  }
`);

export const RetryStep = graphql(`
  mutation RetryStep($id: String!, $note: String) {
    execution: retryStep(id: $id, note: $note) {
      ...ExecutionFields
    }
  }
`);

export const AcknowledgeExecution = graphql(`
  mutation AcknowledgeExecution($id: String!, $note: String) {
    execution: acknowledge(id: $id, note: $note) {
      ...ExecutionFields
    }
  }
`);

export const HandOffExecution = graphql(`
  mutation HandOffExecution($id: String!, $to: String!, $note: String) {
    execution: handOff(id: $id, to: $to, note: $note) {
      ...ExecutionFields
    }
  }
`);

export const SearchQuery = graphql(`
  query Search($host: String, $query: String!, $first: Int) {
    search(host: $host, query: $query, first: $first) {
      edges {
        cursor
        node {
          kind
          scopeId
          scopeKind
          key
          title {
            text
            matched
          }
          snippet {
            text
            matched
          }
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`);

export const LintQuery = graphql(`
  query Lint($host: String, $serviceId: String!) {
    lint(host: $host, serviceId: $serviceId) {
      code
      severity
      scopeId
      key
      message
    }
  }
`);
