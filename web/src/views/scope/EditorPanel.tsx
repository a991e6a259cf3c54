import { useClient, type AnyVariables, type TypedDocumentNode } from 'urql';
import {
  BranchEditor,
  ConfirmWrite,
  EntryEditor,
  ProcedureEditor,
} from '../../components/Editors';
import { DeleteBranch, DeleteEntry, DeleteProcedure, RemoveBranch, RemoveProcedure, ScopeQuery } from '../../queries';
import type { EffectiveBranch, EffectiveProcedure, ScopeData, WriteResult } from '../../types';

/** What is being edited in a scope. */
export type Editing =
  | { kind: 'procedure'; key: string | null; inherited?: EffectiveProcedure | null }
  | { kind: 'branch'; from: string | null; label: string | null; inherited?: Pick<EffectiveBranch, 'to' | 'condition' | 'order'> | null }
  | { kind: 'entry'; code: string | null }
  | { kind: 'removeProcedure' | 'deleteProcedure'; key: string }
  | { kind: 'removeBranch' | 'deleteBranch'; from: string; label: string }
  | { kind: 'deleteEntry'; code: string };

type WriteDoc<V extends AnyVariables> = TypedDocumentNode<{ result: WriteResult }, V>;

/** The editor for what is being edited, over the scope's current layers. */
export function EditorPanel({
  scope,
  editing,
  procedureKeys,
  onSaved,
  onCancel,
  onReload,
}: {
  scope: ScopeData;
  editing: Editing;
  procedureKeys: string[];
  onSaved: (result: WriteResult) => void;
  onCancel: () => void;
  onReload: () => void;
}) {
  const client = useClient();
  const scopeId = scope.id;
  const fresh = async () =>
    (await client.query(ScopeQuery, { id: scopeId }, { requestPolicy: 'network-only' }).toPromise()).data?.scope ?? null;
  const reloadAndClose = () => {
    onReload();
    onCancel();
  };

  switch (editing.kind) {
    case 'procedure': {
      const layer = editing.key ? scope.procedures.find((p) => p.key === editing.key && !p.removed) : undefined;
      return (
        <ProcedureEditor
          key={`p:${editing.key}`}
          scopeId={scopeId}
          procedureKey={editing.key}
          layer={layer}
          inherited={editing.inherited}
          onSaved={onSaved}
          onCancel={onCancel}
          onReload={reloadAndClose}
          currentLayer={async () => (await fresh())?.procedures.find((p) => p.key === editing.key && !p.removed)}
        />
      );
    }
    case 'branch': {
      const layer =
        editing.from && editing.label
          ? scope.branches.find((b) => b.from === editing.from && b.label === editing.label && !b.removed)
          : undefined;
      return (
        <BranchEditor
          key={`b:${editing.from}/${editing.label}`}
          scopeId={scopeId}
          from={editing.from}
          label={editing.label}
          layer={layer}
          inherited={editing.inherited}
          procedureKeys={procedureKeys}
          onSaved={onSaved}
          onCancel={onCancel}
          onReload={reloadAndClose}
          currentLayer={async () =>
            (await fresh())?.branches.find((b) => b.from === editing.from && b.label === editing.label && !b.removed)
          }
        />
      );
    }
    case 'entry': {
      const layer = editing.code ? scope.entries.find((e) => e.code === editing.code) : undefined;
      return (
        <EntryEditor
          key={`e:${editing.code}`}
          scopeId={scopeId}
          layer={layer}
          procedureKeys={procedureKeys}
          onSaved={onSaved}
          onCancel={onCancel}
          onReload={reloadAndClose}
        />
      );
    }
    case 'removeProcedure':
    case 'deleteProcedure': {
      const layer = scope.procedures.find((p) => p.key === editing.key);
      const remove = editing.kind === 'removeProcedure';
      return (
        <ConfirmWrite
          key={`${editing.kind}:${editing.key}`}
          title={remove ? `Remove ${editing.key} in ${scopeId}` : `Delete ${scopeId}’s layer of ${editing.key}`}
          explanation={
            remove
              ? `A tombstone hides ${editing.key} in ${scopeId} and every scope below it; branches to it are left out with a warning.`
              : `Drops what ${scopeId} writes about ${editing.key} (its definition, override or tombstone): the inherited procedure, if any, applies again.`
          }
          doc={(remove ? RemoveProcedure : DeleteProcedure) as WriteDoc<{ scopeId: string; key: string; expectedRevision: number | null; dryRun: boolean }>}
          variables={{ scopeId, key: editing.key, expectedRevision: layer?.revision ?? null }}
          confirmLabel={remove ? 'Remove' : 'Delete layer'}
          onSaved={onSaved}
          onCancel={onCancel}
          onReload={reloadAndClose}
          conflictKind="PROCEDURE"
          conflictKey={editing.key}
          scopeId={scopeId}
        />
      );
    }
    case 'removeBranch':
    case 'deleteBranch': {
      const layer = scope.branches.find((b) => b.from === editing.from && b.label === editing.label);
      const remove = editing.kind === 'removeBranch';
      const name = `“${editing.label}” from ${editing.from}`;
      return (
        <ConfirmWrite
          key={`${editing.kind}:${editing.from}/${editing.label}`}
          title={remove ? `Remove branch ${name} in ${scopeId}` : `Delete ${scopeId}’s layer of branch ${name}`}
          explanation={
            remove
              ? `A tombstone hides the branch in ${scopeId} and every scope below it.`
              : `Drops what ${scopeId} writes about this branch: the inherited branch, if any, applies again.`
          }
          doc={
            (remove ? RemoveBranch : DeleteBranch) as WriteDoc<{
              scopeId: string;
              from: string;
              label: string;
              expectedRevision: number | null;
              dryRun: boolean;
            }>
          }
          variables={{ scopeId, from: editing.from, label: editing.label, expectedRevision: layer?.revision ?? null }}
          confirmLabel={remove ? 'Remove' : 'Delete layer'}
          onSaved={onSaved}
          onCancel={onCancel}
          onReload={reloadAndClose}
          conflictKind="BRANCH"
          conflictKey={`${editing.from}/${editing.label}`}
          scopeId={scopeId}
        />
      );
    }
    case 'deleteEntry': {
      const layer = scope.entries.find((e) => e.code === editing.code);
      return (
        <ConfirmWrite
          key={`deleteEntry:${editing.code}`}
          title={`Delete ${scopeId}’s entry for ${editing.code}`}
          explanation="The inherited entry for this code, if any, applies again."
          doc={DeleteEntry as WriteDoc<{ scopeId: string; code: string; expectedRevision: number | null; dryRun: boolean }>}
          variables={{ scopeId, code: editing.code, expectedRevision: layer?.revision ?? null }}
          confirmLabel="Delete entry"
          onSaved={onSaved}
          onCancel={onCancel}
          onReload={reloadAndClose}
          conflictKind="ENTRY"
          conflictKey={editing.code}
          scopeId={scopeId}
        />
      );
    }
  }
}
